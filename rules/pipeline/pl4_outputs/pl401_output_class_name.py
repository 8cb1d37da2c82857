"""PL401 output-class-name: A custom output class not named exactly `Output`."""

from __future__ import annotations

from pipelint.analysis.entry import BASE_MODEL_FLAVORS
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


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
    The class is judged wherever the return type names it: itself, or inside `list[...]`,
    `Optional[...]` or an iterator (PL404 and PL406 report the wrapper, which does not
    prevent analysing the class), and in the file that defines it, a local module it is
    imported or re-exported from included. Only a class whose base cannot be followed (so it may not be a `BaseModel`) is left alone.

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

        t = entry.output_model
        if t is None or t.model.flavor not in BASE_MODEL_FLAVORS or t.model.name == "Output":
            return
        m = t.model
        fix = None
        if m.module is entry.module and _name_is_free(entry.module, "Output"):
            uses = pyedit.module_level_uses(entry.module, entry.types, m.name, m.node)
            fix = self.fix(f"Rename `{m.name}` to `Output`", self.edit_node(m.node.name, "Output"),
                           *pyedit.rename_edits(entry.module, uses, m.name, "Output"))
        self.report(m.node.name, f"the output class `{m.name}` must be named exactly `Output` "
                    "(`output type must be named Output`)", help=f"rename `{m.name}` to `Output`", fix=fix,
                    module=m.module)

    VALID = [Case("from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
                  "def run() -> Output:\n    return Output(text='x')\n")]
    INVALID = [
        Case("from cog import BaseModel\n\n\nclass CreativeAnalysis(BaseModel):\n    text: str\n    score: float\n\n\n"
             "def run() -> CreativeAnalysis:\n    return CreativeAnalysis(text='hello', score=0.95)\n",
             expect=[(4, 7, 4, 23, "the output class `CreativeAnalysis` must be named exactly `Output`")],
             fixed="from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n    score: float\n\n\n"
                   "def run() -> Output:\n    return Output(text='hello', score=0.95)\n"),
        Case("import cog\n\n\ndef run(prompt: str) -> 'Result':\n    def make(text: str) -> 'Result':\n"
             "        return Result(text=text)\n    return make(prompt)\n\n\nclass Result(cog.BaseModel):\n    text: str\n",
             expect=[(10, 7, 10, 13, "the output class `Result` must be named exactly `Output`")],
             fixed="import cog\n\n\ndef run(prompt: str) -> 'Output':\n    def make(text: str) -> 'Output':\n"
                   "        return Output(text=text)\n    return make(prompt)\n\n\nclass Output(cog.BaseModel):\n    text: str\n"),
        Case("from cog import BaseModel\n\nOutput = 'taken'\n\n\nclass Result(BaseModel):\n    text: str\n\n\n"
             "def run() -> Result:\n    return Result(text=Output)\n",
             expect=[(6, 7, 6, 13, "the output class `Result` must be named exactly `Output`")],
             note="`Output` is taken: no fix"),
        Case("from cog import BaseModel\n\n\nclass Result(BaseModel):\n    text: str\n\n\n"
             "def run() -> list[Result]:\n    return []\n",
             expect=[(4, 7, 4, 13, "the output class `Result` must be named exactly `Output`")],
             fixed="from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
                   "def run() -> list[Output]:\n    return []\n",
             note="a list of models is PL404's too; the class's own name is still judged"),
        Case({"main.py": "from helpers import Result\n\n\ndef run() -> Result:\n    return Result(text='x', tags=[])\n",
                    "helpers/__init__.py": "from .schema import Result\n\n__all__ = ['Result']\n",
                    "helpers/schema.py": "from cog import BaseModel\n\n\nclass Result(BaseModel):\n    text: str\n"
                                         "    tags: list[str]\n"},
             expect=[("helpers/schema.py", 4, 7, 4, 13, "the output class `Result` must be named exactly `Output`")],
             note="defined in a local module, re-exported by its package: reported where it is defined, no fix"),
    ]
