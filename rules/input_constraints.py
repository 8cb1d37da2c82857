"""PL307–PL310: `Input()` keywords, checked against the input's type and its own default."""

from __future__ import annotations

import re

from pipelint.analysis.entry import EntryRule
from pipelint.engine.rule import Case
NUMERIC = "numeric"
STRING = "string"
OTHER = "other"


def _inputs(entry):
    """(param, element kind, element type) for each entry input with an ``Input()`` default and a type
    the runtime accepts."""
    from pipelint.analysis import annotations as T

    for p in entry.inputs:
        if p.input is None or p.type is None or entry.input_type_finding(p) is not None:
            continue
        t = p.type
        if t.kind in (T.OPTIONAL, T.LIST):
            t = t.inner
        if t.kind == T.UNKNOWN:
            continue
        if t.kind == T.SCALAR and t.name in ("int", "float"):
            kind = NUMERIC
        elif t.kind == T.SCALAR and t.name == "str":
            kind = STRING
        else:
            kind = OTHER
        yield p, kind, t


def _given(call, keyword: str) -> bool:
    """The keyword is passed with something other than a literal None (``ge=None`` means no bound)."""
    a = call.args.get(keyword)
    return a is not None and a.value is not None


def _in_repr(entry, p) -> str:
    return f"{p.name}: {entry.text(p.type)}"


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
        for p, kind, _ in _inputs(entry):
            for keywords, wanted, label, help_ in self.GROUPS:
                given = [k for k in keywords if _given(p.input, k)]
                if not given or kind == wanted:
                    continue
                self.report(p.input.args[given[0]].arg,
                            f"`{'`/`'.join(given)}` cannot constrain input `{p.name}` of type `{entry.text(p.type)}` "
                            f"(`incompatible input type for {label}: {_in_repr(entry, p)}`)", help=help_)

    VALID = [
        Case("from typing import Optional\nfrom cog import Input\n\n\ndef run(\n    a: int = Input(default=1, ge=0, le=10),\n"
             "    b: float = Input(default=0.5, ge=0.0),\n    c: str = Input(default='x', min_length=1, max_length=9, regex=r'\\w+'),\n"
             "    d: list[int] = Input(default=[1], ge=0),\n    e: Optional[str] = Input(default=None, max_length=3),\n"
             "    f: str = Input(default='x', ge=None),\n) -> str:\n    return c\n"),
    ]
    INVALID = [
        Case("from cog import Input\n\n\ndef run(name: str = Input(ge=1)) -> str:\n    return name\n", expect=[(4, 27)]),
        Case("from cog import Input\n\n\ndef run(steps: int = Input(default=4, max_length=2, regex='4')) -> str:\n"
             "    return ''\n", expect=[(4, 39), (4, 53)]),
        Case("import cog\n\n\ndef run(\n    flag: bool = cog.Input(default=True, le=1),\n    files: list[cog.Path] = cog.Input(min_length=1),\n"
             ") -> str:\n    return ''\n", expect=[(5, 42), (6, 39)]),
        Case("from typing import Optional\nfrom cog import Input\n\n\n"
             "def run(s: 'Optional[str]' = Input(default=None, ge=0, le=1)) -> str:\n    return ''\n", expect=[(5, 50)]),
    ]


