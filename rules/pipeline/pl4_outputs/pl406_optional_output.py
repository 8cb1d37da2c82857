"""PL406 optional-output: The return type is Optional."""

from __future__ import annotations

from pipelint.analysis import annotations as T
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class OptionalOutput(EntryRule):
    """The return type is Optional.

    ## What it does
    Reports `-> Optional[T]`, `-> T | None` and `-> Union[T, None]` on the entry.

    ## Why is this bad?
    Every runtime refuses an optional output when the model loads
    (`output must not be Optional`): a pipeline must always produce its output.

    ## Example
    ```python
    def run(prompt: str) -> Optional[str]:
        ...
    ```

    ## Use instead
    ```python
    def run(prompt: str) -> str:
        ...
    ```
    """

    code = "PL406"
    name = "optional-output"

    def check_entry(self, entry) -> None:
        t = entry.returns
        if t is None or t.kind != T.OPTIONAL:
            return
        inner = entry.text(t.inner)
        self.report(t.node, f"`{entry.func_name}()` returns an Optional type (`output must not be Optional`)",
                    help=f"annotate `-> {inner}` and always return a value (an empty one if there is nothing)")

    VALID = [Case("def run() -> str:\n    return ''\n")]
    INVALID = [
        Case("from typing import Optional\n\n\ndef run() -> Optional[str]:\n    return None\n",
             expect=[(4, 14, 4, 27, "`run()` returns an Optional type")]),
        Case("from cog import Path\n\n\ndef run() -> Path | None:\n    return None\n",
             expect=[(4, 14, 4, 25, "`run()` returns an Optional type")]),
        Case("import typing as t\n\n\nasync def run() -> 't.Union[None, int]':\n    return 1\n",
             expect=[(4, 20, 4, 40, "`run()` returns an Optional type")]),
    ]
