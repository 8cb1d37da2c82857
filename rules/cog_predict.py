"""PL101–PL105: cog.yaml's `predict:` entry and the function it names."""

from __future__ import annotations

import difflib

from pipelint.edits import yamledit

from pipelint.model import yamlnodes
from pipelint.core.diagnostics import Position
from pipelint.engine.rule import Case, Rule

HELP_FORM = 'write `predict: "main.py:run"`: a .py file in the model folder, a colon, and a top-level function name'


class MissingPredict(Rule):
    """cog.yaml has no `predict:` entry.

    ## What it does
    Reports a cog.yaml without a `predict:` key, including one that uses newer cog's `run:`
    key instead.

    ## Why is this bad?
    The pipelines runtime reads only `predict:` (its config has no `run` field). The pinned
    runtime fails with `invalid predict: ` and later runtimes silently look for
    `predict.py:Predictor` (`predictor not found: predict.Predictor`).

    ## Example
    ```yaml
    run: "main.py:run"
    ```

    ## Use instead
    ```yaml
    predict: "main.py:run"
    ```

    ## Fix safety
    Renaming `run:` to `predict:` is safe: it is the same entry under the key the runtime
    reads. Without a `run:` key there is nothing to rename and no fix.
    """

    code = "PL101"
    name = "missing-predict"
    files = ("cog.yaml",)
    fix_availability = "sometimes"

    def check(self) -> None:
        p = self.project
        if p.cog_root is None or p.cog_get("predict") is not None:
            return
        run = p.cog_get("run")
        if run is not None:
            key, _ = run
            self.report_yaml(
                key,
                "cog.yaml uses `run:`, which the pipelines runtime does not read (`invalid predict: `)",
                help="rename `run:` to `predict:`",
                fix=self.fix("Rename `run:` to `predict:`", yamledit.replace(p.cog_file, key, "predict")),
            )
            return
        self.report_at(
            p.cog_file.path, Position(1, 1), Position(1, 1),
            "cog.yaml has no `predict:` entry, so the runtime has no function to run (`invalid predict: `)",
            help='add `predict: "main.py:run"`',
        )

    VALID = [Case({"cog.yaml": 'predict: "main.py:run"\n'})]
    INVALID = [
        Case({"cog.yaml": 'run: "main.py:run"\n'}, expect=[("cog.yaml", 1, 1)],
             fixed={"cog.yaml": 'predict: "main.py:run"\n'}),
        Case({"cog.yaml": 'build:\n  python_version: "3.13"\n'}, expect=[("cog.yaml", 1, 1)]),
        Case({"cog.yaml": 'build: {python_version: "3.13"}\nrun: main.py:run # entry\n'},
             expect=[("cog.yaml", 2, 1)],
             fixed={"cog.yaml": 'build: {python_version: "3.13"}\npredict: main.py:run # entry\n'}),
    ]


class MalformedPredict(Rule):
    """`predict` is not of the form `FILE.py:NAME`.

    ## What it does
    Reports a `predict:` value that is not a string of the form `file.py:function_name`.

    ## Why is this bad?
    The runtime splits the value on `:` into a module file and a name. Anything else fails:
    `invalid predict: <value>` in the pipelines runtime, `must be in the form
    'predict.py:Predictor'` in cog.

    ## Example
    ```yaml
    predict: main.run
    ```

    ## Use instead
    ```yaml
    predict: "main.py:run"
    ```
    """

    code = "PL102"
    name = "malformed-predict"
    files = ("cog.yaml",)

    def check(self) -> None:
        ref = self.project.predict
        if ref is None or ref.problem != "format":
            return
        shown = ref.raw if ref.raw is not None else ""
        self.report_yaml(
            ref.value_node,
            f"`predict: {shown}` is not of the form `FILE.py:NAME` (`invalid predict: {shown}`)",
            help=HELP_FORM,
        )

    VALID = [Case({"cog.yaml": "predict: main.py:run\n"})]
    INVALID = [
        Case({"cog.yaml": "predict: main.run\n"}, expect=[("cog.yaml", 1, 10)]),
        Case({"cog.yaml": 'predict: "main.py"\n'}, expect=[("cog.yaml", 1, 10)]),
        Case({"cog.yaml": 'predict: "main.py:run:x"\n'}, expect=[("cog.yaml", 1, 10)]),
        Case({"cog.yaml": "predict:\n"}, expect=[("cog.yaml", 1, 9)]),
        Case({"cog.yaml": "predict: [main.py, run]\n"}, expect=[("cog.yaml", 1, 10)]),
    ]


