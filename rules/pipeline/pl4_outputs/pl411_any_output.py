"""PL411 any-output: `-> Any`: the output has no schema."""

from __future__ import annotations

from pipelint.analysis import annotations as T
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class AnyOutput(EntryRule):
    """`-> Any`: the output has no schema.

    ## What it does
    Reports `typing.Any` as the entry's return type.

    ## Why is this bad?
    The model loads, with a warning (`use of Any as output type is error-prone and highly
    discouraged`): the output gets no schema, so callers and other pipelines cannot know
    what they receive, and values the runtime cannot serialise fail only at prediction time.

    ## Example
    ```python
    def run(prompt: str) -> Any:
        ...
    ```

    ## Use instead
    ```python
    def run(prompt: str) -> str:
        ...
    ```
    """

    code = "PL411"
    name = "any-output"
    severity = Severity.WARNING

    def check_entry(self, entry) -> None:
        t = entry.returns
        if t is None or t.kind != T.ANY:
            return
        self.report(t.node, f"`{entry.func_name}()` returns `Any`, so its output has no schema "
                    "(`use of Any as output type is error-prone and highly discouraged`)",
                    help="annotate the real type: a scalar, `Path`, a list of one, or an `Output` model")

    VALID = [Case("from typing import Any\n\n\ndef helper() -> Any:\n    pass\n\n\ndef run() -> str:\n    return ''\n")]
    INVALID = [
        Case("from typing import Any\n\n\ndef run() -> Any:\n    return 1\n",
             expect=[(4, 14, 4, 17, "`run()` returns `Any`, so its output has no schema")]),
        Case("import typing\n\n\ndef run() -> 'typing.Any':\n    return 1\n",
             expect=[(4, 14, 4, 26, "`run()` returns `Any`, so its output has no schema")]),
    ]
