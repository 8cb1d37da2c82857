"""CG141 predict-names: the deprecated `predict:` key, `BasePredictor`, `predict()`, `class Predictor`."""

from __future__ import annotations

import re

from pipelint.core.diagnostics import Applicability, Edit, Severity
from pipelint.engine.rule import Case, Rule

_OLD = ("from cog import BasePredictor, Input\n\n\nclass Predictor(BasePredictor):\n"
        "    def setup(self) -> None:\n        self.n = 1\n\n"
        "    def predict(self, prompt: str = Input(description=\"Prompt\")) -> str:\n        return prompt\n")
_NEW = ("from cog import BaseRunner, Input\n\n\nclass Runner(BaseRunner):\n"
        "    def setup(self) -> None:\n        self.n = 1\n\n"
        "    def run(self, prompt: str = Input(description=\"Prompt\")) -> str:\n        return prompt\n")
_Y = 'build:\n  python_version: "3.12"\n{key}: "predict.py:{name}"\n'


def _model(key: str = "predict", name: str = "Predictor", code: str = _OLD) -> dict:
    return {"cog.yaml": _Y.format(key=key, name=name), "predict.py": code, "requirements.txt": "", "main.py": None}


def _names(module, value: str) -> list:
    """Every ``Name`` node spelled ``value`` in the module (attributes' names included)."""
    import libcst as cst

    # One walk per module, shared by every question this rule asks of it.
    by_value = module.facts.get("cg141_names")
    if by_value is None:
        by_value = {}

        class V(cst.CSTVisitor):
            def visit_Name(self, node):
                by_value.setdefault(node.value, []).append(node)

        from pipelint.model.walk import walk  # libcst's visit, without rebuilding the tree
        walk(module.tree, V())
        module.facts["cg141_names"] = by_value
    return list(by_value.get(value, ()))