class PredictFileMissing(Rule):
    """The file named by `predict` does not exist, or lies outside the model folder.

    ## What it does
    Reports a `predict:` whose file is not in the model folder.

    ## Why is this bad?
    The runtime imports that file when the model loads; cog refuses a path outside the
    project (`predictor source path "<p>" is outside source directory`).

    ## Example
    ```yaml
    predict: "predict.py:run"   # but the code is in main.py
    ```

    ## Use instead
    ```yaml
    predict: "main.py:run"
    ```
    """

    code = "PL103"
    name = "predict-file-not-found"
    files = ("cog.yaml",)

    def check(self) -> None:
        p = self.project
        ref = p.predict
        if ref is None or ref.problem not in ("missing", "outside"):
            return
        if ref.problem == "outside":
            msg = f"`{ref.file}` is outside the model folder (`predictor source path \"{ref.file}\" is outside source directory`)"
            self.report_yaml(ref.value_node, msg, help="keep the entry file in the model folder, next to cog.yaml")
            return
        candidates = sorted(f.name for f in p.python_files() if f.parent == p.root)
        close = difflib.get_close_matches(ref.file, candidates, n=1)
        hint = f"did you mean `{close[0]}`?" if close else (
            f"the model folder has {', '.join(candidates)}" if candidates else "create it next to cog.yaml")
        self.report_yaml(ref.value_node, f"`{ref.file}` does not exist in the model folder", help=hint)

    VALID = [Case({})]
    INVALID = [
        Case({"cog.yaml": 'predict: "predict.py:run"\n'}, expect=[("cog.yaml", 1, 10)]),
        Case({"cog.yaml": 'predict: "../main.py:run"\n'}, expect=[("cog.yaml", 1, 10)]),
    ]


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
        close = difflib.get_close_matches(ref.name, sorted(p.top_level_names), n=1) or (
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
        Case({"cog.yaml": 'predict: "main.py:predict"\n'}, expect=[("cog.yaml", 1, 10)]),
        Case({"main.py": "def runner() -> str:\n    return 'x'\n"}, expect=[("cog.yaml", 4, 10)]),
        Case({"main.py": "class Foo:\n    def run(self) -> str:\n        return 'x'\n"}, expect=[("cog.yaml", 4, 10)]),
    ]


class PredictInSubfolder(Rule):
    """The predict file is in a sub-folder (`src/main.py:run`).

    ## What it does
    Reports a `predict:` file that is not directly in the model folder.

    ## Why is this bad?
    The pipelines runtime imports the entry by module name (the path without `.py`), so
    `src/main.py` becomes the module `src/main`, which cannot be imported: the model fails
    to load (`predictor not found`).

    ## Example
    ```yaml
    predict: "src/main.py:run"
    ```

    ## Use instead
    Move the file next to cog.yaml:
    ```yaml
    predict: "main.py:run"
    ```
    """

    code = "PL105"
    name = "predict-in-subfolder"
    files = ("cog.yaml",)

    def check(self) -> None:
        p = self.project
        ref = p.predict
        if ref is None or ref.path is None or ref.path.parent == p.root:
            return
        self.report_yaml(
            ref.value_node,
            f"`{ref.file}` is in a sub-folder: the pipelines runtime imports the entry by module name and cannot load it",
            help=f'move {ref.path.name} next to cog.yaml and write `predict: "{ref.path.name}:{ref.name}"`',
        )

    VALID = [Case({})]
    INVALID = [
        Case({"cog.yaml": 'predict: "src/main.py:run"\n', "src/main.py": "def run() -> str:\n    return 'x'\n"},
             expect=[("cog.yaml", 1, 10)]),
    ]


__all__ = ["MissingPredict", "MalformedPredict", "PredictFileMissing", "PredictNameMissing", "PredictInSubfolder",
           "yamlnodes"]
