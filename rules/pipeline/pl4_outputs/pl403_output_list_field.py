"""PL403 output-list-field: A list-typed field on the Output model."""

from __future__ import annotations

from pipelint.analysis import annotations as T
from pipelint.analysis.entry import FIELD
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class ListField(EntryRule):
    """A list-typed field on the Output model.

    ## What it does
    Reports a field of the returned Output model typed `list[...]`, `List[...]` or
    `Optional[list[...]]`.
    The class is judged wherever the return type names it: itself, or inside `list[...]`,
    `Optional[...]` or an iterator (PL404 and PL406 report the wrapper, which does not
    prevent analysing the class), and in the file that defines it, a local module it is
    imported or re-exported from included. Only a class that is not a `BaseModel` is left
    alone: PL412 reports the class itself.

    ## Why is this bad?
    The pinned pipelines runtime refuses list fields in the output model when it loads
    (`output field must not be list: items`). The guide: "`list[anything]` properties inside
    custom Output classes" are not supported.

    ## Example
    ```python
    class Output(BaseModel):
        items: list[str]
    ```

    ## Use instead
    ```python
    def run() -> list[str]:
        ...
    ```
    or separate singular fields (`first_item: str`, `second_item: str`).
    """

    code = "PL403"
    name = "output-list-field"

    def check_entry(self, entry) -> None:
        for slot in entry.output_slots:
            if slot.role != FIELD or slot.value.kind != T.LIST:
                continue
            name = slot.field.name
            self.report(slot.type.node, module=slot.module, message=f"output field `{name}` is a list (`output field must not be list: {name}`)",
                        help="return the list itself (`-> list[str]`), or use singular fields, or join the items into "
                             "one `str`")

    VALID = [Case("from typing import Optional\nfrom cog import BaseModel, Path\n\n\nclass Output(BaseModel):\n"
                  "    image: Optional[Path]\n    text: str\n\n\ndef run() -> Output:\n    return Output(image=None, text='')\n")]
    INVALID = [
        Case("from cog import BaseModel, Path\n\n\nclass Output(BaseModel):\n    items: list[str]\n    results: list[Path]\n\n\n"
             "def run() -> Output:\n    return Output(items=[], results=[])\n",
             expect=[(5, 12, 5, 21, "output field `items` is a list"),
                     (6, 14, 6, 24, "output field `results` is a list")]),
        Case("import typing as t\nimport cog\n\n\nclass Output(cog.BaseModel):\n    tags: t.Optional[t.List[str]]\n\n\n"
             "def run() -> Output:\n    return Output(tags=None)\n",
             expect=[(6, 11, 6, 34, "output field `tags` is a list")]),
        Case({"main.py": "from helpers import Result\n\n\ndef run() -> Result:\n    return Result(text='x', tags=[])\n",
                    "helpers/__init__.py": "from .schema import Result\n\n__all__ = ['Result']\n",
                    "helpers/schema.py": "from cog import BaseModel\n\n\nclass Result(BaseModel):\n    text: str\n"
                                         "    tags: list[str]\n"},
             expect=[("helpers/schema.py", 6, 11, 6, 20, "output field `tags` is a list")],
             note="defined in a local module, re-exported by its package"),
        Case("from typing import Optional\nfrom cog import BaseModel\n\n\nclass Output(BaseModel):\n    tags: list[str]\n\n\n"
             "def run() -> Optional[list[Output]]:\n    return None\n",
             expect=[(6, 11, 6, 20, "output field `tags` is a list")],
             note="inside wrappers other rules report (PL404, PL406): the fields are still judged"),
    ]
