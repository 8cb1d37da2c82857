"""PL305 default-none-not-optional: An input defaults to `None` but its type is not Optional."""

from __future__ import annotations

from pipelint.analysis.entry import accepts_input_type
from pipelint.edits.optional import optional_spelling  # noqa: F401 (shared with CG401)
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class DefaultNoneNotOptional(EntryRule):
    """An input defaults to `None` but its type is not Optional.

    ## What it does
    Reports `Input(default=None)` (or `= None`) on an input whose type is not
    `Optional[...]`.

    ## Why is this bad?
    The guide: "the type declaration for the input must also be optional". The pipelines
    runtime refuses it when it builds the schema (`error-prone usage of default=None`,
    `input with default=None must be Optional`); cog makes such an input required, so
    callers that leave it out get `Field required`. For a list, the empty default is `[]`.

    ## Example
    ```python
    def run(seed: int = Input(default=None)) -> str:
        ...
    ```

    ## Use instead
    ```python
    from typing import Optional

    def run(seed: Optional[int] = Input(default=None)) -> str:
        ...
    ```

    ## Fix safety
    The fix wraps the type in `Optional[...]` (importing it from `typing` if needed), or
    writes `T | None` when the file already spells unions that way. It is safe: the input
    already defaults to None. There is no fix for a list (`Optional[list[...]]` is itself
    unsupported: use `default=[]`) or for a type written in a string or through an alias.
    """

    code = "PL305"
    name = "default-none-not-optional"
    fix_availability = "sometimes"

    def check_entry(self, entry) -> None:
        from pipelint.analysis import annotations as T

        for p in entry.inputs:
            t = p.type
            if t is None or not p.defaults_to_none or t.kind in (T.OPTIONAL, T.NONE, T.UNKNOWN):
                continue
            if not accepts_input_type(t):
                continue  # an unsupported type: PL306 says what to write instead
            text = entry.code(p.annotation)
            shown = entry.text(t)  # as the runtime names it: without the quotes of a string annotation
            if t.kind == T.LIST:
                self.report(p.annotation, f"list input `{p.name}` defaults to None "
                            "(`list input should use default=[] instead of default=None`)",
                            help="write `default=[]` for an empty list")
                continue
            fix = None
            written, edits = optional_spelling(entry, text)
            if t.written:
                fix = self.fix(f"Make `{p.name}` `{written}`", self.edit_node(p.annotation, written), *edits)
            self.report(p.annotation, f"input `{p.name}` defaults to None but its type `{shown}` is not Optional "
                        "(`error-prone usage of default=None`)",
                        help=f"write `{p.name}: {optional_spelling(entry, shown)[0]}`", fix=fix)

    VALID = [
        Case("from typing import Optional\nfrom cog import Input\n\n\n"
             "def run(seed: Optional[int] = Input(default=None)) -> str:\n    return str(seed)\n"),
        Case("from cog import Input, Path\n\n\ndef run(image: Path | None = Input(default=None)) -> str:\n    return ''\n"),
        Case("import typing as t\nfrom cog import Input\n\n\n"
             "def run(seed: t.Union[int, None] = Input(default=None)) -> str:\n    return ''\n"),
        Case("from typing import Optional\n\n\ndef run(seed: Optional[int] = None) -> str:\n    return ''\n"),
        Case("from cog import Input\n\n\ndef run(seed: 'int | None' = Input(default=None)) -> str:\n    return ''\n"),
        Case("from cog import Input\n\n\ndef run(seed: int = Input(default=0)) -> str:\n    return ''\n"),
    ]
    INVALID = [
        Case("from cog import Input\n\n\ndef run(seed: int = Input(default=None)) -> str:\n    return str(seed)\n",
             expect=[(4, 15, 4, 18, "input `seed` defaults to None but its type `int` is not Optional")],
             fixed="from typing import Optional\n\nfrom cog import Input\n\n\n"
                   "def run(seed: Optional[int] = Input(default=None)) -> str:\n    return str(seed)\n"),
        Case('"""Model."""\nfrom typing import List\n\nfrom cog import Input as I, Path\n\n\n'
             "def run(\n    image: Path = I(default=None, description='An image'),\n) -> str:\n    return ''\n",
             expect=[(8, 12, 8, 16, "input `image` defaults to None but its type `Path` is not Optional")],
             fixed='"""Model."""\nfrom typing import List, Optional\n\nfrom cog import Input as I, Path\n\n\n'
                   "def run(\n    image: Optional[Path] = I(default=None, description='An image'),\n) -> str:\n    return ''\n"),
        Case("import typing\nimport cog\n\n\ndef run(a: str | None = cog.Input(default=None), "
             "b: cog.Secret = cog.Input(default=None)) -> str:\n    return ''\n",
             expect=[(5, 53, 5, 63, "input `b` defaults to None but its type `cog.Secret` is not Optional")],
             fixed="import typing\nimport cog\n\n\ndef run(a: str | None = cog.Input(default=None), "
                   "b: cog.Secret | None = cog.Input(default=None)) -> str:\n    return ''\n"),
        Case("import typing as t\n\n\ndef run(prompt: str = None) -> str:\n    return ''\n",
             expect=[(4, 17, 4, 20, "input `prompt` defaults to None but its type `str` is not Optional")],
             fixed="import typing as t\n\n\ndef run(prompt: t.Optional[str] = None) -> str:\n    return ''\n"),
        Case("from cog import Input\n\n\ndef run(tags: list[str] = Input(default=None)) -> str:\n    return ''\n",
             expect=[(4, 15, 4, 24, "list input `tags` defaults to None")]),
        Case("from cog import Input\n\n\ndef run(seed: 'int' = Input(default=None)) -> str:\n    return ''\n",
             expect=[(4, 15, 4, 20, "input `seed` defaults to None but its type `int` is not Optional")]),
    ]
