"""CG309 train-missing: A `train:` entry without `train`."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\nrun: "predict.py:run"\n'
_PREDICT = "def run(prompt: str) -> str:\n    return prompt\n"


def _version_at_least(project, minor: tuple[int, int]) -> bool:
    version = project.cog_version
    try:
        parts = tuple(int(x) for x in str(version).split(".")[:2])
    except ValueError:
        return True
    return parts >= minor


class TrainMissing(Rule):
    """A `train:` entry that has no `train` to call.

    ## What it does
    Reports the class named by `train:` when its own body defines no `train()` method, and a
    `train:` name that is neither a function nor a class when the file defines no top-level
    `def train` either.

    ## Why is this bad?
    cog's schema parser reads a training class's **own** body for `train()` (a method inherited
    from a mixin is not found since the static parser became the default in cog 0.19):
    `cog build` fails with `Trainer.train not found`. For a function ref it takes the named
    function, else a top-level `def train`.

    ## Example
    ```python
    class Trainer:
        def run(self, steps: int) -> Path: ...
    ```

    ## Use instead
    ```python
    class Trainer:
        def train(self, steps: int) -> Path: ...
    ```
    """

    code = "CG309"
    name = "train-missing"
    targets = ("cog",)
    cog_versions = ""
    files = ("python",)
    metadata = ("qualified_name", "scope", "position")

    def check(self) -> None:
        import libcst as cst

        from pipelint.analysis.cog_entry import cog_entry
        from pipelint.analysis.entry import class_methods
        from pipelint.model.imports import top_level_bindings

        e = cog_entry(self.project, "train")
        if e is None:
            return
        if isinstance(e.node, cst.ClassDef):
            if "train" in class_methods(e.node):
                return
            static = _version_at_least(self.project, (0, 19))
            if not static and (e.train_method is not None or not e.bases_known):
                return  # the runtime finds it through the MRO
            inherited = " (an inherited `train()` is not found: the schema parser reads the class's own body)" \
                if e.train_method is not None or not e.bases_known else ""
            self.report(e.node.name, f"the `train:` class `{e.class_name}` defines no `train()`{inherited}: "
                                     f"`cog build` fails (`{e.class_name}.train not found`)",
                        module=e.module, help=f"define `def train(self, ...)` in `{e.class_name}`")
            return
        if e.node is not None or e.module.tree is None:
            return
        name = e.class_name
        defs = {s.name.value for s in e.module.tree.body if isinstance(s, cst.FunctionDef)}
        if not name or "train" in defs or name not in top_level_bindings(e.module.tree):
            return  # a name not defined at all is the ref's own problem
        self.report_yaml(e.ref.value_node, f"`{name}` in the `train:` entry is neither a function nor a class, and "
                                           f"the file defines no `def train`: cog finds nothing to train with",
                         help=f"define `def {name}(...)` or `def train(...)` at the top level")

    VALID = [
        Case({"cog.yaml": _YAML + 'train: "train.py:Trainer"\n', "main.py": None, "predict.py": _PREDICT,
              "train.py": "class Trainer:\n    def train(self, steps: int) -> str:\n        return ''\n"}),
        Case({"cog.yaml": _YAML + 'train: "train.py:fine_tune"\n', "main.py": None, "predict.py": _PREDICT,
              "train.py": "fine_tune = None\n\ndef train(steps: int) -> str:\n    return ''\n"},
             note="cog falls back to a top-level def train"),
    ]
    INVALID = [
        Case({"cog.yaml": _YAML + 'train: "train.py:Trainer"\n', "main.py": None, "predict.py": _PREDICT,
              "train.py": "class Trainer:\n    def run(self, steps: int) -> str:\n        return ''\n"},
             expect=[("train.py", 1, 7, 1, 14, "`cog build` fails (`Trainer.train not found`)")]),
        Case({"cog.yaml": _YAML + 'train: "train.py:Trainer"\n', "main.py": None, "predict.py": _PREDICT,
              "train.py": "class Mixin:\n    def train(self, steps: int) -> str:\n        return ''\n\n"
                          "class Trainer(Mixin):\n    pass\n"},
             expect=[("train.py", 5, 7, 5, 14, "(an inherited `train()` is not found")]),
        Case({"cog.yaml": _YAML + 'train: "train.py:fine_tune"\n', "main.py": None, "predict.py": _PREDICT,
              "train.py": "fine_tune = None\n"},
             expect=[("cog.yaml", 4, 8, 4, 28, "is neither a function nor a class")]),
    ]
