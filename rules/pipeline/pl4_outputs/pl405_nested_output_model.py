"""PL405 nested-output-model: A structured type (another model) as an Output field."""

from __future__ import annotations

from pipelint.analysis import annotations as T
from pipelint.analysis.entry import BASE_MODEL_FLAVORS, FIELD
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class NestedModelField(EntryRule):
    """A structured type (another model) as an Output field.

    ## What it does
    Reports a field of the returned Output model whose type is another `BaseModel` class,
    directly, through `Optional[...]`, or as a string forward reference.
    The class is judged wherever the return type names it: itself, or inside `list[...]`,
    `Optional[...]` or an iterator (PL404 and PL406 report the wrapper, which does not
    prevent analysing the class), and in the file that defines it, a local module it is
    imported or re-exported from included. Only a class that is not a `BaseModel` is left
    alone: PL412 reports the class itself.

    ## Why is this bad?
    The pinned pipelines runtime serialises only scalar and file fields and refuses the
    model when it loads (`unsupported Cog type <class 'main.ContactInfo'>`). The guide:
    "Nesting structured types is not supported."

    ## Example
    ```python
    class ContactInfo(BaseModel):
        email: str

    class Output(BaseModel):
        contact_info: ContactInfo
    ```

    ## Use instead
    ```python
    class Output(BaseModel):
        contact_email: str
    ```
    """

    code = "PL405"
    name = "nested-output-model"

    def check_entry(self, entry) -> None:
        for slot in entry.output_slots:
            t = slot.value
            if slot.role != FIELD or t.kind != T.MODEL or t.model.flavor not in BASE_MODEL_FLAVORS:
                continue
            inner = t.model.name
            self.report(t.node, f"output field `{slot.field.name}` is another model, `{inner}`: nested structured types "
                        f"are not supported (`unsupported Cog type <class '{t.model.module.name}.{inner}'>`)",
                        module=slot.module,
                        help=f"flatten the fields of `{inner}` into `{slot.model.name}`")

    VALID = [Case("from cog import BaseModel\n\n\nclass Output(BaseModel):\n    first_name: str\n    last_name: str\n\n\n"
                  "def run() -> Output:\n    return Output(first_name='a', last_name='b')\n")]
    INVALID = [
        Case("from cog import BaseModel\n\n\nclass ContactInfo(BaseModel):\n    email: str\n\n\nclass Output(BaseModel):\n"
             "    contact_info: ContactInfo\n\n\ndef run() -> Output:\n    return Output(contact_info=ContactInfo(email='x'))\n",
             expect=[(9, 19, 9, 30, "output field `contact_info` is another model, `ContactInfo`")]),
        Case("from typing import Optional\nfrom cog import BaseModel\n\n\nclass Output(BaseModel):\n"
             "    contact: Optional['Contact']\n\n\nclass Contact(BaseModel):\n    email: str\n\n\n"
             "def run() -> Output:\n    return Output(contact=None)\n",
             expect=[(6, 23, 6, 32, "output field `contact` is another model, `Contact`")]),
        Case("from cog import BaseModel\n\n\nclass Contact(BaseModel):\n    email: str\n\n\nclass Output(BaseModel):\n"
             "    contact: Contact\n\n\ndef run() -> list[Output]:\n    return []\n",
             expect=[(9, 14, 9, 21, "output field `contact` is another model, `Contact`")],
             note="a list of models is PL404's too; the fields are still judged"),
    ]
