"""PL104 predict-name-not-found."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule


class PredictNameMissing(Rule):
    """The function named by `predict` is not defined at the top level of its file.

    ## What it does
    Reports a `predict: "main.py:NAME"` whose `NAME` is not bound at the top level of
    `main.py` (a `def`, `async def`, `class`, assignment or import).

    ## Why is this bad?
    The runtime looks the name up on the imported module and fails with
    `predictor not found: main.NAME`; cog's build prints just the name (`image build failed: NAME`).

    ## Example
    ```yaml
    predict: "main.py:predict"
    ```
    with `def run(...)` in main.py.

    ## Use instead
    ```yaml
    predict: "main.py:run"
    ```
    """

    code = "PL104"
    name = "predict-name-not-found"
    files = ("cog.yaml", "python")

    def check(self) -> None:
        p = self.project
        ref, mod = p.predict, p.entry_module
        if ref is None or mod is None or mod.tree is None:
            return
        if ref.name in p.top_level_names:
            self._not_a_definition(ref, mod)
            return
        module = ref.file[:-3].replace("/", ".")
        import libcst as cst

        functions = [s.name.value for s in mod.tree.body if isinstance(s, (cst.FunctionDef, cst.ClassDef))]
        # Only a function or class can be an entry: an imported module or a constant never is.
        import difflib  # (and heapq): only for a name that is misspelt
        close = difflib.get_close_matches(ref.name, sorted(set(functions)), n=1) or (
            functions if len(functions) == 1 else [])
        help_ = (f'did you mean `predict: "{ref.file}:{close[0]}"`?' if close
                 else f"define `def {ref.name}(...)` at the top level of {ref.file}")
        self.report_yaml(ref.value_node, f"`{ref.name}` is not defined at the top level of {ref.file} "
                         f"(`predictor not found: {module}.{ref.name}`)", help=help_)

    def _not_a_definition(self, ref, mod) -> None:
        """The name is bound only by assignments (``run = 0``, ``run = make()``): not a function
        or class, which is all the runtime loads. An import may bring either: not judged."""
        import libcst as cst

        scope = mod.meta("scope", mod.tree)
        if scope is None:
            return
        try:
            nodes = [getattr(a, "node", None) for a in scope[ref.name]]
        except Exception:
            return
        if not nodes or not all(isinstance(n, cst.Name) for n in nodes):
            return  # a def, a class, an import, or a binding libcst records otherwise
        assigned = {id(t.target) for s in mod.tree.body if isinstance(s, cst.SimpleStatementLine)
                    for small in s.body if isinstance(small, cst.Assign) for t in small.targets}
        assigned |= {id(small.target) for s in mod.tree.body if isinstance(s, cst.SimpleStatementLine)
                     for small in s.body if isinstance(small, cst.AnnAssign)}
        if not all(id(n) in assigned for n in nodes):
            return  # bound in a for loop, a with, a walrus…: not judged
        module = ref.file[:-3].replace("/", ".")
        self.report_yaml(ref.value_node, f"`{ref.name}` in {ref.file} is assigned a value, not defined as a function or "
                                         f"class: the runtime cannot load it (`invalid predictor: {module}.{ref.name}`)",
                         help=f"define `def {ref.name}(...)` at the top level of {ref.file}")

    VALID = [
        Case({}),
        Case({"cog.yaml": 'predict: "main.py:run"\n', "main.py": "from helpers import run\n",
              "helpers.py": "def run() -> str:\n    return 'x'\n"}),
        Case({"main.py": "import functools\n\n\ndef run(prompt: str) -> str:\n    return prompt\n\n\n"
                         "run = functools.wraps(run)(run)\n"}, note="a def, rebound: not judged"),
    ]
    INVALID = [
        Case({"cog.yaml": 'predict: "main.py:predict"\n'},
             expect=[("cog.yaml", 1, 10, 1, 27, "`predict` is not defined at the top level of main.py")]),
        Case({"main.py": "def runner() -> str:\n    return 'x'\n"},
             expect=[("cog.yaml", 4, 10, 4, 23, "`run` is not defined at the top level of main.py")]),
        Case({"main.py": "class Foo:\n    def run(self) -> str:\n        return 'x'\n"},
             expect=[("cog.yaml", 4, 10, 4, 23, "`run` is not defined at the top level of main.py")]),
        Case({"main.py": "def make():\n    return lambda prompt: prompt\n\nrun = make()\n"},
             expect=[("cog.yaml", 4, 10, 4, 23, "`run` in main.py is assigned a value, not defined as a function or "
                                                "class: the runtime cannot load it (`invalid predictor: main.run`)")]),
        Case({"main.py": "run: int = 0\n"},
             expect=[("cog.yaml", 4, 10, 4, 23, "`run` in main.py is assigned a value")]),
    ]
