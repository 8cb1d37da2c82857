"""PL306 unsupported-input-type: An input type the pipelines runtime does not accept."""

from __future__ import annotations

from pipelint.analysis import annotations as T
from pipelint.analysis.entry import accepts_input_type
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule

_HELP_TYPES = "use str, int, float, bool, cog.Path or cog.Secret, a `list[...]` of one, or an `Optional[...]` of one"


class UnsupportedInputType(EntryRule):
    """An input type the pipelines runtime does not accept.

    ## What it does
    Reports an input whose type is not one of: `str`, `int`, `float`, `bool`, `cog.Path`,
    `cog.Secret`, a `list[...]` of those, or an `Optional[...]` of those. That rules out
    `dict`, `Any`, unions of two real types, `Literal`, `tuple`, `set`, `datetime`, nested
    lists, `Optional[list[...]]` and custom classes.
    A quoted annotation (`prompt: "str"`) is reported whatever it names: the pinned
    runtime reads annotations without evaluating them, so it receives a string
    (`unsupported Cog type str`); the type inside the quotes is not judged further.
    So is a quoted part inside an otherwise accepted type (`Optional["Path"]`,
    `list["str"]`): coglet unwraps `Optional`/`list` itself and gets the string, or the
    `ForwardRef('Path')` that `typing` makes of it, as the element type
    (`unsupported Cog type ForwardRef('Path')`). A quoted operand of `|` (`"str" | None`)
    fails earlier, when the module is imported (`TypeError`).

    ## Why is this bad?
    The pinned pipelines runtime refuses the model when it loads:
    `invalid input field when: unsupported Cog type datetime`,
    `invalid input field xs: List cannot have nested type list`,
    `invalid input field tags: Optional cannot have nested type list`.

    ## Example
    ```python
    def run(options: dict, tags: Optional[list[str]] = Input(default=None)) -> str:
        ...
    ```

    ## Use instead
    ```python
    def run(options: str = Input(description="JSON"), tags: list[str] = Input(default=[])) -> str:
        ...
    ```
    """

    code = "PL306"
    name = "unsupported-input-type"

    def check_entry(self, entry) -> None:
        from pipelint.analysis.string_annotations import quoted_parts, quoted_text, runtime_words

        seen: set[int] = set()
        for p in entry.inputs:
            text = quoted_text(p.annotation) if p.annotation is not None else None
            if text is not None:
                # the runtime never sees the type: the quotes are the problem, whatever is inside them
                self.report(p.annotation, f"input `{p.name}` has a string annotation, which the pinned runtime "
                            f"reads as a string, not a type (`{runtime_words(text)}`)",
                            help=f"write the type unquoted: `{p.name}: {text.strip()}`")
                continue
            parts = quoted_parts(entry.types, p.annotation) if p.annotation is not None else []
            failing = [q for q in parts if q.runtime.startswith("TypeError")]
            if failing or (parts and (p.type is None or accepts_input_type(p.type))):
                # the type would do unquoted: the quoted part inside it is what the runtime refuses
                for q in failing or parts:
                    if id(q.node) not in seen:
                        seen.add(id(q.node))
                        self.report(q.node, _quoted_part_message(f"input `{p.name}`", q),
                                    help=f"write `{q.text.strip()}` without the quotes")
                continue
            if p.type is None or accepts_input_type(p.type):
                continue
            node, part, what, detail = _refusal(entry, p.type)
            if what == "optional-list":
                help_ = f"write `{p.name}: {entry.text(part)} = Input(default=[])`: an empty list says \"not given\""
            elif part.kind in (T.DICT, T.ANY):
                help_ = "take a JSON string (`str`) and parse it with `json.loads`"
            elif part.kind == T.UNION:
                help_ = "pick one type (`str` accepts anything and can be parsed)"
            elif part.kind == T.OTHER and part.name == "Literal":
                help_ = "use `str` (or `int`) with `Input(choices=[...])`"
            elif what == "nested":
                help_ = "take a flat `list[...]` of str, int, float, bool, Path or Secret"
            else:
                help_ = _HELP_TYPES
            self.report(node, f"input `{p.name}` has a type the runtime does not accept "
                        f"(`invalid input field {p.name}: {detail}`)", help=help_)

    VALID = [
        Case("from typing import List, Optional\nfrom cog import Input, Path, Secret\n\n\n"
             "def run(\n    a: str,\n    b: int,\n    c: float,\n    d: bool,\n    e: Path,\n    f: Secret,\n"
             "    g: list[str],\n    h: List[Path],\n    i: Optional[int] = Input(default=None),\n"
             "    j: Optional[Path] = Input(default=None),\n) -> str:\n    return a\n"),
        Case("import pathlib\n\n\ndef run(a: pathlib.Path) -> str:\n    return str(a)\n"),
        Case({"main.py": "from helpers import Thing\n\n\ndef run(a: Thing) -> str:\n    return str(a)\n",
              "helpers.py": "Thing = str\n"},
             note="a name from the model's own modules: not followed, so nothing is said"),
        Case("from typing import Optional\nfrom cog import Input\n\n\n"
             "def run(seed: Optional[int] = Input(default=None, description='str')) -> str:\n"
             "    label: Optional['str'] = None\n    return str(label)\n",
             note="a quoted part in the body's own annotations is never read by the runtime"),
    ]
    INVALID = [
        Case("def run(options: dict) -> str:\n    return ''\n",
             expect=[(1, 18, 1, 22, "invalid input field options: unsupported Cog type dict")]),
        Case("from typing import Any\n\n\ndef run(x: Any) -> str:\n    return ''\n",
             expect=[(4, 12, 4, 15, "invalid input field x: unsupported Cog type Any")]),
        Case("from typing import Optional\nfrom cog import Input\n\n\n"
             "def run(tags: Optional[list[str]] = Input(default=None)) -> str:\n    return ''\n",
             expect=[(5, 24, 5, 33, "invalid input field tags: Optional cannot have nested type list")]),
        Case("import datetime\n\n\ndef run(when: datetime.datetime) -> str:\n    return ''\n",
             expect=[(4, 15, 4, 32, "invalid input field when: unsupported Cog type datetime.datetime")]),
        Case("def run(xs: list[list[int]]) -> str:\n    return ''\n",
             expect=[(1, 18, 1, 27, "invalid input field xs: List cannot have nested type list")]),
        Case("from typing import Literal\n\n\ndef run(mode: Literal['a', 'b']) -> str:\n    return mode\n",
             expect=[(4, 15, 4, 32, "invalid input field mode: unsupported Cog type Literal['a', 'b']")]),
        Case("def run(x: str | int) -> str:\n    return ''\n",
             expect=[(1, 12, 1, 21, "invalid input field x: unsupported Cog type str | int")]),
        Case("def run(x: tuple[int, int], y: set) -> str:\n    return ''\n",
             expect=[(1, 12, 1, 27, "invalid input field x: unsupported Cog type tuple[int, int]"),
                     (1, 32, 1, 35, "invalid input field y: unsupported Cog type set")]),
        Case("from cog import BaseModel\n\n\nclass Options(BaseModel):\n    n: int\n\n\n"
             "def run(options: Options) -> str:\n    return ''\n",
             expect=[(8, 18, 8, 25, "invalid input field options: unsupported Cog type Options")]),
        Case("import typing as t\n\nJson = t.Dict[str, t.Any]\n\n\ndef run(\n    payload: Json,\n) -> str:\n    return ''\n",
             expect=[(7, 14, 7, 18, "invalid input field payload: unsupported Cog type t.Dict[str, t.Any]")]),
        Case("from typing import Optional\nfrom cog import Input, Path\n\n\n"
             "def run(prompt: 'str', image: \"Optional[Path]\" = Input(default=None)) -> str:\n    return prompt\n",
             expect=[(5, 17, 5, 22, "input `prompt` has a string annotation, which the pinned runtime reads as a string"),
                     (5, 31, 5, 47, "input `image` has a string annotation")],
             note="coglet 0.1.0a31 reads annotations unevaluated: a quoted type is a str to it"),
        Case("from typing import List, Optional\nfrom cog import Input, Path\n\n\n"
             "def run(\n    image: Optional[\"Path\"] = Input(default=None),\n    tags: list['str'] = Input(default=[]),\n"
             "    files: List['Path'] = Input(default=[]),\n) -> str:\n    return ''\n",
             expect=[(6, 21, 6, 27, "input `image` has a quoted type inside its annotation, which the pinned runtime "
                                    "does not evaluate (`unsupported Cog type ForwardRef('Path')`)"),
                     (7, 16, 7, 21, "(`unsupported Cog type str`)"),
                     (8, 17, 8, 23, "(`unsupported Cog type ForwardRef('Path')`)")],
             note="coglet unwraps Optional/list itself (adt.py FieldType.from_type): the quoted element reaches it "
                  "as a ForwardRef (typing's generics) or a str (the builtin list)"),
        Case("from typing import Optional\nfrom cog import Input\n\nMaybeText = Optional['str']\n\n\n"
             "def run(a: MaybeText = Input(default=None), b: 'str' | None = Input(default=None)) -> str:\n"
             "    return ''\n",
             expect=[(4, 22, 4, 27, "input `a` has a quoted type inside its annotation"),
                     (7, 48, 7, 53, "fails when it is imported (`TypeError: unsupported operand type(s) for |: "
                                    "'str' and 'NoneType'`)")],
             note="through a type alias the part is reported where it is written"),
    ]


