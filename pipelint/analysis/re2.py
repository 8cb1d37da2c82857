"""Which Python regular expressions Go's RE2 (``regexp``) refuses to compile.

cog puts ``Input(regex=...)`` into the OpenAPI schema as ``pattern``, and the build's schema
validation compiles it with Go's ``regexp`` (RE2). RE2 has no lookahead/lookbehind, no
backreferences or conditionals, no possessive quantifiers or atomic groups, and refuses repeat
counts above 1000. Decided from the token kinds of Python's own regex parser (``re._parser``,
``sre_parse`` before 3.11); a pattern Python cannot parse is left undecided.
"""

from __future__ import annotations

_REASONS = {
    "ASSERT": "a lookahead/lookbehind",
    "ASSERT_NOT": "a negative lookahead/lookbehind",
    "GROUPREF": "a backreference",
    "GROUPREF_EXISTS": "a conditional group",
    "POSSESSIVE_REPEAT": "a possessive quantifier",
    "ATOMIC_GROUP": "an atomic group",
}


def _parser():
    try:
        import re._parser as parser  # Python 3.11+
    except ImportError:  # pragma: no cover - older Pythons
        import sre_parse as parser
    return parser


def re2_problem(pattern: str) -> str | None:
    """What in ``pattern`` RE2 cannot compile (``"a lookahead/lookbehind"``), or None."""
    import re
    import warnings

    parser = _parser()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = parser.parse(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None
    try:
        return _walk(parsed, parser.MAXREPEAT, 0)
    except RecursionError:
        return None


def _walk(items, maxrepeat, depth):
    if depth > 100:
        return None
    for op, av in items:
        name = str(op)
        if name in _REASONS:
            return _REASONS[name]
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = av
            if lo > 1000 or (hi != maxrepeat and hi > 1000):
                return "a repeat count above 1000"
        for part in _children(av):
            found = _walk(part, maxrepeat, depth + 1)
            if found:
                return found
    return None


def _children(av):
    """The sub-patterns inside a token's argument."""
    out = []
    if isinstance(av, (list, tuple)):
        for x in av:
            if hasattr(x, "data") or (isinstance(x, list) and x and isinstance(x[0], tuple)):
                out.append(x)
            elif isinstance(x, (list, tuple)):
                out.extend(_children(x))
    elif hasattr(av, "data"):
        out.append(av)
    return out


def re2_search(pattern: str, text: str) -> bool | None:
    """Whether RE2 finds ``pattern`` in ``text`` (an unanchored search, as Go's ``MatchString``),
    judged with Python's ``re`` where both agree; None when undecided."""
    import re

    if re2_problem(pattern) is not None:
        return None
    try:
        return re.search(pattern, text) is not None
    except (re.error, RecursionError, OverflowError):
        return None
