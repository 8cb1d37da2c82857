"""CG106 bad-entry-ref: the `run`/`predict`/`train` entry does not name a top-level class or function."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes

PREDICT = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"
EXAMPLES = {"run": "run.py:Runner", "predict": "predict.py:Predictor", "train": "train.py:Trainer"}


def model(cog_yaml: str, predict: str = PREDICT) -> dict:
    return {"cog.yaml": cog_yaml, "predict.py": predict, "requirements.txt": "", "main.py": None}


def _y(entry: str) -> str:
    return f'build:\n  python_version: "3.12"\n{entry}\n'


class BadEntryRef(Rule):
    """The `run`/`predict`/`train` entry does not name a top-level class or function of a file in the model.

    ## What it does
    Reports an entry that is not `FILE.py:NAME`, whose file is missing or outside the model folder,
    or whose `NAME` is not a top-level `class` or `def` of that file (a name bound only by an
    assignment such as `run = 0` is reported too; an imported name is not judged).

    ## Why is this bad?
    cog refuses the form (`invalid run "predict.py": must be in the form 'run.py:Runner'`), the
    build cannot read a missing file, and a name that is not a class or function fails when the
    model boots (`invalid predictor`).

    ## Example
    ```yaml
    run: "predict.py"
    ```

    ## Use instead
    ```yaml
    run: "predict.py:Runner"
    ```
    """

    code = "CG106"
    name = "bad-entry-ref"
    targets = ("cog",)
    files = ("cog.yaml", "python")

    def check(self) -> None:
        p = self.project
        for key in ("run", "predict", "train"):
            hit = p.cog_get(key)
            if hit is None or not yamlnodes.is_scalar(hit[1]) or yamlnodes.is_null(hit[1]):
                continue  # absent, or a list/mapping (CG103/CG104)
            value = hit[1]
            text = value.value
            if not text.strip():
                continue
            if len(text.split(".py:")) != 2:
                self.report_yaml(value, f"`{key}: {text}` is not `FILE.py:NAME`: cog refuses it "
                                 f"(`invalid {key} \"{text}\": must be in the form '{EXAMPLES[key]}'`)",
                                 help=f'write `{key}: "{EXAMPLES[key]}"` with your file and class or function')
                continue
            ref = p.ref(key)
            if ref is None:
                continue
            if ref.problem == "format":
                self.report_yaml(value, f"`{key}: {text}`: `{text.split('.py:')[1]}` is not a Python name: "
                                 "cog cannot load the entry", help="name a top-level class or function after the `:`")
            elif ref.problem == "outside":
                self.report_yaml(value, f"`{ref.file}` is outside the model folder: cog builds only the folder "
                                 "that holds cog.yaml", help="move the file into the model folder")
            elif ref.problem == "missing":
                self.report_yaml(value, f"`{ref.file}` does not exist in the model folder "
                                 f"(`cog doctor`: `{ref.file} not found`)", help=f"create {ref.file} or fix the path")
            elif ref.path is not None:
                self._name(key, ref, value)

    def _name(self, key, ref, value) -> None:
        import libcst as cst

        mod = self.project.module(ref.path)
        if mod is None or mod.tree is None:
            return  # unreadable or unparsable: PL0 reports it
        defs, others = set(), set()
        for stmt in mod.tree.body:
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                defs.add(stmt.name.value)
        if ref.name in defs:
            return
        from pipelint.model.imports import top_level_bindings

        try:
            others = top_level_bindings(mod.tree)
        except Exception:
            return
        modname = ref.file[:-3].replace("/", ".")
        if ref.name in others:
            if self._only_assigned(mod, ref.name):
                self.report_yaml(value, f"`{ref.name}` in {ref.file} is assigned a value, not a class or function: "
                                 f"cog cannot load it (`invalid predictor: {modname}.{ref.name}`)",
                                 help=f"define `class {ref.name}` or `def {ref.name}(...)` at the top level")
            return
        import difflib

        close = difflib.get_close_matches(ref.name, sorted(defs), n=1)
        help_ = (f'did you mean `{key}: "{ref.file}:{close[0]}"`?' if close
                 else f"define `class {ref.name}` or `def {ref.name}(...)` at the top level of {ref.file}")
        self.report_yaml(value, f"`{ref.name}` is not defined at the top level of {ref.file}: cog cannot load "
                         f"the entry (`{modname}.{ref.name}` not found)", help=help_)

    @staticmethod
    def _only_assigned(mod, name: str) -> bool:
        """Bound only by top-level ``name = …`` / ``name: T = …`` (not an import, not inside an
        ``if``/``try``/``with``, which may bind anything)."""
        import libcst as cst

        assigned = False
        for stmt in mod.tree.body:
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                continue
            if not isinstance(stmt, cst.SimpleStatementLine):
                if name in mod.tree.code_for_node(stmt):
                    return False
                continue
            for small in stmt.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    if isinstance(small.names, cst.ImportStar):
                        return False
                    if name in mod.tree.code_for_node(small):
                        return False
                elif isinstance(small, cst.Assign):
                    assigned |= any(isinstance(t.target, cst.Name) and t.target.value == name for t in small.targets)
                elif isinstance(small, cst.AnnAssign):
                    assigned |= isinstance(small.target, cst.Name) and small.target.value == name
        return assigned

    VALID = [Case(model(_y('run: "predict.py:Runner"'))),
             Case(model(_y('run: "predict.py:Runner"'), "from engine import Runner\n"), note="imported: not judged"),
             Case({**model(_y('run: "predict.py:Runner"'), "from engine import Runner\n"),
                   "engine.py": PREDICT})]
    INVALID = [
        Case(model(_y('run: "predict.py"')),
             expect=[("cog.yaml", 3, 6, 3, 18, "must be in the form 'run.py:Runner'")]),
        Case(model(_y('predict: "src/predict.py:Predictor"')),
             expect=[("cog.yaml", 3, 10, 3, 36, "`src/predict.py` does not exist")]),
        Case(model(_y('run: "../predict.py:Runner"')),
             expect=[("cog.yaml", 3, 6, 3, 28, "outside the model folder")]),
        Case(model(_y('run: "predict.py:Predictor"')),
             expect=[("cog.yaml", 3, 6, 3, 28, "`Predictor` is not defined at the top level of predict.py")]),
        Case(model(_y('train: "predict.py:train"'), PREDICT + "\n\ntrain = 0\n"),
             expect=[("cog.yaml", 3, 8, 3, 26, "`invalid predictor: predict.train`")]),
        Case(model('{build: {python_version: "3.12"}, run: predict.py}\n'),
             expect=[("cog.yaml", 1, 40, 1, 50, "`run: predict.py` is not `FILE.py:NAME`")]),
    ]

