"""libcst's ``evaluated_value`` of string and integer literals, without a compile per literal.

libcst evaluates ``SimpleString.evaluated_value`` and ``Integer.evaluated_value`` with
``ast.literal_eval``, which compiles the literal's source each time (~20 µs): the rules ask for
some 80 literals on a typical main.py, ~2 ms of a 30 ms lint. Most literals are plain: a ``str``
literal whose body holds no backslash, carriage return, NUL or surrogate *is* its body, and an
integer written in decimal digits is ``int()`` of them. Anything else goes to libcst.
tests/test_literals.py compares the two on every literal of every fixture and rule example and on
generated literals.
"""

from __future__ import annotations

_STR_PREFIXES = frozenset(("", "r", "u", "R", "U"))
_UNSAFE = ("\\", "\r", "\0")


def evaluated(node):
    """``node.evaluated_value``, the same value (and the same exception where it raises)."""
    kind = type(node).__name__
    if kind == "SimpleString":
        body = _plain_body(node.value)
        if body is not None:
            return body
    elif kind == "Integer":
        value = node.value
        if value.isascii() and value.isdigit() and (value[0] != "0" or not value.strip("0")):
            return int(value)
    return node.evaluated_value


def _plain_body(value: str) -> str | None:
    """The text of a ``str`` literal that needs no evaluation, or None."""
    at = 0
    while at < len(value) and value[at] not in "'\"":
        at += 1
    if value[:at] not in _STR_PREFIXES or at == len(value):
        return None
    quote = value[at]
    width = 3 if value.startswith(quote * 3, at) and len(value) - at >= 6 else 1
    body = value[at + width:len(value) - width]
    if len(value) - at < 2 * width or not value.endswith(quote * width):
        return None
    for unsafe in _UNSAFE:
        if unsafe in body:
            return None
    if not body.isascii():
        try:
            body.encode("utf-8")  # a lone surrogate: literal_eval refuses the source
        except UnicodeEncodeError:
            return None
    return body
