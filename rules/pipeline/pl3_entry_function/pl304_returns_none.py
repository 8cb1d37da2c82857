"""PL304 returns-none: The entry is annotated `-> None`."""

from __future__ import annotations

from pipelint.analysis import annotations as T
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class ReturnsNone(EntryRule):
    """The entry is annotated `-> None`.

    ## What it does
    Reports `-> None` (also spelt `-> "None"`) on the entry function.

    ## Why is this bad?
    Every runtime rejects it when the model loads (`run() must not return None`), although
    the pipeline guide's own examples use it: a pipeline must return a value.

    ## Example
    ```python
    def run(prompt: str) -> None:
        print(llm(prompt=prompt))
    ```

    ## Use instead
    ```python
    def run(prompt: str) -> str:
        return str(llm(prompt=prompt))
    ```
    """

    code = "PL304"
    name = "returns-none"

    def check_entry(self, entry) -> None:
        t = entry.returns
        if t is None or t.kind != T.NONE:
            return
        f = entry.func_name
        self.report(t.node, f"`{f}()` is annotated `-> None`, which every runtime rejects (`{f}() must not return None`)",
                    help="return what the pipeline produces and annotate its type, e.g. `-> str` or `-> Path`")

    VALID = [Case("def run() -> str:\n    return 'done'\n"),
             Case("def helper() -> None:\n    pass\n\ndef run() -> str:\n    return 'x'\n")]
    INVALID = [
        Case("def run() -> None:\n    print('x')\n",
             expect=[(1, 14, 1, 18, "`run()` is annotated `-> None`, which every runtime rejects")]),
        Case("def run(prompt: str) -> 'None':\n    print(prompt)\n",
             expect=[(1, 25, 1, 31, "`run()` is annotated `-> None`, which every runtime rejects")]),
        Case("async def run(\n    prompt: str,\n) -> None:\n    print(prompt)\n",
             expect=[(3, 6, 3, 10, "`run()` is annotated `-> None`, which every runtime rejects")]),
    ]
