"""Annotations written as string literals (``-> "Output"``, ``x: "str"``).

The pinned pipelines runtime (coglet 0.1.0a31) reads the entry's annotations with
``inspect.getfullargspec(f).annotations`` and an Output class's with ``cls.__annotations__``,
never evaluating them: a quoted annotation reaches it as a ``str`` and is refused
(``unsupported Cog type Output``). Shared by the rules that judge inputs, returns and fields.
"""

from __future__ import annotations


def quoted_text(annotation) -> str | None:
    """The text of an annotation written as a string literal (what the runtime receives), or None."""
    import libcst as cst

    if isinstance(annotation, cst.Annotation):
        annotation = annotation.annotation
    if isinstance(annotation, (cst.SimpleString, cst.ConcatenatedString)):
        value = annotation.evaluated_value
        return value if isinstance(value, str) else None
    return None


def runtime_words(text: str) -> str:
    """The pinned runtime's message for a quoted annotation ``text``."""
    return f"unsupported Cog type {text.strip()}"