class InvalidChoices(EntryRule):
    """`Input(choices=...)` that the runtime refuses, or whose default is not a choice.

    ## What it does
    Reports `choices` on an input that is not a `str` or `int`, fewer than two choices,
    choices that are not all of the input's type, `choices` together with `ge`/`le` or
    `min_length`/`max_length`, and a literal default that is not one of the choices.

    ## Why is this bad?
    The runtime refuses the model when it loads: `incompatible input type for choices`,
    `choices=['a'] must have >= 2 elements`, `not all choices have the same type as input`,
    `choices and ge/le are mutually exclusive`. A default outside the choices fails cog's
    schema validation (`Model schema is invalid`) and can never be sent by a caller.

    ## Example
    ```python
    def run(size: int = Input(default=3, choices=[1, "2"], ge=1)) -> str:
        ...
    ```

    ## Use instead
    ```python
    def run(size: int = Input(default=1, choices=[1, 2])) -> str:
        ...
    ```
    """

    code = "PL308"
    name = "invalid-choices"

    def check_entry(self, entry) -> None:
        from pipelint.analysis.inputs import MISSING, UNKNOWN

        for p, kind, elem in _inputs(entry):
            call = p.input
            if not _given(call, "choices"):
                continue
            arg = call.args["choices"]
            where = _in_repr(entry, p)
            if not (elem.kind == "scalar" and elem.name in ("str", "int")):
                self.report(arg.arg, f"`choices` cannot constrain input `{p.name}` of type `{entry.text(p.type)}` "
                            f"(`incompatible input type for choices: {where}`)",
                            help="choices apply to `str` and `int` inputs only")
                continue
            for keywords, label in ((("ge", "le"), "ge/le"), (("min_length", "max_length"), "min_length/max_length")):
                given = [k for k in keywords if _given(call, k)]
                if given:
                    self.report(call.args[given[0]].arg, f"`choices` with `{'`/`'.join(given)}` on input `{p.name}` "
                                f"(`choices and {label} are mutually exclusive: {where}`)",
                                help=f"keep `choices` and drop `{'`/`'.join(given)}`")
            values = arg.value
            if values is UNKNOWN or not isinstance(values, (list, tuple)):
                continue
            if len(values) < 2:
                self.report(arg.value_node, f"input `{p.name}` has fewer than two choices "
                            f"(`choices={list(values)!r} must have >= 2 elements: {where}`)",
                            help="give at least two choices, or drop `choices` and use a `default`")
                continue
            python_type = str if elem.name == "str" else int
            wrong = [i for i, v in enumerate(values) if type(v) is not python_type]
            if wrong:
                node = arg.value_node.elements[wrong[0]].value
                self.report(node, f"choice {values[wrong[0]]!r} of input `{p.name}` is not of type `{elem.name}` "
                            f"(`not all choices have the same type as input: {where}`)",
                            help=f"make every choice a `{elem.name}` literal")
                continue
            default = p.default_literal
            if default in (MISSING, UNKNOWN) or default is None:
                continue
            outside = [d for d in (default if isinstance(default, list) else [default]) if d not in values]
            if outside:
                node = call.args["default"].value_node
                self.report(node, f"the default {outside[0]!r} of input `{p.name}` is not one of its choices; cog's "
                            "schema check fails (`Model schema is invalid`)",
                            help=f"use one of {', '.join(repr(v) for v in values)} as the default")

    VALID = [
        Case("from cog import Input\n\n\ndef run(\n    style: str = Input(default='photo', choices=['photo', 'sketch']),\n"
             "    n: int = Input(default=1, choices=[1, 2, 4]),\n    tags: list[str] = Input(default=['a'], choices=['a', 'b']),\n"
             ") -> str:\n    return style\n"),
        Case("from cog import Input\n\nSTYLES = ['a']\n\n\ndef run(style: str = Input(choices=STYLES)) -> str:\n    return style\n"),
    ]
    INVALID = [
        Case("from cog import Input\n\n\ndef run(flag: bool = Input(choices=[True, False])) -> str:\n    return ''\n",
             expect=[(4, 28)]),
        Case("from cog import Input\n\n\ndef run(s: str = Input(choices=['a'])) -> str:\n    return s\n", expect=[(4, 32)]),
        Case("from cog import Input\n\n\ndef run(s: str = Input(choices=['a', 2])) -> str:\n    return s\n", expect=[(4, 38)]),
        Case("from cog import Input\n\n\ndef run(n: int = Input(default=1, choices=[1, 2], ge=1)) -> str:\n    return ''\n",
             expect=[(4, 51)]),
        Case("from typing import Optional\nimport cog\n\n\ndef run(\n    size: Optional[str] = cog.Input(\n        default='xl',\n"
             "        choices=['s', 'm'],\n    ),\n) -> str:\n    return ''\n", expect=[(7, 17)]),
        Case("from cog import Input\n\n\ndef run(n: int = Input(choices=[1, True])) -> str:\n    return ''\n", expect=[(4, 36)]),
    ]


