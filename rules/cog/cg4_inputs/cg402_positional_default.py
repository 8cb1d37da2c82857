"""CG402 positional-default: `Input(<default>)` — cog's static parser ignores a positional default."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\n  gpu: true\npredict: "predict.py:Predictor"\n'


def _case(src, **kw):
    return Case({"cog.yaml": _YAML, "predict.py": src, "main.py": None}, **kw)


class PositionalDefault(Rule):
    """An `Input()` whose default is passed positionally.

    ## What it does
    Reports `Input(4)` / `Input("a cat", description=...)`: a default given without `default=`,
    in the entry's parameters or in an "Inputs registry" class attribute.

    ## Why is this bad?
    cog's static schema parser (the only schema path since cog 0.20, the default since 0.19)
    reads only keyword arguments, so the default is ignored and the input becomes
    **required**: callers that omit it get HTTP 422.

    ## Example
    ```python
    def predict(self, steps: int = Input(28, ge=1)) -> str:
        ...
    ```

    ## Use instead
    ```python
    def predict(self, steps: int = Input(default=28, ge=1)) -> str:
        ...
    ```

    ## Fix safety
    The fix writes `default=` before the value. It is safe: it is the meaning the runtime
    already gave the argument.
    """

    code = "CG402"
    name = "positional-default"
    severity = Severity.WARNING
    targets = ("cog",)
    cog_versions = ">=0.19"
    fix_availability = "always"

    def check(self) -> None:
        from pipelint.analysis.cog_entry import cog_entry
        from pipelint.analysis.input_registry import registry_input

        entry = cog_entry(self.project)
        if entry is None or entry.function is None:
            return
        seen = set()
        for p in entry.inputs:
            call = p.input
            if call is None:
                reg = registry_input(entry, p)
                call = reg.call if reg is not None else None
            if call is None or not call.positional or id(call.node) in seen:
                continue
            seen.add(id(call.node))
            arg = call.positional[0]
            value = entry.code(arg.value)
            fix = self.fix("Write `default=`", self.edit_node(arg.value, f"default={value}", module=entry.module))
            self.report(arg.value, f"input `{p.name}` passes its default `{value}` positionally: cog's static "
                        "schema parser ignores it and the input becomes required",
                        help=f"write `Input(default={value}, ...)`", fix=fix, module=entry.module)

    VALID = [
        _case("from cog import BasePredictor, Input\n\n\nclass Predictor(BasePredictor):\n"
              "    def predict(self, steps: int = Input(default=28, ge=1)) -> str:\n        return ''\n"),
    ]
    INVALID = [
        _case("from cog import BasePredictor, Input\n\n\nclass Predictor(BasePredictor):\n"
              "    def predict(self, steps: int = Input(28, ge=1)) -> str:\n        return ''\n",
              expect=[("predict.py", 5, 42, 5, 44, "passes its default `28` positionally")],
              fixed={"predict.py": "from cog import BasePredictor, Input\n\n\nclass Predictor(BasePredictor):\n"
                     "    def predict(self, steps: int = Input(default=28, ge=1)) -> str:\n        return ''\n"}),
    ]
