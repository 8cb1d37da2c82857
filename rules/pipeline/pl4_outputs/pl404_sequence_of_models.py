"""PL404 sequence-of-models: A list or iterator of Output objects as the return type."""

from __future__ import annotations

from pipelint.analysis import annotations as T
from pipelint.analysis.entry import BASE_MODEL_FLAVORS, ELEMENT
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class SequenceOfModels(EntryRule):
    """A list or iterator of Output objects as the return type.

    ## What it does
    Reports `list[Output]`, `Iterator[Output]` (and the like) where the element is a
    `BaseModel` class.
    It hides nothing: the element class's own name (PL401), base (PL408) and fields
    (PL403, PL405, …) are still judged beside it.

    ## Why is this bad?
    The pinned pipelines runtime serialises models only as the whole output, not as list or
    iterator elements, and refuses the model when it loads
    (`unsupported Cog type <class 'main.Output'>`). The guide lists `list[Output]` as not
    supported.

    ## Example
    ```python
    def run() -> list[Output]:
        return [Output(text="hello"), Output(text="world")]
    ```

    ## Use instead
    ```python
    def run() -> list[str]:
        return ["hello", "world"]
    ```
    """

    code = "PL404"
    name = "sequence-of-models"

    def check_entry(self, entry) -> None:
        for slot in entry.output_slots:
            t = slot.value
            if slot.role != ELEMENT or t.kind != T.MODEL or t.model.flavor not in BASE_MODEL_FLAVORS:
                continue
            name = t.model.name
            self.report(t.node, f"`{entry.func_name}()` returns a sequence of `{name}` objects, which the pipelines "
                        f"runtime cannot serialise (`unsupported Cog type <class '{t.model.module.name}.{name}'>`)",
                        help="return a `list[str]`/`list[Path]`, or one `Output` with singular fields")

    VALID = [Case("from cog import Path\n\n\ndef run() -> list[Path]:\n    return []\n")]
    INVALID = [
        Case("from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
             "def run() -> list[Output]:\n    return []\n",
             expect=[(8, 19, 8, 25, "`run()` returns a sequence of `Output` objects, which the pipelines runtime "
                                    "cannot serialise")]),
        Case("from typing import Iterator\nfrom cog import BaseModel as BM\n\n\n"
             "def run() -> Iterator['Output']:\n    yield Output(text='x')\n\n\nclass Output(BM):\n    text: str\n",
             expect=[(5, 23, 5, 31, "`run()` returns a sequence of `Output` objects, which the pipelines runtime "
                                    "cannot serialise")]),
    ]
