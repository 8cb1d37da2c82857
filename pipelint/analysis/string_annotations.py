"""Annotations written as string literals (``-> "Output"``, ``x: "str"``).

The pinned pipelines runtime (coglet 0.1.0a31) reads the entry's annotations with
``inspect.getfullargspec(f).annotations`` and an Output class's with ``cls.__annotations__``,
never evaluating them: a quoted annotation reaches it as a ``str`` and is refused
(``unsupported Cog type Output``), and so is a quoted part inside one (``Optional["str"]``:
``unsupported Cog type ForwardRef('str')``, see ``quoted_parts``). Shared by the rules that judge
inputs, returns and fields.
"""

from __future__ import annotations

from pipelint.core.records import Record
from pipelint.model.literals import evaluated


def quoted_text(annotation) -> str | None:
    """The text of an annotation written as a string literal (what the runtime receives), or None."""
    import libcst as cst

    if isinstance(annotation, cst.Annotation):
        annotation = annotation.annotation
    if isinstance(annotation, (cst.SimpleString, cst.ConcatenatedString)):
        value = evaluated(annotation)
        return value if isinstance(value, str) else None
    return None


def runtime_words(text: str) -> str:
    """The pinned runtime's message for a quoted annotation ``text``."""
    return f"unsupported Cog type {text.strip()}"


# ---- quoted parts inside an annotation (``Optional["str"]``, ``list["Output"]``) -----------------
# coglet 0.1.0a31 unwraps ``Optional``/``Union``, ``list``/``List`` and the iterators itself
# (python/coglet/adt.py ``FieldType.from_type``, inspector.py ``_output_adt``) with
# ``typing.get_origin``/``get_args`` on the raw annotations: a quoted part inside them is what it
# gets as the element type. ``typing``'s generics turn the string into a ``ForwardRef('str')``,
# the builtin ``list[...]`` and ``collections.abc`` ones keep the ``str``; either way the element is
# no type it knows (``unsupported Cog type ForwardRef('str')``). A quoted operand of ``|`` fails
# earlier, when the module is imported (``TypeError: unsupported operand type(s) for |``).

class QuotedPart(Record, frozen=True):
    node: object  # the string literal (in the tree of the module the annotation is written in)
    text: str  # what is inside the quotes
    runtime: str  # the runtime's words for it

    def __init__(self, node: object, text: str, runtime: str) -> None:
        object.__setattr__(self, "node", node)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "runtime", runtime)


# container heads the runtime unwraps: qualified name → the quoted element reaches it as a ForwardRef
_UNWRAPPED = {
    "typing.Optional": True, "typing.Union": True, "typing.List": True, "builtins.list": False,
    "typing.Iterator": True, "typing.AsyncIterator": True,
    "collections.abc.Iterator": False, "collections.abc.AsyncIterator": False,
    "cog.ConcatenateIterator": False, "cog.AsyncConcatenateIterator": False,  # plain Generic subclasses
}
_MAX_DEPTH = 20


def quoted_parts(resolver, annotation) -> list[QuotedPart]:
    """The string literals inside ``annotation`` (not the annotation itself quoted: ``quoted_text``)
    that the pinned runtime receives as strings where it wants a type, followed through the module's
    type aliases (``MaybeText = Optional["str"]``). Empty for a module with
    ``from __future__ import annotations`` (every annotation is a string there: the future-annotations rule's finding)."""
    import libcst as cst

    if isinstance(annotation, cst.Annotation):
        annotation = annotation.annotation
    if annotation is None or postpones_annotations(resolver.module):
        return []
    out: list[QuotedPart] = []
    _walk(resolver, annotation, out, frozenset(), 0)
    return out


def _walk(resolver, expr, out, aliases, depth) -> None:
    import libcst as cst

    from pipelint.analysis.annotations import _normalise

    if depth > _MAX_DEPTH:
        return
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
        for side in (expr.left, expr.right):
            text = quoted_text(side)
            if text is not None:
                words = _bitor_words(resolver, expr.left, expr.right)
                if words is not None:
                    out.append(QuotedPart(side, text, words))
            else:
                _walk(resolver, side, out, aliases, depth + 1)
        return
    if isinstance(expr, (cst.Name, cst.Attribute)):
        names = {_normalise(q) for q in resolver.qualified_names(expr)}
        local = sorted(q for q in names if q in resolver.toplevel)
        if local and local[0] not in aliases:
            last = resolver.toplevel[local[0]][-1]
            if not isinstance(last, cst.ClassDef) and quoted_text(last) is None:
                _walk(resolver, last, out, aliases | {local[0]}, depth + 1)
        return
    if not isinstance(expr, cst.Subscript):
        return
    names = {_normalise(q) for q in resolver.qualified_names(expr.value)}
    heads = sorted(n for n in names if n in _UNWRAPPED)
    if not heads:
        return  # dict[...], tuple[...], Literal[...], Annotated[...]: refused (or not types) as a whole
    forward = _UNWRAPPED[heads[0]]
    for el in expr.slice:
        if not isinstance(el.slice, cst.Index):
            continue
        value = el.slice.value
        text = quoted_text(value)
        if text is None:
            _walk(resolver, value, out, aliases, depth + 1)
        elif text.strip() != "None":
            shown = f"ForwardRef({text!r})" if forward else text
            out.append(QuotedPart(value, text, runtime_words(shown)))


def _bitor_words(resolver, left, right) -> str | None:
    """``TypeError``'s words for ``left | right`` with a quoted operand, or None when Python does not
    raise it (an operand that is a ``typing`` construct turns the string into a ForwardRef)."""
    import libcst as cst

    def kind(e):
        if quoted_text(e) is not None:
            return "str"
        if isinstance(e, cst.Name) and e.value == "None":
            return "NoneType"
        if isinstance(e, (cst.Name, cst.Attribute)):
            names = resolver.qualified_names(e)
            if any(n.startswith(("typing.", "typing_extensions.")) for n in names):
                return None
            return "type" if names else None
        return None

    a, b = kind(left), kind(right)
    if a is None or b is None:
        return None
    return f"TypeError: unsupported operand type(s) for |: '{a}' and '{b}'"


def postpones_annotations(module) -> bool:
    """Does the module begin with ``from __future__ import annotations``?"""
    import libcst as cst

    from pipelint.model.imports import dotted

    tree = module.tree
    for stmt in tree.body if tree is not None else ():
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if (isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None
                    and dotted(small.module) == "__future__" and not isinstance(small.names, cst.ImportStar)
                    and any(dotted(a.name) == "annotations" for a in small.names)):
                return True
    return False
