"""PL412 unsupported-output-type: A return type (or Output field type) the runtime cannot serialise."""

from __future__ import annotations

from pipelint.entry import output_subject
from pipelint.rule import Case
from pipelint.rule_bases import EntryRule

HELP_OUTPUT = ("return str, int, float, bool or cog.Path, a `list[...]` or `Iterator[...]` of one, "
               "or an `Output(cog.BaseModel)` with such fields")


class UnsupportedOutputType(EntryRule):
    """A return type (or Output field type) the runtime cannot serialise.

    ## What it does
    Reports return types outside what the pipelines runtime serialises: tuples, sets,
    unions, `bytes`, `datetime`, nested lists, a bare `list`, classes that do not subclass
    `cog.BaseModel` (plain classes, dataclasses, third-party types), and Output fields of
    such types.

    ## Why is this bad?
    The runtime builds an encoder for the output when the model loads and refuses types it
    has none for (`unsupported Cog type tuple[str, int]`,
    `unsupported union type str | int`).

    ## Example
    ```python
    def run(prompt: str) -> tuple[str, float]:
        ...
    ```

    ## Use instead
    ```python
    class Output(BaseModel):
        text: str
        score: float

    def run(prompt: str) -> Output:
        ...
    ```
    """

    code = "PL412"
    name = "unsupported-output-type"

    def check_entry(self, entry) -> None:
        for f in self.output_findings(entry):
            shown = entry.text(f.part)
            if f.what == "plain-class":
                msg = f"`{entry.func_name}()` returns `{shown}`, a class that does not subclass `cog.BaseModel` " \
                      f"(`{f.detail}`)"
                help_ = "make it `class Output(BaseModel)`, with `BaseModel` imported from cog"
            elif f.field is not None:
                msg = f"{output_subject(entry, f)} has type `{shown}`, which the runtime cannot serialise (`{f.detail}`)"
                help_ = "use str, int, float, bool or cog.Path, or `Optional[...]` of one"
            else:
                msg = f"`{entry.func_name}()` returns `{shown}`, which the runtime cannot serialise (`{f.detail}`)"
                help_ = HELP_OUTPUT
                if f.part.kind == "other" and f.part.name in ("Generator", "AsyncGenerator"):
                    help_ = "annotate a generator by what it yields: `Iterator[str]` (`AsyncIterator[str]` when async)"
            self.report(f.node, msg, help=help_)

    VALID = [
        Case("import pathlib\n\n\ndef run() -> pathlib.Path:\n    return pathlib.Path('/tmp/x')\n"),
        Case({"main.py": "from helpers import Output\n\n\ndef run() -> Output:\n    return Output()\n",
              "helpers.py": "from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str = ''\n"}),
    ]
    INVALID = [
        Case("def run() -> tuple[str, float]:\n    return ('a', 1.0)\n", expect=[(1, 14)]),
        Case("def run() -> str | int:\n    return 1\n", expect=[(1, 14)]),
        Case("from dataclasses import dataclass\n\n\n@dataclass\nclass Output:\n    text: str\n\n\n"
             "def run() -> Output:\n    return Output('x')\n", expect=[(9, 14)]),
        Case("from typing import List\n\n\ndef run() -> List[List[str]]:\n    return []\n", expect=[(4, 19)]),
        Case("from cog import BaseModel\nimport datetime\n\n\nclass Output(BaseModel):\n    when: datetime.datetime\n\n\n"
             "def run() -> Output:\n    return Output(when=datetime.datetime.now())\n", expect=[(6, 11)]),
        Case("from PIL import Image\n\n\ndef run() -> Image.Image:\n    return Image.new('RGB', (1, 1))\n",
             expect=[(4, 14)]),
        Case("from typing import Generator\n\n\ndef run() -> Generator[str, None, None]:\n    yield 'x'\n",
             expect=[(4, 14)]),
    ]
