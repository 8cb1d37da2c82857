"""PL104 predict-name-not-found."""

from __future__ import annotations

import difflib

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
        if ref is None or mod is None or mod.tree is None or ref.name in p.top_level_names:
            return
        module = ref.file[:-3].replace("/", ".")
        import libcst as cst

        functions = [s.name.value for s in mod.tree.body if isinstance(s, (cst.FunctionDef, cst.ClassDef))]
        # Only a function or class can be an entry: an imported module or a constant never is.
        close = difflib.get_close_matches(ref.name, sorted(set(functions)), n=1) or (
            functions if len(functions) == 1 else [])
        help_ = (f'did you mean `predict: "{ref.file}:{close[0]}"`?' if close
                 else f"define `def {ref.name}(...)` at the top level of {ref.file}")
        self.report_yaml(ref.value_node, f"`{ref.name}` is not defined at the top level of {ref.file} "
                         f"(`predictor not found: {module}.{ref.name}`)", help=help_)

    VALID = [
        Case({}),
        Case({"cog.yaml": 'predict: "main.py:run"\n', "main.py": "from helpers import run\n",
              "helpers.py": "def run() -> str:\n    return 'x'\n"}),
    ]
    INVALID = [
        Case({"cog.yaml": 'predict: "main.py:predict"\n'},
             expect=[("cog.yaml", 1, 10, 1, 27, "`predict` is not defined at the top level of main.py")]),
        Case({"main.py": "def runner() -> str:\n    return 'x'\n"},
             expect=[("cog.yaml", 4, 10, 4, 23, "`run` is not defined at the top level of main.py")]),
        Case({"main.py": "class Foo:\n    def run(self) -> str:\n        return 'x'\n"},
             expect=[("cog.yaml", 4, 10, 4, 23, "`run` is not defined at the top level of main.py")]),
    ]
