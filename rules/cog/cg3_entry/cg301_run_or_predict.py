"""CG301 run-or-predict: A class entry defines both `run()` and `predict()`, or neither."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\n  gpu: true\nrun: "predict.py:Runner"\n'


class RunOrPredict(Rule):
    """A class entry defines both `run()` and `predict()`, or neither.

    ## What it does
    Reports a class named by `run:`, `predict:` or `train:` whose methods (its own, or those of
    base classes defined in the same module, up to `BaseRunner`) include both `run()` and
    `predict()`, or neither. A `train:` class with only `train()` is reported too: cog 0.23
    validates every class entry the same way.

    ## Why is this bad?
    `cog build` passes, but the model cannot boot: cog's loader raises
    `Runner must define either run() or predict(), not both` or
    `run or predict method not found: Runner`. Mixins listed *after* `BaseRunner` are not
    consulted by the loader.

    ## Example
    ```python
    class Runner(BaseRunner):
        def run(self, image: Path) -> Path: ...
        def predict(self, image: Path) -> Path: ...
    ```

    ## Use instead
    ```python
    class Runner(BaseRunner):
        def run(self, image: Path) -> Path: ...
    ```
    """

    code = "CG301"
    name = "run-or-predict"
    targets = ("cog",)
    cog_versions = ">=0.20"
    files = ("python",)
    metadata = ("qualified_name", "scope", "position")

    def check(self) -> None:
        import libcst as cst

        from pipelint.analysis.cog_entry import cog_entry

        for key in (None, "train"):
            e = cog_entry(self.project, key)
            if e is None or not isinstance(e.node, cst.ClassDef) or not e.bases_known:
                continue
            n = e.class_name
            if len(e.run_methods) == 2:
                self.report(e.node.name, f"`{n}` defines both `run()` and `predict()`: the model cannot boot "
                            f"(`{n} must define either run() or predict(), not both`)",
                            module=e.module, help="keep one of them (`run()` is the current name)")
            elif not e.run_methods:
                extra = " (`train()` alone is not enough)" if e.train_method is not None else ""
                self.report(e.node.name, f"`{n}` defines neither `run()` nor `predict()`{extra}: the model cannot "
                            f"boot (`run or predict method not found: {n}`)", module=e.module,
                            help="define `run()`")

    VALID = [
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "from cog import BaseRunner\n\nclass Runner(BaseRunner):\n    def run(self) -> str:\n        return ''\n"}),
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "from cog import BaseRunner\n\nclass M:\n    def run(self) -> str:\n        return ''\n\n"
                            "class Runner(M, BaseRunner):\n    pass\n"}, note="run() from a local mixin"),
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "from cog import BaseRunner\nfrom base import Base\n\nclass Runner(Base):\n    pass\n"},
             note="an imported base may define run(): not reported"),
    ]
    INVALID = [
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "from cog import BaseRunner\n\nclass Runner(BaseRunner):\n    def run(self) -> str:\n        return ''\n\n"
                            "    def predict(self) -> str:\n        return ''\n"},
             expect=[("predict.py", 3, 7, 3, 13, "defines both `run()` and `predict()`")]),
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "from cog import BaseRunner\n\nclass M:\n    def run(self) -> str:\n        return ''\n\n"
                            "class Runner(BaseRunner, M):\n    pass\n"},
             expect=[("predict.py", 7, 7, 7, 13, "defines neither `run()` nor `predict()`")],
             note="a mixin after BaseRunner is not consulted"),
        Case({"cog.yaml": _YAML + 'train: "train.py:Trainer"\n', "main.py": None,
              "predict.py": "from cog import BaseRunner\n\nclass Runner(BaseRunner):\n    def run(self) -> str:\n        return ''\n",
              "train.py": "class Trainer:\n    def train(self, n: int) -> str:\n        return ''\n"},
             expect=[("train.py", 1, 7, 1, 14, "(`train()` alone is not enough)")]),
    ]
