"""CG401 default-none-required: `Input(default=None)` on a non-Optional type is a required input."""

from __future__ import annotations

from pipelint.core.diagnostics import Applicability, Severity
from pipelint.edits.optional import optional_spelling
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\n  gpu: true\npredict: "predict.py:Predictor"\n'


def _case(src, **kw):
    return Case({"cog.yaml": _YAML, "predict.py": src, "main.py": None}, **kw)


class DefaultNoneRequired(Rule):
    """An input defaults to `None` but its type is not Optional, so cog makes it required.

    ## What it does
    Reports `x: T = Input(default=None)` (or `= None`, or a registry attribute such as
    `Inputs.seed` holding `Input(default=None)`) when `T` is not `Optional[...]`/`T | None`.
    A bare `cog.Secret` is excepted: cog keeps it optional.

    ## Why is this bad?
    Since cog 0.19 the static schema parser decides the schema, and it treats "a default of
    None on a non-nullable field" as no default: the input becomes **required**. API callers
    that omit it get HTTP 422 (`Field required`, `missing required input "<name>"`).

    ## Example
    ```python
    class Predictor(BasePredictor):
        def predict(self, seed: int = Input(default=None)) -> str:
            ...
    ```

    ## Use instead
    ```python
    class Predictor(BasePredictor):
        def predict(self, seed: Optional[int] = Input(default=None)) -> str:
            ...
    ```

    ## Fix safety
    The fix writes `Optional[T]` (importing it from `typing` if needed), or `T | None` when the
    file already spells unions that way. It is unsafe: the schema type changes to nullable, and
    code that assumed a value may now receive `None`.
    """

    code = "CG401"
    name = "default-none-required"
    severity = Severity.WARNING
    targets = ("cog",)
    cog_versions = ">=0.19"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check(self) -> None:
        import libcst as cst

        from pipelint.analysis import annotations as T
        from pipelint.analysis.cog_entry import cog_entry
        from pipelint.analysis.input_registry import registry_input

        entry = cog_entry(self.project)
        if entry is None or entry.function is None:
            return
        for p in entry.inputs:
            t = p.type
            if t is None or t.kind in (T.OPTIONAL, T.NONE, T.UNKNOWN, T.SECRET):
                continue
            via = ""
            none = p.defaults_to_none
            if not none:
                reg = registry_input(entry, p)
                a = reg.call.args.get("default") if reg is not None else None
                none = a is not None and isinstance(a.value_node, cst.Name) and a.value_node.value == "None"
                via = f" (through `{reg.attribute}`)" if none else ""
            if not none:
                continue
            text = entry.code(p.annotation)
            written, edits = optional_spelling(entry, text)
            fix = self.fix(f"Make `{p.name}` `{written}`", self.edit_node(p.annotation, written, module=entry.module), *edits) \
                if t.written else None
            self.report(p.annotation, f"input `{p.name}` defaults to None{via} but its type `{entry.text(t)}` "
                        "is not Optional: cog >=0.19 makes it a required input (callers that omit it get HTTP 422)",
                        help=f"write `{p.name}: {optional_spelling(entry, entry.text(t))[0]}`", fix=fix, module=entry.module)

    VALID = [
        _case("from typing import Optional\nfrom cog import BasePredictor, Input\n\n\nclass Predictor(BasePredictor):\n"
              "    def predict(self, seed: Optional[int] = Input(default=None)) -> str:\n        return ''\n"),
        _case("from cog import BasePredictor, Input, Secret\n\n\nclass Predictor(BasePredictor):\n"
              "    def predict(self, key: Secret = Input(default=None)) -> str:\n        return ''\n"),
        _case("from cog import BasePredictor, Input\n\n\nclass Inputs:\n    seed = Input(default=None)\n\n\n"
              "class Predictor(BasePredictor):\n    def predict(self, seed: int | None = Inputs.seed) -> str:\n"
              "        return ''\n"),
    ]
    INVALID = [
        _case("from cog import BasePredictor, Input\n\n\nclass Predictor(BasePredictor):\n"
              "    def predict(self, seed: int = Input(default=None)) -> str:\n        return ''\n",
              expect=[("predict.py", 5, 29, 5, 32, "input `seed` defaults to None but its type `int` is not Optional")],
              fixed={"predict.py": "from typing import Optional\n\nfrom cog import BasePredictor, Input\n\n\n"
                     "class Predictor(BasePredictor):\n"
                     "    def predict(self, seed: Optional[int] = Input(default=None)) -> str:\n        return ''\n"}),
        _case("from cog import BasePredictor, Input\n\n\nclass Inputs:\n    seed = Input(default=None)\n\n\n"
              "class Predictor(BasePredictor):\n    def predict(self, x: str | None = None, seed: int = Inputs.seed) -> str:\n"
              "        return ''\n",
              expect=[("predict.py", 9, 51, 9, 54, "defaults to None (through `Inputs.seed`)")],
              fixed={"predict.py": "from cog import BasePredictor, Input\n\n\nclass Inputs:\n    seed = Input(default=None)\n\n\n"
                     "class Predictor(BasePredictor):\n    def predict(self, x: str | None = None, seed: int | None = Inputs.seed) -> str:\n"
                     "        return ''\n"}),
    ]