class PredictNames(Rule):
    """The deprecated `predict:` key, `BasePredictor` base, `predict()` method or `class Predictor`.

    ## What it does
    Reports, in cog.yaml, a `predict:` entry key, and in the entry module the names cog renamed
    in 0.20: the `Predictor` class named by the entry, its `BasePredictor` base, and its
    `predict()` method (or a function entry named `predict`).

    ## Why is this bad?
    cog 0.20 made `run:` / `BaseRunner` / `run()` the names of a model's entry and keeps the old
    ones as deprecated aliases: `deprecated field "predict": use "run" instead`,
    `cog: warning: Predictor.predict() is deprecated; use run() instead`.

    ## Example
    ```python
    from cog import BasePredictor

    class Predictor(BasePredictor):
        def predict(self, prompt: str) -> str: ...
    ```

    ## Use instead
    ```python
    from cog import BaseRunner

    class Runner(BaseRunner):
        def run(self, prompt: str) -> str: ...
    ```
    with `run: "predict.py:Runner"` in cog.yaml.

    ## Fix safety
    Unsafe: the model then needs cog 0.20 or newer, and code outside the model that imports the
    class by name breaks. Each rename is offered only when it is unambiguous: the new name is not
    used in the module yet and the old one is written nowhere else (a `predict` method called as
    `self.predict(…)`, or a `model.predict(…)` call, leaves `predict()` without a fix).
    """

    code = "CG141"
    name = "predict-names"
    severity = Severity.INFO
    targets = ("cog",)
    cog_versions = ">=0.20"
    files = ("cog.yaml", "python")
    metadata = ("qualified_name", "scope", "position")
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check(self) -> None:
        import libcst as cst

        from pipelint.analysis.cog_entry import cog_entry
        from pipelint.edits import yamledit
        from pipelint.model import yamlnodes

        p = self.project
        if p.cog_root is None:
            return
        ref = p.ref("predict")
        run = p.ref("run")
        # A root `run:` holding a list of shell commands is no entry (CG104 moves it under build):
        # `predict:` is still the entry and still deprecated, but cannot be renamed until it moves.
        run_is_commands = run is not None and yamlnodes.is_sequence(run.value_node)
        if ref is not None and (run is None or run_is_commands):
            fix = None if run_is_commands else self.fix(
                "Rename `predict:` to `run:`", yamledit.replace(p.cog_file, ref.key_node, "run"))
            self.report_yaml(ref.key_node, '`predict:` is deprecated (`deprecated field "predict": use "run" instead`)',
                             help="rename the key to `run`", fix=fix)
        e = cog_entry(p)
        if e is None or e.node is None:
            return
        m = e.module
        if isinstance(e.node, cst.ClassDef):
            if e.class_name == "Predictor":
                self._rename_entry(e, "Predictor", "Runner", "class `Predictor`")
            for arg in e.node.bases:
                qs = e.types.qualified_names(arg.value) if hasattr(e.types, "qualified_names") else set()
                if qs & {"cog.BasePredictor", "cog.predictor.BasePredictor"}:
                    fix = None
                    if not _names(m, "BaseRunner"):
                        fix = self.fix("Rename `BasePredictor` to `BaseRunner`",
                                       *(self._edit(m, n, "BaseRunner") for n in _names(m, "BasePredictor")))
                    self.report(arg.value, "`BasePredictor` is deprecated: use `BaseRunner`", module=m,
                                help="inherit from `cog.BaseRunner`", fix=fix)
            method = e.run_methods.get("predict")
            if method is not None and "run" not in e.run_methods:
                fix = None
                if any(s is method for s in e.node.body.body) and len(_names(m, "predict")) == 1:
                    fix = self.fix("Rename `predict()` to `run()`", self._edit(m, method.name, "run"))
                self.report(method.name, f"`{e.class_name}.predict()` is deprecated (`cog: warning: "
                            f"{e.class_name}.predict() is deprecated; use run() instead`)", module=m,
                            help="rename the method to `run()`", fix=fix)
        elif e.node.name.value == "predict":
            self._rename_entry(e, "predict", "run", "the function entry `predict`")

    def _rename_entry(self, e, old: str, new: str, what: str) -> None:
        from pipelint.analysis import cog_build
        from pipelint.model import yamlnodes

        p, m = self.project, e.module
        fix = None
        if not _names(m, new) and len(_names(m, old)) == 1 and e.ref is not None and e.ref.name == old:
            raw = cog_build.node_source(p.cog_file, e.ref.value_node)
            replaced, n = re.subn(rf":\s*{old}(?=\W*$)", f":{new}", raw)
            if n == 1:
                fix = self.fix(f"Rename `{old}` to `{new}` (and the cog.yaml entry)", self._edit(m, e.node.name, new),
                               Edit(p.cog_file.path, yamlnodes.start(e.ref.value_node), yamlnodes.end(e.ref.value_node),
                                    replaced))
        self.report(e.node.name, f"{what} uses the deprecated name: cog 0.20 calls it `{new}`", module=m,
                    help=f"rename it to `{new}` and update the cog.yaml entry", fix=fix)

    def _edit(self, module, node, text: str) -> Edit:
        start, end = module.range(node)
        return Edit(module.source.path, start, end, text)

    VALID = [Case(_model("run", "Runner", _NEW))]
    INVALID = [
        Case(_model(),
             expect=[("cog.yaml", 3, 1, 3, 8, "`predict:` is deprecated"),
                     ("predict.py", 4, 7, 4, 16, "class `Predictor` uses the deprecated name"),
                     ("predict.py", 4, 17, 4, 30, "`BasePredictor` is deprecated"),
                     ("predict.py", 8, 9, 8, 16, "`Predictor.predict()` is deprecated")],
             fixed={"cog.yaml": _Y.format(key="run", name="Runner"), "predict.py": _NEW}),
        Case(_model("run", "Predictor", _OLD.replace("        return prompt\n",
                                                      "        return self.model.predict(prompt)\n")),
             expect=[("predict.py", 4, 7, 4, 16, "class `Predictor`"),
                     ("predict.py", 4, 17, 4, 30, "`BasePredictor`"),
                     ("predict.py", 8, 9, 8, 16, "`Predictor.predict()`")],
             fixed={"cog.yaml": _Y.format(key="run", name="Runner"),
                    "predict.py": _NEW.replace("        return prompt\n", "        return self.model.predict(prompt)\n")
                                      .replace("def run(", "def predict(")},
             note="`predict` is written elsewhere: the method keeps its name"),
        Case(_model("predict", "predict", "from cog import Input\n\n\ndef predict(prompt: str = Input(description='P')) -> str:\n"
                                          "    return prompt\n"),
             expect=[("cog.yaml", 3, 1, 3, 8, "`predict:` is deprecated"),
                     ("predict.py", 4, 5, 4, 12, "the function entry `predict`")],
             fixed={"cog.yaml": _Y.format(key="run", name="run"),
                    "predict.py": "from cog import Input\n\n\ndef run(prompt: str = Input(description='P')) -> str:\n"
                                  "    return prompt\n"}),
    ]
