"""PL313 class-entry: The entry is a class."""

from __future__ import annotations

from pipelint.analysis.entry import METADATA as ENTRY_METADATA
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

BASE_PREDICTORS = {"cog.BasePredictor", "cog.predictor.BasePredictor", "coglet.api.BasePredictor",
                   "cog.base_predictor.BasePredictor"}


def _inherits_base_predictor(classdef, resolver, depth=0):
    """True, False, or None when a base cannot be followed."""
    import libcst as cst

    if depth > 20:
        return None
    unknown = False
    for arg in classdef.bases:
        if arg.keyword is not None:
            continue
        names = resolver.qualified_names(arg.value)
        if names & BASE_PREDICTORS:
            return True
        local = [n for n in names if n in resolver.toplevel]
        if local:
            target = [n for n in resolver.toplevel[local[0]] if isinstance(n, cst.ClassDef)]
            if target and target[-1] is not classdef:
                found = _inherits_base_predictor(target[-1], resolver, depth + 1)
                if found:
                    return True
                unknown = unknown or found is None
                continue
        if not names or not all(n.startswith("builtins.") for n in names):
            unknown = True
    return None if unknown else False


class ClassEntry(Rule):
    """The entry is a class.

    ## What it does
    Reports a `predict:` that names a class, and what the pipelines runtime needs of such a
    class: to subclass `cog.BasePredictor`, to define `predict()` (it never calls `run()`),
    `self` as the first parameter, and a `setup()` that takes nothing but `self` (and
    `weights`) and returns nothing. It is an error where the runtime certainly fails to load
    the class (no `BasePredictor` base, `run()` but no `predict()`, …), and a warning for a
    class it loads.

    ## Why is this bad?
    Pipelines are functions: the guide documents only `predict: "main.py:run"` with a
    top-level `def run(...)`. A class loads only when it meets coglet's rules; otherwise it
    fails with `predictor main.Predictor does not inherit cog.BasePredictor`,
    `predict method not found`, `predict() must have 'self' first argument` or
    `unexpected setup() arguments`.

    ## Example
    ```python
    class Predictor:
        def run(self, prompt: str) -> str:
            return prompt
    ```

    ## Use instead
    ```python
    def run(prompt: str) -> str:
        return prompt
    ```
    """

    code = "PL313"
    name = "class-entry"
    severity = Severity.ERROR
    files = ("python",)
    metadata = ENTRY_METADATA

    def check(self) -> None:
        from pipelint.analysis.entry import class_methods, entry_of

        entry = entry_of(self.project)
        if entry is None or not entry.is_class:
            return
        cls = entry.node
        name = cls.name.value
        full = f"{entry.module.name}.{name}"
        methods = class_methods(cls)
        problems = []
        inherits = _inherits_base_predictor(cls, entry.types)
        if inherits is False:
            problems.append(f"it does not subclass `cog.BasePredictor` (`predictor {full} does not inherit cog.BasePredictor`)")
        if "predict" not in methods and inherits is not None:
            if "run" in methods:
                problems.append("it defines `run()`, but the pipelines runtime calls only `predict()`")
            else:
                problems.append(f"it has no `predict()` method (`predict method not found: {full}`)")
        message = f"the entry `{name}` is a class, but pipelines are functions"
        if problems:
            message += "; the runtime cannot load it: " + "; ".join(problems)
        refused = self._check_self(entry)
        if "setup" in methods:
            refused = self._check_setup(methods["setup"]) or refused
        # An error where the runtime certainly fails; a class it can load is only unidiomatic.
        self.report(cls.name, message, severity=None if problems or refused else Severity.WARNING,
                    help=f'write a top-level `def run(...) -> ...:` and point cog.yaml at it (`predict: "{entry.module.rel}:run"`)')

    def _check_self(self, entry) -> bool:
        import libcst as cst

        f = entry.function
        if f is None:
            return False
        first = entry.self_param
        fname = f.name.value
        if first is None or first.name.value != "self":
            if any(isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod" for d in f.decorators):
                detail = "is a static method"
            else:
                detail = "does not take `self` as its first parameter"
            self.report(f.name, f"`{fname}()` {detail} (`{fname}() must have 'self' first argument`)",
                        help=f"write `def {fname}(self, ...)`")
            return True
        return False

    def _check_setup(self, setup) -> bool:
        import libcst as cst

        p = setup.params
        positional = [*p.posonly_params, *p.params]
        required = [x.name.value for x in positional if x.default is None]
        problems = []
        if not required or required[0] != "self":
            problems.append("`setup() must have 'self' first argument`")
        extra = [n for n in required if n not in ("self", "weights")]
        if extra:
            problems.append(f"`unexpected setup() arguments: {', '.join(extra)}`")
        if isinstance(p.star_arg, cst.Param):
            problems.append("`setup() must not have *args`")
        if p.star_kwarg is not None:
            problems.append("`setup() must not have **kwargs`")
        if p.kwonly_params:
            problems.append("`setup() must not have keyword-only args`")
        ret = setup.returns
        if ret is not None and not (isinstance(ret.annotation, cst.Name) and ret.annotation.value == "None"):
            problems.append("`setup() must return None`")
        if problems:
            self.report(setup.name, "the runtime refuses this `setup()`: " + "; ".join(problems),
                        help="write `def setup(self) -> None:` (pipelines have no setup step: do the work in the function)")
        return bool(problems)

    VALID = [Case("def run(prompt: str) -> str:\n    return prompt\n")]
    # A `BasePredictor` subclass with `predict()` loads: that is a warning (the fixtures under
    # fixtures/entry/ show it), not an example of this rule's error.
    INVALID = [
        Case({"cog.yaml": 'predict: "main.py:Runner"\n',
              "main.py": "class Runner:\n    def run(self, prompt: str) -> str:\n        return prompt\n"},
             expect=[(1, 7, 1, 13, "the entry `Runner` is a class, but pipelines are functions; the runtime cannot "
                                   "load it")]),
        Case({"cog.yaml": 'predict: "main.py:Predictor"\n',
              "main.py": "import cog\n\n\n@some_decorator\nclass Predictor(cog.BasePredictor):\n"
                         "    def setup(self, model_path):\n        pass\n\n"
                         "    def predict(prompt: str) -> str:\n        return prompt\n"},
             expect=[(5, 7, 5, 16, "the entry `Predictor` is a class, but pipelines are functions"),
                     (6, 9, 6, 14, "the runtime refuses this `setup()`"),
                     (9, 9, 9, 16, "`predict()` does not take `self` as its first parameter")]),
    ]
