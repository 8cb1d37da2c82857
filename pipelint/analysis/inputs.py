"""cog's ``Input(...)`` calls, read statically: which keywords, and their literal values.

Values are evaluated only when they are literals (numbers, strings, negative numbers, lists,
tuples, None, True/False, implicit string concatenation), by walking the syntax tree: nothing
is ever evaluated by Python. Anything else is ``UNKNOWN`` and rules say nothing about it.
"""

from __future__ import annotations

from pipelint.core.records import Record
from pipelint.model.literals import evaluated

# Input()'s keywords in the pinned runtime (a dataclass, so this is also the positional order).
INPUT_FIELDS = ("default", "description", "ge", "le", "min_length", "max_length", "regex", "choices", "deprecated")
INPUT_CALLABLES = {"cog.Input", "cog.types.Input", "cog.input.Input", "coglet.api.Input"}


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = _Unknown()  # a value that is not a literal


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()  # no such argument


class InputArg(Record, eq=False):
    keyword: str
    arg: object  # the cst.Arg
    value_node: object
    value: object  # the literal value, or UNKNOWN

    def __init__(self, keyword: str, arg: object, value_node: object, value: object) -> None:
        self.keyword = keyword
        self.arg = arg
        self.value_node = value_node
        self.value = value


class InputCall(Record, eq=False):
    node: object  # the cst.Call
    args: dict[str, InputArg]  # known keywords
    unknown: list  # cst.Arg with a keyword Input() does not have
    positional: list  # cst.Arg passed without a keyword
    splat: bool  # ``*args`` / ``**kwargs``: more keywords may come from elsewhere

    def __init__(
        self,
        node: object,
        args: dict[str, InputArg] | None = None,
        unknown: list | None = None,
        positional: list | None = None,
        splat: bool = False,
    ) -> None:
        self.node = node
        self.args = {} if args is None else args
        self.unknown = [] if unknown is None else unknown
        self.positional = [] if positional is None else positional
        self.splat = splat

    def has(self, keyword: str) -> bool:
        return keyword in self.args

    def value(self, keyword: str, missing=None):
        """The literal value of ``keyword``, ``missing`` when absent, UNKNOWN when not a literal."""
        a = self.args.get(keyword)
        return missing if a is None else a.value

    @property
    def has_default(self) -> bool:
        return "default" in self.args


def literal_value(node):
    """The Python value of a literal expression, or UNKNOWN."""
    import libcst as cst

    if isinstance(node, cst.Integer):
        return evaluated(node)
    if isinstance(node, cst.Float):
        return evaluated(node)
    if isinstance(node, cst.SimpleString):
        try:
            return evaluated(node)
        except Exception:  # a malformed escape: not a value we can know
            return UNKNOWN
    if isinstance(node, cst.ConcatenatedString):
        try:
            value = evaluated(node)
        except Exception:
            return UNKNOWN
        return UNKNOWN if value is None else value  # None: it holds an f-string
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[node.value]
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        inner = literal_value(node.expression)
        if isinstance(inner, (int, float)) and not isinstance(inner, bool):
            return -inner if isinstance(node.operator, cst.Minus) else inner
        return UNKNOWN
    if isinstance(node, (cst.List, cst.Tuple)):
        values = []
        for el in node.elements:
            if isinstance(el, cst.StarredElement):
                return UNKNOWN
            v = literal_value(el.value)
            if v is UNKNOWN:
                return UNKNOWN
            values.append(v)
        return values if isinstance(node, cst.List) else tuple(values)
    return UNKNOWN


def is_input_callee(func, resolver) -> bool:
    """Is ``func`` (a call's callee) cog's ``Input``, however it was imported?"""
    from pipelint.analysis.annotations import _normalise

    return bool({_normalise(q) for q in resolver.qualified_names(func)} & {_normalise(q) for q in INPUT_CALLABLES})


def looks_like_input(func) -> bool:
    """A callee spelt ``Input``/``x.Input`` that does not resolve to cog (a re-export, an undefined name)."""
    from pipelint.analysis.annotations import dotted_name

    name = dotted_name(func) or ""
    return name == "Input" or name.endswith(".Input")


def parse_input_call(call, resolver) -> InputCall | None:
    """The ``Input(...)`` call read into keywords, or None when ``call`` is not cog's Input."""
    import libcst as cst

    if not isinstance(call, cst.Call) or not is_input_callee(call.func, resolver):
        return None
    result = InputCall(call)
    for arg in call.args:
        if arg.star:
            result.splat = True
        elif arg.keyword is None:
            result.positional.append(arg)
        elif arg.keyword.value in INPUT_FIELDS:
            result.args[arg.keyword.value] = InputArg(arg.keyword.value, arg, arg.value, literal_value(arg.value))
        else:
            result.unknown.append(arg)
    return result


def keyword_given(call: InputCall, keyword: str) -> bool:
    """The keyword is passed with something other than a literal None (``ge=None`` means no bound)."""
    a = call.args.get(keyword)
    return a is not None and a.value is not None