def _quoted_part_message(subject: str, q) -> str:
    if q.runtime.startswith("TypeError"):
        return (f"{subject} has a quoted operand of `|` in its annotation: the module fails when it is "
                f"imported (`{q.runtime}`)")
    return (f"{subject} has a quoted type inside its annotation, which the pinned runtime does not evaluate "
            f"(`{q.runtime}`)")


def _refusal(entry, t):
    """(node, part, what, the runtime's words) for an input type the runtime does not accept."""
    if t.kind == T.OPTIONAL:
        inner = t.inner
        if inner.kind == T.LIST:
            return inner.node, inner, "optional-list", "Optional cannot have nested type list"
        return inner.node, inner, "unsupported", f"unsupported Cog type {entry.text(inner)}"
    if t.kind == T.LIST:
        elem = t.inner
        if elem is None:
            return t.node, t, "bare-list", "unsupported Cog type list"
        if elem.kind in (T.LIST, T.OPTIONAL, T.UNION, T.ITERATOR) or (elem.kind in (T.DICT, T.OTHER) and elem.args):
            nested = {T.LIST: "list", T.OPTIONAL: "Optional", T.UNION: "Union"}.get(elem.kind, entry.text(elem).split("[")[0])
            return elem.node, elem, "nested", f"List cannot have nested type {nested}"
        return elem.node, elem, "unsupported", f"unsupported Cog type {entry.text(elem)}"
    return t.node, t, "unsupported", f"unsupported Cog type {entry.text(t)}"
