"""PL401, PL403, PL405, PL408: the Output model class the entry returns."""

from __future__ import annotations

from pipelint.analysis.entry import EntryRule
from pipelint.engine.rule import Case

PYDANTIC_MODULES = ("pydantic", "pydantic.main", "pydantic.v1", "pydantic.v1.main")


def _name_is_free(module, name: str) -> bool:
    """No scope of the module binds or reads ``name`` (string annotations included)."""
    for scope in {s for s in module.metadata("scope").values() if s is not None}:
        if scope.assignments[name] or scope.accesses[name]:
            return False
    return True


class OutputNotNamedOutput(EntryRule):
    """A custom output class not named exactly `Output`.

    ## What it does
    Reports a `BaseModel` class returned by the entry whose name is not `Output`.

    ## Why is this bad?
    The pinned pipelines runtime accepts an output model only under that name and refuses
    the model when it loads (`output type must be named Output`). The guide: "Custom output
    classes MUST be named exactly `Output`!"

    ## Example
    ```python
    class CreativeAnalysis(BaseModel):
        text: str

    def run() -> CreativeAnalysis:
        return CreativeAnalysis(text="hello")
    ```

    ## Use instead
    ```python
    class Output(BaseModel):
        text: str

    def run() -> Output:
        return Output(text="hello")
    ```

    ## Fix safety
    The fix renames the class and every use of it in the module (string annotations
    included). It is offered only when nothing else in the module is called `Output`; code
    in other files that imports the old name is not updated.
    """

    code = "PL401"
    name = "output-class-name"
    fix_availability = "sometimes"

    def check_entry(self, entry) -> None:
        from pipelint.edits import pyedit

        for f in self.output_findings(entry):
            m = f.model
            fix = None
            if _name_is_free(entry.module, "Output"):
                uses = pyedit.module_level_uses(entry.module, entry.types, m.name, m.node)
                fix = self.fix(f"Rename `{m.name}` to `Output`", self.edit_node(m.node.name, "Output"),
                               *pyedit.rename_edits(entry.module, uses, m.name, "Output"))
            self.report(f.node, f"the output class `{m.name}` must be named exactly `Output` "
                        "(`output type must be named Output`)", help=f"rename `{m.name}` to `Output`", fix=fix)

    VALID = [Case("from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
                  "def run() -> Output:\n    return Output(text='x')\n")]
    INVALID = [
        Case("from cog import BaseModel\n\n\nclass CreativeAnalysis(BaseModel):\n    text: str\n    score: float\n\n\n"
             "def run() -> CreativeAnalysis:\n    return CreativeAnalysis(text='hello', score=0.95)\n",
             expect=[(4, 7)],
             fixed="from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n    score: float\n\n\n"
                   "def run() -> Output:\n    return Output(text='hello', score=0.95)\n"),
        Case("import cog\n\n\ndef run(prompt: str) -> 'Result':\n    def make(text: str) -> 'Result':\n"
             "        return Result(text=text)\n    return make(prompt)\n\n\nclass Result(cog.BaseModel):\n    text: str\n",
             expect=[(10, 7)],
             fixed="import cog\n\n\ndef run(prompt: str) -> 'Output':\n    def make(text: str) -> 'Output':\n"
                   "        return Output(text=text)\n    return make(prompt)\n\n\nclass Output(cog.BaseModel):\n    text: str\n"),
        Case("from cog import BaseModel\n\nOutput = 'taken'\n\n\nclass Result(BaseModel):\n    text: str\n\n\n"
             "def run() -> Result:\n    return Result(text=Output)\n", expect=[(6, 7)], note="`Output` is taken: no fix"),
    ]


