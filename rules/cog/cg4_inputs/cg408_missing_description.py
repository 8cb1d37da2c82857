"""CG408 missing-description: an input without a `description`."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\n  gpu: false\nrun: "run.py:Runner"\n'
_HEAD = "from cog import BaseRunner, Input\n\n\nclass Runner(BaseRunner):\n"


def _case(params, **kw):
    return Case({"cog.yaml": _YAML, "run.py": _HEAD + f"    def run(self, {params}) -> str:\n        return ''\n",
                 "main.py": None}, **kw)


class MissingDescription(Rule):
    """An input has no `description`.

    ## What it does
    Reports an entry parameter whose `Input()` (written there or in an "Inputs registry") has no
    `description=`, or which has no `Input()` at all.

    ## Why is this bad?
    The description is what the model's page, the API schema and the generated clients show
    for the input. Without one, callers have to guess what it does and which values make sense.

    ## Example
    ```python
    def run(self, strength: float = 0.8) -> str: ...
    ```

    ## Use instead
    ```python
    def run(self, strength: float = Input(description="How much to change the image, 0 to 1", default=0.8)) -> str: ...
    ```
    """

    code = "CG408"
    name = "missing-description"
    severity = Severity.INFO
    targets = ("cog",)

    def check(self) -> None:
        from pipelint.analysis import static_schema as S
        from pipelint.analysis.cog_entry import cog_entry

        entry = cog_entry(self.project)
        if entry is None or entry.function is None:
            return
        for p in entry.inputs:
            if p.annotation is None and p.default is None:
                continue  # not an input cog reads
            si = S.input_of(entry, p)
            if si is not None and ("description" in si.call.args or si.call.splat):
                continue
            if si is None and p.default is not None and not p.plain_default:
                continue  # an Input we cannot read: another rule says so
            self.report(p.node.name, f"input `{p.name}` has no description: the API schema and the model's page show "
                        "nothing for it", help="give it `Input(description=\"...\")`", module=entry.module)

    VALID = [_case("prompt: str = Input(description='What to draw')")]
    INVALID = [
        _case("strength: float = 0.8, seed: int = Input(default=1)",
              expect=[("run.py", 5, 19, 5, 27, "input `strength` has no description"),
                      ("run.py", 5, 42, 5, 46, "input `seed` has no description")]),
    ]