def _regex_is_risky(pattern: str) -> bool:
    """A nested quantifier such as ``(a+)+`` can take exponential time; such a pattern is not run."""
    return bool(re.search(r"\([^()]*[+*}][^()]*\)\s*[+*{]", pattern)) or len(pattern) > 1000


class DefaultViolatesConstraint(EntryRule):
    """A literal default that breaks its own `ge`/`le`/`min_length`/`max_length`/`regex`.

    ## What it does
    Reports an `Input(default=...)` whose literal value (each element, for a list) is below
    `ge`, above `le`, shorter than `min_length`, longer than `max_length`, or does not match
    `regex` (matched at the start, as the runtime does).

    ## Why is this bad?
    The runtime validates the default when the model loads and refuses the model:
    `default=0 conflicts with ge=10 for input: steps: int`,
    `default='foo' not a regex match for input: code: str`; cog's build fails its schema
    check (`Model schema is invalid`).

    ## Example
    ```python
    def run(steps: int = Input(default=0, ge=1, le=50)) -> str:
        ...
    ```

    ## Use instead
    ```python
    def run(steps: int = Input(default=1, ge=1, le=50)) -> str:
        ...
    ```
    """

    code = "PL309"
    name = "default-violates-constraint"

    def check_entry(self, entry) -> None:
        from pipelint.analysis.inputs import MISSING, UNKNOWN

        for p, kind, elem in _inputs(entry):
            call = p.input
            default = p.default_literal
            if default in (MISSING, UNKNOWN) or default is None or "default" not in call.args:
                continue
            is_list = p.type.kind == "list"
            if is_list != isinstance(default, list):
                continue
            values = default if is_list else [default]
            problem = None
            if kind == NUMERIC:
                problem = self._bounds(call, values)
            elif kind == STRING:
                problem = self._strings(call, values)
            if problem is None:
                continue
            constraint, text = problem
            where = _in_repr(entry, p)
            if constraint == "regex":
                runtime = f"default={default!r} not a regex match for input: {where}"
            else:
                runtime = f"default={default!r} conflicts with {constraint} for input: {where}"
            self.report(call.args["default"].value_node, f"the default of input `{p.name}` {text} (`{runtime}`)",
                        help="choose a default that satisfies the input's own constraints, or relax them")

    @staticmethod
    def _number(call, keyword):
        v = call.value(keyword, None)
        return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    def _bounds(self, call, values):
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            return None
        ge, le = self._number(call, "ge"), self._number(call, "le")
        for v in values:
            if ge is not None and v < ge:
                return f"ge={ge}", f"is below its lower bound `ge={ge}`"
            if le is not None and v > le:
                return f"le={le}", f"is above its upper bound `le={le}`"
        return None

    def _strings(self, call, values):
        if not all(isinstance(v, str) for v in values):
            return None
        lo, hi = self._number(call, "min_length"), self._number(call, "max_length")
        pattern = call.value("regex", None)
        for v in values:
            if lo is not None and len(v) < lo:
                return f"min_length={lo}", f"is shorter than `min_length={lo}`"
            if hi is not None and len(v) > hi:
                return f"max_length={hi}", f"is longer than `max_length={hi}`"
            if isinstance(pattern, str) and not _regex_is_risky(pattern) and len(v) <= 10_000:
                try:
                    matched = re.match(pattern, v)
                except (re.error, RecursionError, OverflowError):
                    return None
                if matched is None:
                    return "regex", f"does not match its `regex` {pattern!r}"
        return None

    VALID = [
        Case("from cog import Input\n\n\ndef run(\n    a: int = Input(default=1, ge=1, le=1),\n"
             "    b: str = Input(default='abc', min_length=3, max_length=3, regex=r'[a-c]+'),\n"
             "    c: list[float] = Input(default=[0.5, 1.0], ge=0.5),\n    d: int = Input(default=N, ge=1),\n"
             "    e: str = Input(default='x', regex='(a+)+$'),\n) -> str:\n    return b\n"),
    ]
    INVALID = [
        Case("from cog import Input\n\n\ndef run(steps: int = Input(default=0, ge=10)) -> str:\n    return ''\n",
             expect=[(4, 36)]),
        Case("from cog import Input\n\n\ndef run(t: float = Input(default=1.5, ge=0, le=1)) -> str:\n    return ''\n",
             expect=[(4, 34)]),
        Case("import cog\n\n\ndef run(\n    code: str = cog.Input(\n        default='foo',\n        regex=r'^[0-9]+$',\n    ),\n"
             ") -> str:\n    return code\n", expect=[(6, 17)]),
        Case("from cog import Input\n\n\ndef run(s: str = Input(default='fo' 'o', max_length=2)) -> str:\n    return s\n",
             expect=[(4, 32)]),
        Case("from cog import Input\n\n\ndef run(xs: list[int] = Input(default=[0, 100], le=10)) -> str:\n    return ''\n",
             expect=[(4, 39)]),
        Case("from cog import Input\n\n\ndef run(n: int = Input(default=-5, ge=-1)) -> str:\n    return ''\n",
             expect=[(4, 32)]),
    ]