class ListField(EntryRule):
    """A list-typed field on the Output model.

    ## What it does
    Reports a field of the returned Output model typed `list[...]`, `List[...]` or
    `Optional[list[...]]`.

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
        for f in self.output_findings(entry):
            name = f.field.name
            self.report(f.node, f"output field `{name}` is a list (`output field must not be list: {name}`)",
                        help="return the list itself (`-> list[str]`), or use singular fields, or join the items into "
                             "one `str`")

    VALID = [Case("from typing import Optional\nfrom cog import BaseModel, Path\n\n\nclass Output(BaseModel):\n"
                  "    image: Optional[Path]\n    text: str\n\n\ndef run() -> Output:\n    return Output(image=None, text='')\n")]
    INVALID = [
        Case("from cog import BaseModel, Path\n\n\nclass Output(BaseModel):\n    items: list[str]\n    results: list[Path]\n\n\n"
             "def run() -> Output:\n    return Output(items=[], results=[])\n", expect=[(5, 12), (6, 14)]),
        Case("import typing as t\nimport cog\n\n\nclass Output(cog.BaseModel):\n    tags: t.Optional[t.List[str]]\n\n\n"
             "def run() -> Output:\n    return Output(tags=None)\n", expect=[(6, 11)]),
    ]


class NestedModelField(EntryRule):
    """A structured type (another model) as an Output field.

    ## What it does
    Reports a field of the returned Output model whose type is another `BaseModel` class,
    directly, through `Optional[...]`, or as a string forward reference.

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
        for f in self.output_findings(entry):
            inner = f.part.model.name
            self.report(f.node, f"output field `{f.field.name}` is another model, `{inner}`: nested structured types "
                        f"are not supported (`unsupported Cog type <class '{entry.module.name}.{inner}'>`)",
                        help=f"flatten the fields of `{inner}` into `{f.model.name}`")

    VALID = [Case("from cog import BaseModel\n\n\nclass Output(BaseModel):\n    first_name: str\n    last_name: str\n\n\n"
                  "def run() -> Output:\n    return Output(first_name='a', last_name='b')\n")]
    INVALID = [
        Case("from cog import BaseModel\n\n\nclass ContactInfo(BaseModel):\n    email: str\n\n\nclass Output(BaseModel):\n"
             "    contact_info: ContactInfo\n\n\ndef run() -> Output:\n    return Output(contact_info=ContactInfo(email='x'))\n",
             expect=[(9, 19)]),
        Case("from typing import Optional\nfrom cog import BaseModel\n\n\nclass Output(BaseModel):\n"
             "    contact: Optional['Contact']\n\n\nclass Contact(BaseModel):\n    email: str\n\n\n"
             "def run() -> Output:\n    return Output(contact=None)\n", expect=[(6, 23)]),
    ]


