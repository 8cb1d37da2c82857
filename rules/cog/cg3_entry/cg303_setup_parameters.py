"""CG303 setup-parameters: `setup()` parameters cog cannot fill."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\n'
_RUN = "\n    def run(self) -> str:\n        return ''\n"


def _model(setup: str) -> dict:
    return {"cog.yaml": _YAML, "main.py": None,
            "predict.py": f"from cog import BaseRunner\n\nclass Runner(BaseRunner):\n    {setup}\n        pass\n{_RUN}"}


class SetupParameters(Rule):
    """`setup()` has a parameter cog does not pass, or `weights` is not its first parameter.

    ## What it does
    Reports, on the `setup()` of a class entry (its own or one inherited from a base class of
    the same module):

    - a parameter without a default other than `weights`: cog calls `setup()` with no arguments,
      or with the weights only;
    - a `weights` parameter that is not the first parameter after `self`: coglet passes the
      weights **positionally**, so the first parameter receives them.

    ## Why is this bad?
    When `setup()` has a parameter named `weights`, coglet calls `setup(weights)` with the
    `COG_WEIGHTS` value (or `None`); otherwise it calls `setup()`. Any other required parameter
    fails the boot with `TypeError: Runner.setup() missing 1 required positional argument: …`,
    and in `setup(self, device="cuda", weights=None)` the weights URL lands in `device`.

    ## Example
    ```python
    def setup(self, device: str, weights=None) -> None: ...
    ```

    ## Use instead
    ```python
    def setup(self, weights=None, device: str = "cuda") -> None: ...
    ```
    """

    code = "CG303"
    name = "setup-parameters"
    targets = ("cog",)
    cog_versions = ">=0.17"
    files = ("python",)
    metadata = ("qualified_name", "scope", "position")

    def check(self) -> None:
        import libcst as cst

        from pipelint.analysis.cog_entry import cog_entries
        from pipelint.analysis.entry import KWONLY, POSITIONAL, VARARGS, class_methods

        seen = set()
        for e in cog_entries(self.project):
            if e.setup is None or id(e.setup) in seen:
                continue
            seen.add(id(e.setup))
            if any(isinstance(d.decorator, cst.Name) and d.decorator.value in ("staticmethod", "classmethod")
                   for d in e.setup.decorators):
                continue
            owner = next((c.name.value for c in e.mro if class_methods(c).get("setup") is e.setup), e.class_name)
            params = e.setup_params
            positional = [p for p in params if p.kind == POSITIONAL]
            weights = next((p for p in params if p.name == "weights"), None)
            first = positional[0] if positional else None
            if weights is not None and weights is not first:
                if first is not None:
                    what = f"`{first.name}` receives the weights URL (or `None`) and `weights` never does"
                elif any(p.kind == VARARGS for p in params):
                    what = "the weights URL lands in `*args` and `weights` keeps its default"
                else:
                    what = f"the call fails (`TypeError: {owner}.setup() takes 1 positional argument but 2 were given`)"
                self.report(weights.node.name, f"`weights` is not the first parameter of `{owner}.setup()`: coglet "
                                               f"passes the weights positionally, so {what}",
                            module=e.module, help="make `weights` the first parameter after `self`")
            passed = first if weights is not None else None
            for p in params:
                if p is passed or p.kind not in (POSITIONAL, KWONLY) or p.default is not None:
                    continue
                kind = "positional" if p.kind == POSITIONAL else "keyword-only"
                calls = "`setup(weights)`" if weights is not None else "`setup()` with no arguments"
                self.report(p.node.name, f"`{owner}.setup()` parameter `{p.name}` has no default, but cog calls "
                                         f"{calls}: the model fails at setup (`TypeError: {owner}.setup() missing 1 "
                                         f"required {kind} argument: '{p.name}'`)",
                            module=e.module,
                            help=f"give `{p.name}` a default, or set it inside `setup()`")

    VALID = [
        Case(_model("def setup(self) -> None:")),
        Case(_model("def setup(self, weights=None, device: str = 'cuda', *args, **kwargs) -> None:"),
             note="`*args`/`**kwargs` work"),
        Case(_model("def setup(self, weights) -> None:"), note="weights is always passed when declared"),
        Case(_model("async def setup(self, weights: str | None = None) -> None:")),
    ]
    INVALID = [
        Case(_model("def setup(self, device: str) -> None:"),
             expect=[("predict.py", 4, 21, 4, 27, "(`TypeError: Runner.setup() missing 1 required positional argument: "
                                                 "'device'`)")]),
        Case(_model("def setup(self, device='cuda', weights=None) -> None:"),
             expect=[("predict.py", 4, 36, 4, 43, "so `device` receives the weights URL (or `None`)")]),
        Case(_model("def setup(self, weights, model) -> None:"),
             expect=[("predict.py", 4, 30, 4, 35, "but cog calls `setup(weights)`")]),
        Case(_model("def setup(self, *, weights=None) -> None:"),
             expect=[("predict.py", 4, 24, 4, 31, "takes 1 positional argument but 2 were given")]),
    ]
