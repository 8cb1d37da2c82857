"""CG404 unresolvable-default: a default cog's static schema parser cannot read."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\n  gpu: false\nrun: "run.py:Runner"\n'
_HEAD = "import os\n\nimport cog\nfrom cog import BaseRunner, Input\n\n"


def _case(src, **kw):
    return Case({"cog.yaml": _YAML, "run.py": _HEAD + src, "main.py": None}, **kw)


class UnresolvableDefault(Rule):
    """A default that cog's static schema parser cannot read.

    ## What it does
    Reports `Input(default=<expr>)` whose value is not a literal or a module-level literal
    constant (a call, an f-string, an attribute, a name imported from another module): a warning.
    Reports a plain parameter default the parser cannot read, `cog.Input(...)` spelt as an
    attribute (the parser recognises only a bare `Input`), and an "Inputs registry" reference
    whose registry member the parser drops: errors, since `cog build` fails. The registry
    pattern itself (class attributes and static methods returning `Input(...)`) is understood.

    ## Why is this bad?
    Since cog 0.19 the schema comes from the source text. Inside `Input()` an unreadable default
    is taken as no default (None): the input silently becomes **required** and callers that omit
    it get HTTP 422. As a plain default, `cog build` fails with
    `parameter '<name>': default `<expr>` cannot be statically resolved`.

    ## Example
    ```python
    def run(self, model: str = Input(default=os.environ.get("MODEL", "base"))) -> str: ...
    ```

    ## Use instead
    ```python
    DEFAULT_MODEL = "base"

    def run(self, model: str = Input(default=DEFAULT_MODEL)) -> str: ...
    ```
    """

    code = "CG404"
    name = "unresolvable-default"
    severity = Severity.WARNING
    also_severities = (Severity.ERROR,)
    targets = ("cog",)
    cog_versions = ">=0.19"

    def check(self) -> None:
        import libcst as cst

        from pipelint.analysis import annotations as T
        from pipelint.analysis import static_schema as S
        from pipelint.analysis.cog_entry import cog_entry
        from pipelint.analysis.input_registry import registry_input

        entry = cog_entry(self.project)
        if entry is None or entry.function is None:
            return
        scope = S.module_scope(entry.module)
        seen = set()
        for p in entry.inputs:
            if p.default is None or p.annotation is None:
                continue
            fails = f"`cog build` fails: `parameter '{p.name}': default `{entry.code(p.default)}` cannot be statically resolved`"
            if p.input is not None and not S.is_bare_input_callee(p.input.node):
                callee = entry.code(p.input.node.func)
                self.report(p.input.node.func, f"`{callee}(...)`: cog's static schema parser recognises `Input` only "
                            f"spelt as a bare name, so it reads this as a plain default it cannot resolve: "
                            f"`cog build` fails (`parameter '{p.name}': default `{callee}(...)` cannot be statically resolved`)",
                            help="write `Input(...)` with `from cog import Input`", severity=Severity.ERROR,
                            module=entry.module)
                continue
            reg = registry_input(entry, p)
            if reg is not None:
                why = S.registry_dropped_because(entry, reg.call, scope)
                if why is not None:
                    self.report(p.default, f"`{reg.attribute}` is left out of cog's Inputs registry because {why}, "
                                f"so this default cannot be resolved: {fails}",
                                help=f"fix the registry member `{reg.attribute}`", severity=Severity.ERROR,
                                module=entry.module)
                    continue
            si = S.input_of(entry, p)
            if si is None:
                if isinstance(p.default, cst.Call) and isinstance(p.default.func, cst.Name) \
                        and p.default.func.value == "Input":
                    continue  # the parser takes any bare `Input(...)`
                if not S.resolve_default(p.default, scope)[0]:
                    self.report(p.default, f"default `{entry.code(p.default)}` of input `{p.name}` cannot be statically "
                                f"resolved: {fails}",
                                help="use a literal or a module-level constant holding one", severity=Severity.ERROR,
                                module=entry.module)
                continue
            a = si.call.args.get("default")
            if a is None or id(a.value_node) in seen:
                continue
            seen.add(id(a.value_node))
            if S.resolve_default(a.value_node, scope)[0]:
                continue
            optional = p.type is not None and p.type.kind in (T.OPTIONAL, T.SECRET)
            effect = "so the input defaults to None" if optional else \
                "so the input becomes required (callers that omit it get HTTP 422)"
            via = f" (in `{si.registry}`)" if si.registry else ""
            self.report(a.value_node, f"default `{entry.code(a.value_node)}`{via} cannot be statically resolved: "
                        f"cog's schema parser treats it as no default, {effect}",
                        help="use a literal or a module-level constant holding one", module=entry.module)

    VALID = [
        _case("DEFAULT = 'base'\n\n\nclass Runner(BaseRunner):\n"
              "    def run(self, model: str = Input(description='d', default=DEFAULT), n: int = -1) -> str:\n"
              "        return model\n"),
        _case("class Inputs:\n    seed = Input(description='d', default=1)\n\n\nclass Runner(BaseRunner):\n"
              "    def run(self, seed: int = Inputs.seed) -> str:\n        return str(seed)\n"),
    ]
    INVALID = [
        _case("class Runner(BaseRunner):\n"
              "    def run(self, model: str = Input(description='d', default=os.environ.get('M', 'base'))) -> str:\n"
              "        return model\n",
              expect=[("run.py", 7, 63, 7, 90, "cog's schema parser treats it as no default, so the input becomes required")]),
        _case("class Runner(BaseRunner):\n"
              "    def run(self, image: cog.Path = cog.Input(description='Image')) -> str:\n"
              "        return str(image)\n",
              expect=[("run.py", 7, 37, 7, 46, "recognises `Input` only spelt as a bare name")]),
        _case("class Runner(BaseRunner):\n"
              "    def run(self, model: str = os.environ['M']) -> str:\n"
              "        return model\n",
              expect=[("run.py", 7, 32, 7, 47, "`cog build` fails: `parameter 'model': default `os.environ['M']`")]),
        _case("SIZES = {'s': 1}\n\n\nclass Inputs:\n    size = Input(description='d', choices=SIZES.keys(), default='s')\n\n\n"
              "class Runner(BaseRunner):\n    def run(self, size: str = Inputs.size) -> str:\n        return size\n",
              expect=[("run.py", 14, 31, 14, 42, "`Inputs.size` is left out of cog's Inputs registry because its `choices=`")]),
    ]
