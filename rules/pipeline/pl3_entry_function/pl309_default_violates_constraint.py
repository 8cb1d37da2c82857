"""PL309 default-violates-constraint."""

from __future__ import annotations

import re

from pipelint.analysis.entry import NUMERIC, STRING, constrained_inputs, input_repr
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


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

        for p, kind, _elem in constrained_inputs(entry):
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
            where = input_repr(entry, p)
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
             expect=[(4, 36, 4, 37, "the default of input `steps` is below its lower bound `ge=10`")]),
        Case("from cog import Input\n\n\ndef run(t: float = Input(default=1.5, ge=0, le=1)) -> str:\n    return ''\n",
             expect=[(4, 34, 4, 37, "the default of input `t` is above its upper bound `le=1`")]),
        Case("import cog\n\n\ndef run(\n    code: str = cog.Input(\n        default='foo',\n        regex=r'^[0-9]+$',\n    ),\n"
             ") -> str:\n    return code\n",
             expect=[(6, 17, 6, 22, "the default of input `code` does not match its `regex` '^[0-9]+$'")]),
        Case("from cog import Input\n\n\ndef run(s: str = Input(default='fo' 'o', max_length=2)) -> str:\n    return s\n",
             expect=[(4, 32, 4, 40, "the default of input `s` is longer than `max_length=2`")]),
        Case("from cog import Input\n\n\ndef run(xs: list[int] = Input(default=[0, 100], le=10)) -> str:\n    return ''\n",
             expect=[(4, 39, 4, 47, "the default of input `xs` is above its upper bound `le=10`")]),
        Case("from cog import Input\n\n\ndef run(n: int = Input(default=-5, ge=-1)) -> str:\n    return ''\n",
             expect=[(4, 32, 4, 34, "the default of input `n` is below its lower bound `ge=-1`")]),
    ]
