"""PL402 dict-output: `dict` as the return type or an Output field."""

from __future__ import annotations

from pipelint.analysis import annotations as T
from pipelint.analysis.entry import ELEMENT, FIELD, output_subject
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class DictOutput(EntryRule):
    """`dict` as the return type or an Output field.

    ## What it does
    Reports `dict` in any spelling (`dict`, `dict[str, int]`, `Dict[...]`, `typing.Dict`)
    as the entry's return type, the element of a returned list or iterator, or the type of a
    field of the Output model.

    ## Why is this bad?
    The pinned pipelines runtime has no way to serialise a dict and refuses the model when it
    loads (`unsupported Cog type <class 'dict'>`). The guide: "Do NOT use `dict` as an output
    type!"

    ## Example
    ```python
    def run() -> dict:
        return {"text": "hello", "score": 0.95}
    ```

    ## Use instead
    ```python
    class Output(BaseModel):
        text: str
        score: float

    def run() -> Output:
        return Output(text="hello", score=0.95)
    ```
    """

    code = "PL402"
    name = "dict-output"

    def check_entry(self, entry) -> None:
        for slot in entry.output_slots:
            t = slot.value
            if t.kind != T.DICT:
                continue
            shown = entry.text(t)
            if slot.role == FIELD:
                what = f"{output_subject(entry, slot)} is a `{shown}`"
            elif slot.role == ELEMENT:
                what = f"`{entry.func_name}()` returns a sequence of `{shown}`"
            else:
                what = f"`{entry.func_name}()` returns `{shown}`"
            help_ = ("split it into typed fields of the Output model (or a JSON `str` field)" if slot.role == FIELD
                     else "define `class Output(BaseModel)` with one typed field per key (or return a JSON `str`)")
            self.report(t.node, module=slot.module, message=f"{what}, which the pipelines runtime cannot serialise (`unsupported Cog type {shown}`)",
                        help=help_)

    VALID = [Case("from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
                  "def run() -> Output:\n    return Output(text='x')\n")]
    INVALID = [
        Case("def run() -> dict:\n    return {}\n",
             expect=[(1, 14, 1, 18, "`run()` returns `dict`, which the pipelines runtime cannot serialise")]),
        Case("from typing import Dict, Iterator\n\n\ndef run() -> Iterator[Dict[str, int]]:\n    yield {}\n",
             expect=[(4, 23, 4, 37, "`run()` returns a sequence of `Dict[str, int]`, which the pipelines runtime "
                                    "cannot serialise")]),
        Case("import typing\nfrom cog import BaseModel\n\n\nclass Output(BaseModel):\n    meta: typing.Optional[typing.Dict]\n\n\n"
             "def run() -> 'Output':\n    return Output(meta=None)\n",
             expect=[(6, 27, 6, 38, "output field `meta` of `Output` is a `typing.Dict`, which the pipelines "
                                    "runtime cannot serialise")]),
        Case("def run() -> list[dict[str, str]]:\n    return []\n",
             expect=[(1, 19, 1, 33, "`run()` returns a sequence of `dict[str, str]`, which the pipelines runtime "
                                    "cannot serialise")]),
    ]
