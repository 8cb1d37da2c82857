"""PL412 unsupported-output-type: A return type (or Output field type) the runtime cannot serialise."""

from __future__ import annotations

from pipelint.analysis import annotations as T
from pipelint.analysis.entry import (
    BASE_MODEL_FLAVORS,
    ELEMENT,
    FIELD,
    OUTPUT_VALUE_KINDS,
    RETURN,
    UNJUDGED_KINDS,
    output_subject,
)
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule

HELP_OUTPUT = ("return str, int, float, bool or cog.Path, a `list[...]` or `Iterator[...]` of one, "
               "or an `Output(cog.BaseModel)` with such fields")


class UnsupportedOutputType(EntryRule):
    """A return type (or Output field type) the runtime cannot serialise.

    ## What it does
    Reports return types outside what the pipelines runtime serialises: tuples, sets,
    unions, `bytes`, `datetime`, nested lists, a bare `list`, classes that do not subclass
    `cog.BaseModel` (plain classes, dataclasses, third-party types), and Output fields of
    such types. A quoted return annotation (`-> "Output"`) or field annotation is
    reported too: the pinned runtime reads annotations without evaluating them and
    receives a string (`unsupported Cog type Output`). So is a quoted part inside one
    (`-> Iterator["str"]`, `caption: Optional["str"]`): coglet unwraps `Optional`, `list`
    and the iterators itself and gets the string, or the `ForwardRef('str')` that `typing`
    makes of it, as the element type (`unsupported Cog type ForwardRef('str')`). A quoted
    part that would be refused unquoted too (`list["Output"]`: PL404; `Optional["Info"]` as a
    field: PL405; an Optional return: PL406) is left to that rule.

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
        from pipelint.analysis.string_annotations import quoted_parts, quoted_text, runtime_words

        text = quoted_text(entry.return_annotation) if entry.return_annotation is not None else None
        if text is not None:
            self.report(entry.return_annotation, f"`{entry.func_name}()` has a string return annotation, which the "
                        f"pinned runtime reads as a string, not a type (`{runtime_words(text)}`)",
                        help=f"write the type unquoted (`-> {text.strip()}`), defining the class above the function")
        elif entry.return_annotation is not None and entry.returns is not None:
            wrapped = entry.returns.kind in (T.LIST, T.ITERATOR)  # else PL406 (Optional) or this rule says more
            for q in quoted_parts(entry.types, entry.return_annotation):
                if _quotes_are_the_problem(entry.types, q, wrapped):
                    self._quoted_part(f"`{entry.func_name}()`'s return annotation", q, None)
        for slot in entry.output_slots:
            if slot.role == FIELD:
                field_text = quoted_text(slot.field.annotation)
                if field_text is not None:
                    self.report(slot.field.annotation, f"{output_subject(entry, slot)} has a string annotation, which "
                                f"the pinned runtime reads as a string, not a type (`{runtime_words(field_text)}`)",
                                help=f"write the type unquoted: `{slot.field.name}: {field_text.strip()}`",
                                module=slot.module)
                    continue
                wrapped = slot.type.kind == T.OPTIONAL  # a list field is PL403's, a union refused as it is
                parts = [q for q in quoted_parts(slot.model.resolver, slot.field.annotation)
                         if _quotes_are_the_problem(slot.model.resolver, q, wrapped)]
                if parts:
                    for q in parts:
                        self._quoted_part(output_subject(entry, slot), q, slot.module)
                    continue
            found = _refusal(entry, slot)
            if found is None:
                continue
            part, what, detail = found
            shown = entry.text(part)
            if what == "plain-class":
                msg = f"`{entry.func_name}()` returns `{shown}`, a class that does not subclass `cog.BaseModel` " \
                      f"(`{detail}`)"
                help_ = "make it `class Output(BaseModel)`, with `BaseModel` imported from cog"
            elif slot.role == FIELD:
                msg = f"{output_subject(entry, slot)} has type `{shown}`, which the runtime cannot serialise (`{detail}`)"
                help_ = "use str, int, float, bool or cog.Path, or `Optional[...]` of one"
            else:
                msg = f"`{entry.func_name}()` returns `{shown}`, which the runtime cannot serialise (`{detail}`)"
                help_ = HELP_OUTPUT
                if part.kind == T.OTHER and part.name in ("Generator", "AsyncGenerator"):
                    help_ = "annotate a generator by what it yields: `Iterator[str]` (`AsyncIterator[str]` when async)"
            self.report(part.node, msg, help=help_, module=slot.module)

    def _quoted_part(self, subject: str, q, module) -> None:
        if q.runtime.startswith("TypeError"):
            msg = (f"{subject} has a quoted operand of `|`: the module fails when it is imported "
                   f"(`{q.runtime}`)")
        else:
            msg = (f"{subject} has a quoted type inside it, which the pinned runtime does not evaluate "
                   f"(`{q.runtime}`)")
        self.report(q.node, msg, help=f"write `{q.text.strip()}` without the quotes", module=module)

    VALID = [
        Case("import pathlib\n\n\ndef run() -> pathlib.Path:\n    return pathlib.Path('/tmp/x')\n"),
        Case({"main.py": "from helpers import Output\n\n\ndef run() -> Output:\n    return Output()\n",
              "helpers.py": "from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str = ''\n"}),
        Case("from typing import Optional\n\nfrom cog import BaseModel\n\n\nclass Output(BaseModel):\n"
             "    text: Optional[str] = None\n\n\ndef run() -> Output:\n    label: Optional['str'] = None\n"
             "    return Output(text=label)\n",
             note="a quoted part in the body's own annotations is never read by the runtime"),
    ]
    INVALID = [
        Case("def run() -> tuple[str, float]:\n    return ('a', 1.0)\n",
             expect=[(1, 14, 1, 31, "`run()` returns `tuple[str, float]`, which the runtime cannot serialise")]),
        Case("def run() -> str | int:\n    return 1\n",
             expect=[(1, 14, 1, 23, "`run()` returns `str | int`, which the runtime cannot serialise")]),
        Case("from dataclasses import dataclass\n\n\n@dataclass\nclass Output:\n    text: str\n\n\n"
             "def run() -> Output:\n    return Output('x')\n",
             expect=[(9, 14, 9, 20, "`run()` returns `Output`, a class that does not subclass `cog.BaseModel`")]),
        Case("from typing import List\n\n\ndef run() -> List[List[str]]:\n    return []\n",
             expect=[(4, 19, 4, 28, "`run()` returns `List[str]`, which the runtime cannot serialise")]),
        Case("from cog import BaseModel\nimport datetime\n\n\nclass Output(BaseModel):\n    when: datetime.datetime\n\n\n"
             "def run() -> Output:\n    return Output(when=datetime.datetime.now())\n",
             expect=[(6, 11, 6, 28, "output field `when` of `Output` has type `datetime.datetime`, which the "
                                    "runtime cannot serialise")]),
        Case("from PIL import Image\n\n\ndef run() -> Image.Image:\n    return Image.new('RGB', (1, 1))\n",
             expect=[(4, 14, 4, 25, "`run()` returns `Image.Image`, which the runtime cannot serialise")]),
        Case("from typing import Generator\n\n\ndef run() -> Generator[str, None, None]:\n    yield 'x'\n",
             expect=[(4, 14, 4, 40, "`run()` returns `Generator[str, None, None]`, which the runtime cannot "
                                    "serialise")]),
        Case("from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: 'str'\n\n\n"
             "def run() -> 'Output':\n    return Output(text='x')\n",
             expect=[(5, 11, 5, 16, "output field `text` of `Output` has a string annotation"),
                     (8, 14, 8, 22, "`run()` has a string return annotation, which the pinned runtime reads as a "
                                    "string, not a type (`unsupported Cog type Output`)")],
             note="coglet 0.1.0a31 reads annotations unevaluated: a quoted type is a str to it"),
        Case("import typing\nfrom typing import Iterator\n\nfrom cog import BaseModel\n\n\nclass Output(BaseModel):\n"
             "    caption: str\n    extra: typing.Optional[\"str\"] = None\n\n\n"
             "def run() -> Output:\n    return Output(caption='x')\n",
             expect=[(9, 28, 9, 33, "output field `extra` of `Output` has a quoted type inside it, which the pinned "
                                    "runtime does not evaluate (`unsupported Cog type ForwardRef('str')`)")],
             note="coglet reads Output's raw __annotations__ (inspector.py _output_adt): Union[ForwardRef('str'), None]"),
        Case("from cog import ConcatenateIterator\n\n\ndef run() -> ConcatenateIterator['str']:\n    yield 'x'\n",
             expect=[(4, 34, 4, 39, "(`unsupported Cog type str`)")],
             note="cog's ConcatenateIterator is a plain Generic subclass: the element stays a str"),
        Case("from typing import Iterator\n\n\ndef run() -> Iterator['str']:\n    yield 'x'\n",
             expect=[(4, 23, 4, 28, "`run()`'s return annotation has a quoted type inside it, which the pinned "
                                    "runtime does not evaluate (`unsupported Cog type ForwardRef('str')`)")]),
    ]


def _quotes_are_the_problem(resolver, q, wrapped: bool) -> bool:
    """Report a quoted part when the quotes are what the runtime refuses: the type would do unquoted
    (a value type in an accepted wrapper). A quoted model in a list (PL404) or an Optional field (PL405)
    is refused unquoted too: that rule's finding is the one to act on. A quoted operand of `|` fails
    when the module is imported, whatever it names."""
    if q.runtime.startswith("TypeError"):
        return True
    return wrapped and resolver.of(q.node).kind in (*OUTPUT_VALUE_KINDS, T.UNKNOWN)


# Return types other rules report: None (PL304), Optional (PL406), Any (PL411), an iterator (PL410).
_OTHER_RULES_RETURNS = (T.NONE, T.OPTIONAL, T.ANY, T.ITERATOR)
# Values other rules report wherever they are: dict (PL402), Secret (PL407).
_OTHER_RULES_VALUES = (T.DICT, T.SECRET)


def _refusal(entry, slot):
    """(type part, what, the runtime's words) when the runtime cannot encode ``slot`` and no other
    rule says so, else None."""
    t = slot.value
    k = t.kind
    if slot.role == RETURN:
        if k in _OTHER_RULES_RETURNS:
            return None
        if k == T.LIST:
            return (t, "bare-list", "unsupported Cog type list") if t.inner is None else None  # else: its element
        if k == T.MODEL:
            if t.model.flavor is None:
                return t, "plain-class", f"unsupported Cog type {t.model.name}"
            return None  # a BaseModel: its fields are judged; one that cannot be followed: nothing to say
    elif slot.role == ELEMENT:
        if k in (T.LIST, T.OPTIONAL):
            return t, "nested", f"unsupported Cog type {entry.text(slot.container)}"
        if k == T.NONE:
            return t, "unsupported", "unsupported Cog type None"
        if k == T.MODEL and t.model.flavor in BASE_MODEL_FLAVORS:
            return None  # a sequence of models: PL404
    elif k == T.LIST:
        return None  # a list field: PL403
    elif k == T.MODEL and t.model.flavor in BASE_MODEL_FLAVORS:
        return None  # a nested model: PL405
    if k in OUTPUT_VALUE_KINDS or k in UNJUDGED_KINDS or k in _OTHER_RULES_VALUES:
        return None
    if k == T.MODEL and t.model.flavor == "unknown":
        return None
    if slot.role == FIELD:
        return t, "field", f"unsupported Cog type {entry.text(t)}"
    if k == T.ANY:
        return t, "unsupported", "unsupported Cog type typing.Any"
    if k == T.UNION:
        return t, "union", f"unsupported union type {entry.text(t)}"
    return t, "unsupported", f"unsupported Cog type {entry.text(t)}"
