"""CG405 default-breaks-constraint: a default the build's schema validation refuses, or a regex RE2 cannot compile."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\n  gpu: false\nrun: "run.py:Runner"\n'
_HEAD = "from cog import BaseRunner, Input\n\n\nclass Runner(BaseRunner):\n"


def _case(params, **kw):
    return Case({"cog.yaml": _YAML, "run.py": _HEAD + f"    def run(self, {params}) -> str:\n        return ''\n",
                 "main.py": None}, **kw)


class DefaultBreaksConstraint(Rule):
    """An input's default breaks its own `ge`/`le`, length limits, `regex` or `choices`, or its
    `regex` is one Go's RE2 cannot compile.

    ## What it does
    Reports a default below `ge` or above `le`, shorter than `min_length` or longer than
    `max_length`, not matched by `regex`, or not among `choices`; and a `regex` with a
    lookahead/lookbehind, a backreference, a possessive quantifier, an atomic group or a repeat
    count above 1000, none of which RE2 supports.

    ## Why is this bad?
    cog (0.19+) writes the constraints into the OpenAPI schema and validates the schema at build
    time: `cog build` fails with `Model schema is invalid: … invalid default …` followed by the
    schema, and a `pattern` that Go's `regexp` cannot compile fails the same way.

    ## Example
    ```python
    def run(self, steps: int = Input(default=4, ge=8, le=200)) -> str: ...
    ```

    ## Use instead
    ```python
    def run(self, steps: int = Input(default=8, ge=8, le=200)) -> str: ...
    ```
    """

    code = "CG405"
    name = "default-breaks-constraint"
    severity = Severity.ERROR
    targets = ("cog",)
    cog_versions = ">=0.19"

    def check(self) -> None:
        from pipelint.analysis import static_schema as S
        from pipelint.analysis.re2 import re2_problem, re2_search

        for entry, scope, p, si in S.schema_inputs(self.project):
            args = si.call.args
            via = f" (in `{si.registry}`)" if si.registry else ""

            def number(key, args=args):
                a = args.get(key)
                v = S.go_value(a.value_node) if a is not None else None
                return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None

            regex_arg = args.get("regex")
            pattern = S.go_string(regex_arg.value_node) if regex_arg is not None else None
            if pattern is not None and re2_problem(pattern):
                self.report(regex_arg.value_node, f"regex `{pattern}`{via} uses {re2_problem(pattern)}, which Go's RE2 "
                            "cannot compile: cog's build-time schema validation fails (`Model schema is invalid`)",
                            help="rewrite the pattern without it, or check the value in code", module=entry.module)
            a = args.get("default")
            if a is None:
                continue
            ok, value = S.resolve_default(a.value_node, scope)
            if not ok or value is None:
                continue
            shown = entry.code(a.value_node)
            problem = None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                ge, le = number("ge"), number("le")
                if ge is not None and value < ge:
                    problem = f"is below `ge={_num(ge)}` (`number must be at least {_num(ge)}`)"
                elif le is not None and value > le:
                    problem = f"is above `le={_num(le)}` (`number must be at most {_num(le)}`)"
            if problem is None and isinstance(value, str):
                lo, hi = number("min_length"), number("max_length")
                if lo is not None and len(value) < lo:
                    problem = f"is shorter than `min_length={_num(lo)}`"
                elif hi is not None and len(value) > hi:
                    problem = f"is longer than `max_length={_num(hi)}`"
                elif pattern is not None and re2_search(pattern, value) is False:
                    problem = f"does not match `regex` `{pattern}`"
            if problem is None and "choices" in args and isinstance(value, (str, int, float)):
                ok, choices, _ = S.resolve_choices(args["choices"].value_node, scope)
                if ok and choices and not any(_same(value, c) for c in choices):
                    problem = f"is not among the choices {choices!r}"
            if problem is not None:
                self.report(a.value_node, f"default `{shown}` of input `{p.name}`{via} {problem}: cog's build-time "
                            "schema validation refuses it (`Model schema is invalid: … invalid default`)",
                            help="change the default or the constraint", module=entry.module)

    VALID = [
        _case("steps: int = Input(description='d', default=8, ge=8, le=200), "
              "color: str = Input(description='d', default='#000000', regex=r'^#[0-9a-f]{6}$'), "
              "size: str = Input(description='d', default='s', choices=['s', 'm'])"),
    ]
    INVALID = [
        _case("steps: int = Input(description='d', default=4, ge=8, le=200)",
              expect=[("run.py", 5, 63, 5, 64, "default `4` of input `steps` is below `ge=8`")]),
        _case("fmt: str = Input(description='d', default='jpeg', choices=['webp', 'jpg'])",
              expect=[("run.py", 5, 61, 5, 67, "is not among the choices ['webp', 'jpg']")]),
        _case("slug: str = Input(description='d', default='a', regex=r'^(?!-)[a-z-]+$')",
              expect=[("run.py", 5, 73, 5, 90, "uses a negative lookahead/lookbehind, which Go's RE2 cannot compile")]),
        _case("caption: str = Input(description='d', default='', min_length=1)",
              expect=[("run.py", 5, 65, 5, 67, "is shorter than `min_length=1`")]),
    ]


def _num(v) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _same(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return a == b