class PydanticOutput(EntryRule):
    """The Output model subclasses pydantic's `BaseModel` instead of cog's.

    ## What it does
    Reports an output class whose base is `pydantic.BaseModel` (however imported).

    ## Why is this bad?
    The pipelines runtime serialises only subclasses of `cog.BaseModel` and refuses the
    model when it loads (`unsupported Cog type <class 'main.Output'>`).

    ## Example
    ```python
    from pydantic import BaseModel

    class Output(BaseModel):
        text: str
    ```

    ## Use instead
    ```python
    from cog import BaseModel

    class Output(BaseModel):
        text: str
    ```

    ## Fix safety
    The fix imports `BaseModel` from cog: it moves the name from the pydantic import to the
    cog import when nothing else uses pydantic's, or else imports cog's as `CogBaseModel` for
    this class. It is offered only for a class with nothing but annotated fields (with
    literal defaults): pydantic features such as `Field(...)`, validators or `Config` do not
    carry over to cog's model.
    """

    code = "PL408"
    name = "pydantic-output"
    fix_availability = "sometimes"

    def check_entry(self, entry) -> None:
        for f in self.output_findings(entry):
            m = f.model
            self.report(f.node, f"`{m.name}` subclasses pydantic's `BaseModel`; the runtime serialises only cog's "
                        f"(`unsupported Cog type <class '{entry.module.name}.{m.name}'>`)",
                        help="write `from cog import BaseModel` and subclass that", fix=self._fix(entry, m))

    def _fix(self, entry, m):
        import libcst as cst

        from pipelint.edits import pyedit

        if not _only_fields(m.node):
            return None
        module, base = entry.module, m.base
        if isinstance(base, cst.Name):
            for stmt, imp in pyedit.top_level_imports(module):
                if not (isinstance(imp, cst.ImportFrom) and not imp.relative and not isinstance(imp.names, cst.ImportStar)
                        and pyedit._dotted(imp.module) in PYDANTIC_MODULES):
                    continue
                for alias in imp.names:
                    if (alias.evaluated_alias or pyedit._dotted(alias.name)) != base.value:
                        continue
                    uses = pyedit.module_level_uses(module, entry.types, base.value, imp)
                    if all(u is base for u in uses):
                        plan = pyedit.ensure_import(module, "cog", "BaseModel", free={base.value})
                        if len(imp.names) == 1 and plan.adds_line:
                            # the pydantic import line becomes the cog one
                            spelt = "BaseModel" if plan.name == "BaseModel" else f"BaseModel as {plan.name}"
                            edits = [self.edit_node(imp, f"from cog import {spelt}")]
                        else:
                            removal = pyedit.remove_import_alias(module, stmt, imp, alias)
                            if removal is None:
                                return None
                            edits = [removal, *plan.edits]
                        if plan.name != base.value:
                            edits.append(self.edit_node(base, plan.name))
                        return self.fix("Import `BaseModel` from cog instead of pydantic", *edits)
        plan = pyedit.ensure_import(module, "cog", "BaseModel")
        return self.fix(f"Subclass cog's `BaseModel` ({plan.name})", self.edit_node(base, plan.name), *plan.edits)

    VALID = [Case("from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
                  "def run() -> Output:\n    return Output(text='x')\n")]
    INVALID = [
        Case("from pydantic import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
             "def run() -> Output:\n    return Output(text='x')\n", expect=[(4, 14)],
             fixed="from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
                   "def run() -> Output:\n    return Output(text='x')\n"),
        Case("from cog import Path\nfrom pydantic import BaseModel, Field\n\n\nclass Settings(BaseModel):\n    n: int = Field(1)\n\n\n"
             "class Output(BaseModel):\n    image: Path\n    text: str = ''\n\n\ndef run() -> Output:\n"
             "    return Output(image=Path('/tmp/x'))\n", expect=[(9, 14)],
             fixed="from cog import Path, BaseModel as CogBaseModel\nfrom pydantic import BaseModel, Field\n\n\n"
                   "class Settings(BaseModel):\n    n: int = Field(1)\n\n\nclass Output(CogBaseModel):\n    image: Path\n"
                   "    text: str = ''\n\n\ndef run() -> Output:\n    return Output(image=Path('/tmp/x'))\n"),
        Case("import pydantic\n\n\nclass Output(pydantic.BaseModel):\n    text: str\n\n\ndef run() -> Output:\n"
             "    return Output(text='x')\n", expect=[(4, 14)],
             fixed="import pydantic\nfrom cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
                   "def run() -> Output:\n    return Output(text='x')\n"),
        Case("from pydantic import BaseModel, validator\n\n\nclass Output(BaseModel):\n    text: str\n\n"
             "    @validator('text')\n    def strip(cls, v):\n        return v.strip()\n\n\ndef run() -> Output:\n"
             "    return Output(text='x')\n", expect=[(4, 14)], note="a validator: no fix"),
    ]


def _only_fields(classdef) -> bool:
    """The class body holds only annotated fields with literal defaults, a docstring, ``pass`` or ``...``."""
    import libcst as cst

    from pipelint.analysis.inputs import UNKNOWN, literal_value

    if classdef.decorators or not isinstance(classdef.body, cst.IndentedBlock):
        return False
    for i, stmt in enumerate(classdef.body.body):
        if not isinstance(stmt, cst.SimpleStatementLine):
            return False
        for small in stmt.body:
            if isinstance(small, cst.Pass):
                continue
            if isinstance(small, cst.Expr) and (isinstance(small.value, cst.Ellipsis) or (
                    i == 0 and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)))):
                continue
            if isinstance(small, cst.AnnAssign) and (small.value is None or literal_value(small.value) is not UNKNOWN):
                continue
            return False
    return True
