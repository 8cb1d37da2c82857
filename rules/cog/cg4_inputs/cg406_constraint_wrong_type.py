"""CG406 constraint-wrong-type: an `Input()` constraint that does not apply to the input's type."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\n  gpu: false\nrun: "run.py:Runner"\n'
_HEAD = "from typing import Union\n\nfrom cog import BaseRunner, Input, Path\n\n\nclass Runner(BaseRunner):\n"


def _case(params, **kw):
    return Case({"cog.yaml": _YAML, "run.py": _HEAD + f"    def run(self, {params}) -> str:\n        return ''\n",
                 "main.py": None}, **kw)


_NUMERIC = ("ge", "le")
_STRING = ("min_length", "max_length", "regex")


class ConstraintWrongType(Rule):
    """A constraint of `Input()` on an input whose type it does not apply to.

    ## What it does
    Reports `accept=` on an input that is not a `Path`/`File` (error) and a constraint or
    `choices` on a union input (error): cog's static schema parser refuses both. Reports
    `ge`/`le` on an input that is not an `int`/`float`, `min_length`/`max_length`/`regex` on one
    that is not a `str`, `choices` with a single item, and `choices` whose items are of mixed
    types or not of the input's type (warnings): cog 0.23 builds them, and they then do nothing.

    ## Why is this bad?
    The errors fail `cog build` (`accept is only valid on Path or File inputs (parameter '<n>')`,
    `unsupported type: constraints and choices are not supported on union inputs`). The others
    are silently meaningless: the constraint you wrote is not enforced.

    ## Example
    ```python
    def run(self, steps: str = Input(default="4", ge=1), image: str = Input(accept="image/*")) -> str: ...
    ```

    ## Use instead
    ```python
    def run(self, steps: int = Input(default=4, ge=1), image: Path = Input(accept="image/*")) -> str: ...
    ```
    """

    code = "CG406"
    name = "constraint-wrong-type"
    severity = Severity.WARNING
    also_severities = (Severity.ERROR,)
    targets = ("cog",)
    cog_versions = ">=0.19"

    def check(self) -> None:
        from pipelint.analysis import annotations as T
        from pipelint.analysis import static_schema as S

        for entry, scope, p, si in S.schema_inputs(self.project, unique=False):
            t = p.type
            if t is None:
                continue
            if t.kind == T.OPTIONAL:
                t = t.inner
            elem = t.inner if t.kind == T.LIST and t.inner is not None else t
            if elem.kind == T.UNKNOWN or (elem.kind == T.OTHER and elem.qualified == "typing.Annotated"):
                continue
            via = f" (in `{si.registry}`)" if si.registry else ""
            where = entry.text(p.type)
            for arg in si.call.unknown:
                if arg.keyword.value == "accept" and S.go_string(arg.value) is not None \
                        and elem.kind not in (T.PATH, T.FILE):
                    self.report(arg.keyword, f"`accept=` on input `{p.name}` of type `{where}`{via}: cog's build fails "
                                f"with `accept is only valid on Path or File inputs (parameter '{p.name}')`",
                                help="remove `accept=` or make the input a `Path`", severity=Severity.ERROR,
                                module=entry.module)
            given = {k: a for k, a in si.call.args.items() if k in _NUMERIC + _STRING + ("choices",)
                     and _read(S, k, a.value_node, scope)}
            if not given:
                continue
            if t.kind == T.UNION:
                first = next(iter(given.values()))
                self.report(first.arg.keyword, f"`{first.keyword}=` on union input `{p.name}: {where}`{via}: cog's build "
                            "fails with `unsupported type: constraints and choices are not supported on union inputs`",
                            help="drop the constraint or use a single type", severity=Severity.ERROR, module=entry.module)
                continue
            numeric = elem.kind == T.SCALAR and elem.name in ("int", "float")
            string = elem.kind == T.SCALAR and elem.name == "str"
            for k, a in given.items():
                if (k in _NUMERIC and not numeric) or (k in _STRING and not string):
                    need = "an `int` or `float`" if k in _NUMERIC else "a `str`"
                    self.report(a.arg.keyword, f"`{k}=` on input `{p.name}` of type `{where}`{via} does nothing: it "
                                f"applies to {need} only (cog builds it and never enforces it)",
                                help=f"remove `{k}=` or change the input's type", module=entry.module)
            if "choices" in given:
                a = given["choices"]
                ok, values, _ = S.resolve_choices(a.value_node, scope)
                if not ok or not values:
                    continue
                kinds = {_kind(v) for v in values}
                want = {"int": "int", "str": "str", "float": "float", "bool": "bool"}.get(elem.name) \
                    if elem.kind == T.SCALAR else None
                if len(values) == 1:
                    self.report(a.value_node, f"`choices` of input `{p.name}`{via} has a single item: the input can "
                                "take one value only", help="remove the input, or add choices", module=entry.module)
                elif len(kinds) > 1 or (want is not None and kinds != {want} and not (want == "float" and kinds == {"int"})):
                    self.report(a.value_node, f"`choices` of input `{p.name}: {where}`{via} mix types "
                                f"({', '.join(sorted(kinds))}): the schema's enum does not match the input's type",
                                help="give choices of the input's own type", module=entry.module)

    VALID = [
        _case("steps: int = Input(description='d', default=4, ge=1), image: Path = Input(description='d', accept='image/*'), "
              "size: str = Input(description='d', default='s', choices=['s', 'm'])"),
    ]
    INVALID = [
        _case("image: str = Input(description='d', accept='image/*')",
              expect=[("run.py", 7, 55, 7, 61, "`accept=` on input `image` of type `str`")]),
        _case("steps: str = Input(description='d', default='4', ge=1)",
              expect=[("run.py", 7, 68, 7, 70, "`ge=` on input `steps` of type `str` does nothing")]),
        _case("size: str = Input(description='d', default='s', choices=['s'])",
              expect=[("run.py", 7, 75, 7, 80, "has a single item")]),
        _case("bins: Union[int, str] = Input(description='d', default=10, ge=1)",
              expect=[("run.py", 7, 78, 7, 80, "constraints and choices are not supported on union inputs")]),
    ]


def _read(S, key, node, scope) -> bool:
    """Whether the parser reads the constraint (a non-literal one is silently dropped)."""
    if key == "choices":
        return True
    if key == "regex":
        return S.go_string(node) is not None
    v = S.go_value(node)
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _kind(v) -> str:
    return type(v).__name__ if isinstance(v, (bool, int, float, str)) else "other"
