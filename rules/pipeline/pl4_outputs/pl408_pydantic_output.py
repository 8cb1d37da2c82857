"""PL408 pydantic-output: The Output model subclasses pydantic's `BaseModel` instead of cog's."""

from __future__ import annotations

from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule
from pipelint.model.imports import dotted

PYDANTIC_MODULES = ("pydantic", "pydantic.main", "pydantic.v1", "pydantic.v1.main")


class PydanticOutput(EntryRule):
    """The Output model subclasses pydantic's `BaseModel` instead of cog's.

    ## What it does
    Reports an output class whose base is `pydantic.BaseModel` (however imported).
    The class is judged wherever the return type names it: itself, or inside `list[...]`,
    `Optional[...]` or an iterator (PL404 and PL406 report the wrapper, which does not
    prevent analysing the class), and in the file that defines it, a local module it is
    imported or re-exported from included. Nothing hides this finding.

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
        t = entry.output_model
        if t is None or t.model.flavor != "pydantic":
            return
        m = t.model
        self.report(m.base, f"`{m.name}` subclasses pydantic's `BaseModel`; the runtime serialises only cog's "
                    f"(`unsupported Cog type <class '{m.module.name}.{m.name}'>`)", module=m.module,
                    help="write `from cog import BaseModel` and subclass that", fix=self._fix(entry, m))

    def _fix(self, entry, m):
        import libcst as cst

        from pipelint.edits import pyedit

        if not _only_fields(m.node):
            return None
        module, base = m.module, m.base
        if isinstance(base, cst.Name):
            for stmt, imp in pyedit.top_level_imports(module):
                if not (isinstance(imp, cst.ImportFrom) and not imp.relative and not isinstance(imp.names, cst.ImportStar)
                        and dotted(imp.module) in PYDANTIC_MODULES):
                    continue
                for alias in imp.names:
                    if (alias.evaluated_alias or dotted(alias.name)) != base.value:
                        continue
                    uses = pyedit.module_level_uses(module, m.resolver, base.value, imp)
                    if all(u is base for u in uses):
                        plan = pyedit.ensure_import(module, "cog", "BaseModel", free={base.value})
                        if len(imp.names) == 1 and plan.adds_line and pyedit.sorts_in_place(
                                module, stmt, "cog", "BaseModel", None if plan.name == "BaseModel" else plan.name):
                            # the pydantic import line becomes the cog one
                            spelt = "BaseModel" if plan.name == "BaseModel" else f"BaseModel as {plan.name}"
                            edits = [self.edit_node(imp, f"from cog import {spelt}", module)]
                        else:
                            removal = pyedit.remove_import_alias(module, stmt, imp, alias)
                            if removal is None:
                                return None
                            edits = [removal, *plan.edits]
                        if plan.name != base.value:
                            edits.append(self.edit_node(base, plan.name, module))
                        return self.fix("Import `BaseModel` from cog instead of pydantic", *edits)
        plan = pyedit.ensure_import(module, "cog", "BaseModel")
        return self.fix(f"Subclass cog's `BaseModel` ({plan.name})", self.edit_node(base, plan.name, module), *plan.edits)

    VALID = [Case("from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
                  "def run() -> Output:\n    return Output(text='x')\n")]
    INVALID = [
        Case("from pydantic import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
             "def run() -> Output:\n    return Output(text='x')\n",
             expect=[(4, 14, 4, 23, "`Output` subclasses pydantic's `BaseModel`")],
             fixed="from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
                   "def run() -> Output:\n    return Output(text='x')\n"),
        Case("from cog import Path\nfrom pydantic import BaseModel, Field\n\n\nclass Settings(BaseModel):\n    n: int = Field(1)\n\n\n"
             "class Output(BaseModel):\n    image: Path\n    text: str = ''\n\n\ndef run() -> Output:\n"
             "    return Output(image=Path('/tmp/x'))\n",
             expect=[(9, 14, 9, 23, "`Output` subclasses pydantic's `BaseModel`")],
             fixed="from cog import BaseModel as CogBaseModel\nfrom cog import Path\nfrom pydantic import BaseModel, Field\n\n\n"
                   "class Settings(BaseModel):\n    n: int = Field(1)\n\n\nclass Output(CogBaseModel):\n    image: Path\n"
                   "    text: str = ''\n\n\ndef run() -> Output:\n    return Output(image=Path('/tmp/x'))\n"),
        Case("import pydantic\n\n\nclass Output(pydantic.BaseModel):\n    text: str\n\n\ndef run() -> Output:\n"
             "    return Output(text='x')\n", expect=[(4, 14, 4, 32, "`Output` subclasses pydantic's `BaseModel`")],
             fixed="import pydantic\nfrom cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
                   "def run() -> Output:\n    return Output(text='x')\n"),
        Case("from pydantic import BaseModel, validator\n\n\nclass Output(BaseModel):\n    text: str\n\n"
             "    @validator('text')\n    def strip(cls, v):\n        return v.strip()\n\n\ndef run() -> Output:\n"
             "    return Output(text='x')\n", expect=[(4, 14, 4, 23, "`Output` subclasses pydantic's `BaseModel`")],
                                              note="a validator: no fix"),
        Case("from typing import Iterator\n\nfrom pydantic import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
             "def run() -> Iterator[Output]:\n    yield Output(text='x')\n",
             expect=[(6, 14, 6, 23, "`Output` subclasses pydantic's `BaseModel`")],
             fixed="from typing import Iterator\n\nfrom cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
                   "def run() -> Iterator[Output]:\n    yield Output(text='x')\n",
             note="an iterator of models is PL404's too; the base is still judged"),
        Case({"main.py": "from schema import Output\n\n\ndef run() -> Output:\n    return Output(text='x')\n",
              "schema.py": "import pydantic\n\n\nclass Output(pydantic.BaseModel):\n    text: str\n"},
             expect=[("schema.py", 4, 14, 4, 32, "<class 'schema.Output'>")],
             fixed={"schema.py": "import pydantic\nfrom cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n"},
             note="defined in a local module: reported and fixed there"),
        Case("import requests\nfrom PIL import Image\nfrom pydantic import BaseModel\n\n\nclass Output(BaseModel):\n"
             "    text: str\n\n\ndef run() -> Output:\n    return Output(text=str(Image.new('RGB', (1, 1)).size))\n",
             expect=[(6, 14, 6, 23, "`Output` subclasses pydantic's `BaseModel`")],
             fixed="import requests\nfrom cog import BaseModel\nfrom PIL import Image\n\n\nclass Output(BaseModel):\n"
                   "    text: str\n\n\ndef run() -> Output:\n    return Output(text=str(Image.new('RGB', (1, 1)).size))\n",
             note="the cog import takes isort's place (`cog` sorts before `PIL`), not the pydantic line's"),
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