class UnknownInputArgument(EntryRule):
    """An `Input()` keyword that does not exist, or a positional argument to `Input()`.

    ## What it does
    Reports keywords other than `default`, `description`, `ge`, `le`, `min_length`,
    `max_length`, `regex`, `choices` and `deprecated` (such as `accept`, `default_factory`
    or a misspelling), and arguments passed to `Input()` without a keyword.

    ## Why is this bad?
    `Input()` raises when the module is imported
    (`Input() got an unexpected keyword argument 'accept'`), so the model does not load;
    `accept` and `default_factory` exist only in other cog versions. cog's schema generator
    ignores positional arguments, so `Input("x")` silently becomes a required input.

    ## Example
    ```python
    def run(image: Path = Input(descripton="An image", accept="image/*")) -> str:
        ...
    ```

    ## Use instead
    ```python
    def run(image: Path = Input(description="An image")) -> str:
        ...
    ```
    """

    code = "PL310"
    name = "unknown-input-argument"

    def check_entry(self, entry) -> None:
        import difflib

        from pipelint.analysis.inputs import INPUT_FIELDS

        for p in entry.inputs:
            call = p.input
            if call is None:
                continue
            for arg in call.unknown:
                kw = arg.keyword.value
                message = f"`Input()` has no keyword `{kw}` (`Input() got an unexpected keyword argument '{kw}'`)"
                if kw == "default_factory":
                    help_ = "give a literal `default=` (for a list: `default=[]`)"
                else:
                    close = difflib.get_close_matches(kw, INPUT_FIELDS, n=1)
                    help_ = f"did you mean `{close[0]}`?" if close else "`Input()` takes " + ", ".join(INPUT_FIELDS)
                self.report(arg.keyword, message, help=help_)
            if call.positional:
                names = INPUT_FIELDS
                suggested = ", ".join(
                    f"{names[i] if i < len(names) else '?'}={entry.code(a.value)}" for i, a in enumerate(call.positional))
                self.report(call.positional[0], f"`Input()` is given positional arguments: cog's schema generator "
                            f"ignores them, so input `{p.name}` loses its default and becomes required",
                            help=f"pass them by keyword: `{entry.code(call.node.func)}({suggested})`")

    VALID = [
        Case("from cog import Input\n\n\ndef run(a: str = Input(default='x', description='d', deprecated=True)) -> str:\n"
             "    return a\n"),
        Case("from cog import Input\n\nOPTS = {'default': 1}\n\n\ndef run(a: int = Input(**OPTS)) -> str:\n    return ''\n"),
    ]
    INVALID = [
        Case("from cog import Input, Path\n\n\ndef run(image: Path = Input(descripton='An image', accept='image/*')) -> str:\n"
             "    return ''\n", expect=[(4, 29), (4, 52)]),
        Case("from cog import Input\n\n\ndef run(tags: list[str] = Input(default_factory=list)) -> str:\n    return ''\n",
             expect=[(4, 33)]),
        Case("from cog import Input as In\n\n\ndef run(\n    prompt: str = In('a cat', 'What to draw'),\n) -> str:\n"
             "    return prompt\n", expect=[(5, 22)]),
    ]
