"""CG403 unresolvable-choices: a `choices=` cog's static schema parser cannot read."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\n  gpu: false\nrun: "run.py:Runner"\n'
_HEAD = "from cog import BaseRunner, Input\n\n"


def _case(src, **kw):
    return Case({"cog.yaml": _YAML, "run.py": _HEAD + src, "main.py": None}, **kw)


class UnresolvableChoices(Rule):
    """`choices=` is an expression cog's static schema parser cannot resolve.

    ## What it does
    Reports a `choices=` that is not a list literal, a module-level list, `list(D.keys())` /
    `list(D.values())` of a module-level dict literal, or a `+` of those: a bare `D.keys()`,
    `sorted(...)`, a comprehension, a tuple, a name imported from another module (error). Also
    `list(D.keys())` of a dict some of whose values are not literals (warning): the parser keeps
    only the literal pairs, so the enum loses those entries, or disappears.

    ## Why is this bad?
    Since cog 0.19 the schema is generated statically from the source. An expression it cannot
    read fails `cog build`: `parameter '<name>': choices expression cannot be statically
    resolved`. In an "Inputs registry" class the member is dropped instead, and every parameter
    using it fails to build.

    ## Example
    ```python
    SCHEDULERS = {"DDIM": DDIMScheduler, "K_EULER": EulerDiscreteScheduler}

    def run(self, scheduler: str = Input(choices=SCHEDULERS.keys(), default="DDIM")) -> str: ...
    ```

    ## Use instead
    ```python
    def run(self, scheduler: str = Input(choices=["DDIM", "K_EULER"], default="DDIM")) -> str: ...
    ```

    ## Fix safety
    The fix turns a bare `D.keys()`/`D.values()` of a module-level dict literal into
    `list(D.keys())`; it is safe: the choices stay the same.
    """

    code = "CG403"
    name = "unresolvable-choices"
    severity = Severity.ERROR
    also_severities = (Severity.WARNING,)
    targets = ("cog",)
    cog_versions = ">=0.19"
    fix_availability = "sometimes"

    def check(self) -> None:
        import libcst as cst

        from pipelint.analysis import static_schema as S

        for entry, scope, p, si in S.schema_inputs(self.project):
            if "choices" not in si.call.args:
                continue
            node = si.call.args["choices"].value_node
            ok, values, d = S.resolve_choices(node, scope)
            via = f" (in `{si.registry}`)" if si.registry else ""
            text = entry.code(node)
            if not ok:
                fix = None
                if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) \
                        and node.func.attr.value in ("keys", "values") and not node.args \
                        and isinstance(node.func.value, cst.Name) \
                        and isinstance(scope.get(node.func.value.value), S.GoDict):
                    fix = self.fix(f"Write `list({text})`", self.edit_node(node, f"list({text})", module=entry.module))
                then = ("cog drops the registry member, so every parameter using it fails to build" if si.registry
                        else f"`cog build` fails: `parameter '{p.name}': choices expression cannot be statically resolved`")
                self.report(node, f"choices `{text}`{via} cannot be statically resolved by cog's schema parser: {then}",
                            help="write a list literal, a module-level list, `list(D.keys())` of a module-level dict "
                                 "literal, or a `+` of those", fix=fix, module=entry.module)
            elif d is not None and d.dropped:
                lost = "the enum disappears from the schema" if not values else \
                    f"{d.dropped} of its entries are left out of the enum"
                self.report(node, f"choices `{text}`{via} come from a dict whose values are not all literals: cog's "
                            f"schema parser keeps only literal pairs, so {lost}",
                            help="list the choices as a list literal", severity=Severity.WARNING, module=entry.module)

    VALID = [
        _case("SIZES = {'s': 256, 'm': 512}\nMORE = ['l']\n\n\nclass Runner(BaseRunner):\n"
              "    def run(self, size: str = Input(description='d', choices=list(SIZES.keys()) + MORE, default='s')) -> str:\n"
              "        return size\n"),
        _case("class Runner(BaseRunner):\n"
              "    def run(self, size: str = Input(description='d', choices=['a', 'b'], default='a')) -> str:\n"
              "        return size\n"),
    ]
    INVALID = [
        _case("SIZES = {'s': 256, 'm': 512}\n\n\nclass Runner(BaseRunner):\n"
              "    def run(self, size: str = Input(description='d', choices=SIZES.keys(), default='s')) -> str:\n"
              "        return size\n",
              expect=[("run.py", 7, 62, 7, 74, "choices `SIZES.keys()` cannot be statically resolved")],
              fixed={"run.py": _HEAD + "SIZES = {'s': 256, 'm': 512}\n\n\nclass Runner(BaseRunner):\n"
                     "    def run(self, size: str = Input(description='d', choices=list(SIZES.keys()), default='s')) -> str:\n"
                     "        return size\n"}),
        _case("class Runner(BaseRunner):\n"
              "    def run(self, size: str = Input(description='d', choices=sorted(['b', 'a']), default='a')) -> str:\n"
              "        return size\n",
              expect=[("run.py", 4, 62, 4, 80, "`cog build` fails: `parameter 'size': choices expression")]),
        _case("import torch\n\nDTYPES = {'fp16': torch.float16, 'bf16': torch.bfloat16}\n\n\nclass Runner(BaseRunner):\n"
              "    def run(self, dtype: str = Input(description='d', choices=list(DTYPES.keys()), default='fp16')) -> str:\n"
              "        return dtype\n",
              expect=[("run.py", 9, 63, 9, 82, "so the enum disappears from the schema")]),
    ]
