"""PL307 constraint-type-mismatch: An `Input()` constraint that does not fit the input's type."""

from __future__ import annotations

from pipelint.analysis.entry import NUMERIC, STRING, constrained_inputs, input_repr
from pipelint.analysis.inputs import keyword_given
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class ConstraintTypeMismatch(EntryRule):
    """An `Input()` constraint that does not fit the input's type.

    ## What it does
    Reports `ge`/`le` on an input that is not an `int` or `float` (or a list or Optional of
    one), and `min_length`/`max_length`/`regex` on an input that is not a `str`.

    ## Why is this bad?
    The runtime checks constraints against the type when the model loads and refuses the
    model: `incompatible input type for ge/le: name: str`,
    `incompatible input type for min_length/max_length: steps: int`,
    `incompatible input type for regex: steps: int`.

    ## Example
    ```python
    def run(name: str = Input(ge=1), steps: int = Input(default=4, max_length=2)) -> str:
        ...
    ```

    ## Use instead
    ```python
    def run(name: str = Input(min_length=1), steps: int = Input(default=4, le=50)) -> str:
        ...
    ```
    """

    code = "PL307"
    name = "constraint-type-mismatch"

    GROUPS = (
        (("ge", "le"), NUMERIC, "ge/le", "`ge`/`le` bound numbers: make the input an `int` or `float`, or drop them"),
        (("min_length", "max_length"), STRING, "min_length/max_length",
         "`min_length`/`max_length` bound a `str`'s length: drop them, or use `ge`/`le` for numbers"),
        (("regex",), STRING, "regex", "`regex` applies to `str` inputs only: drop it"),
    )

    def check_entry(self, entry) -> None:
        for p, kind, _ in constrained_inputs(entry):
            for keywords, wanted, label, help_ in self.GROUPS:
                given = [k for k in keywords if keyword_given(p.input, k)]
                if not given or kind == wanted:
                    continue
                self.report(p.input.args[given[0]].arg,
                            f"`{'`/`'.join(given)}` cannot constrain input `{p.name}` of type `{entry.text(p.type)}` "
                            f"(`incompatible input type for {label}: {input_repr(entry, p)}`)", help=help_)

    VALID = [
        Case("from typing import Optional\nfrom cog import Input\n\n\ndef run(\n    a: int = Input(default=1, ge=0, le=10),\n"
             "    b: float = Input(default=0.5, ge=0.0),\n    c: str = Input(default='x', min_length=1, max_length=9, regex=r'\\w+'),\n"
             "    d: list[int] = Input(default=[1], ge=0),\n    e: Optional[str] = Input(default=None, max_length=3),\n"
             "    f: str = Input(default='x', ge=None),\n) -> str:\n    return c\n"),
    ]
    INVALID = [
        Case("from cog import Input\n\n\ndef run(name: str = Input(ge=1)) -> str:\n    return name\n",
             expect=[(4, 27, 4, 31, "`ge` cannot constrain input `name` of type `str`")]),
        Case("from cog import Input\n\n\ndef run(steps: int = Input(default=4, max_length=2, regex='4')) -> str:\n"
             "    return ''\n",
             expect=[(4, 39, 4, 51, "`max_length` cannot constrain input `steps` of type `int`"),
                     (4, 53, 4, 62, "`regex` cannot constrain input `steps` of type `int`")]),
        Case("import cog\n\n\ndef run(\n    flag: bool = cog.Input(default=True, le=1),\n    files: list[cog.Path] = cog.Input(min_length=1),\n"
             ") -> str:\n    return ''\n",
             expect=[(5, 42, 5, 46, "`le` cannot constrain input `flag` of type `bool`"),
                     (6, 39, 6, 51, "`min_length` cannot constrain input `files` of type `list[cog.Path]`")]),
        Case("from typing import Optional\nfrom cog import Input\n\n\n"
             "def run(s: 'Optional[str]' = Input(default=None, ge=0, le=1)) -> str:\n    return ''\n",
             expect=[(5, 50, 5, 54, "`ge`/`le` cannot constrain input `s` of type `Optional[str]`")]),
    ]
