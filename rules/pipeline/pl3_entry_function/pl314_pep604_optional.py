"""PL314 pep604-optional."""

from __future__ import annotations

from pipelint.analysis.entry import accepts_input_type
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class Pep604Optional(EntryRule):
    """`X | None` on an input or Output field: the pinned runtime rejects that spelling.

    ## What it does
    Reports an input or Output field annotated `X | None` (PEP 604). Off by default.

    ## Why is this bad?
    The runtime the pipelines list pins (coglet 0.1.0a31) only understands `typing.Optional`
    and fails with `unsupported Cog type str | None`; later runtimes accept both spellings.
    The guide itself recommends `X | None`, so this is advice for models that must run on
    the pinned version.

    ## Example
    ```python
    def run(seed: int | None = Input(default=None)) -> str:
        ...
    ```

    ## Use instead
    ```python
    from typing import Optional

    def run(seed: Optional[int] = Input(default=None)) -> str:
        ...
    ```

    ## Fix safety
    The fix rewrites `X | None` as `Optional[X]`, importing `Optional` if needed. It is
    safe: both spellings mean the same type. Unions of more than one real type and
    annotations written in a string are left alone.
    """

    code = "PL314"
    name = "pep604-optional"
    severity = Severity.INFO
    default_enabled = False
    fix_availability = "sometimes"

    def check_entry(self, entry) -> None:
        from pipelint.analysis import annotations as T
        from pipelint.edits import pyedit

        # an input whose type is refused anyway (``list[str] | None``) is PL306's alone
        targets = [(f"input `{p.name}`", p.type, entry.module) for p in entry.inputs
                   if p.type is not None and accepts_input_type(p.type)]
        for model in entry.output_models:
            targets += [(f"output field `{f.name}`", f.type, model.module) for f in model.fields]
        for what, t, module in targets:
            if t.kind != T.OPTIONAL or t.spelling != "pep604":
                continue
            inner = t.inner
            fix = None
            if t.written and inner.written and inner.kind != T.UNION:
                plan = pyedit.ensure_import(module, "typing", "Optional")
                new = f"{plan.name}[{entry.code(inner.source)}]"
                fix = self.fix(f"Write `{new}`", self.edit_node(t.node, new, module), *plan.edits)
            shown = entry.text(t)
            self.report(t.node, f"{what} is spelt `{shown}`, which the pinned runtime rejects "
                        f"(`unsupported Cog type {shown}`)",
                        help=f"write `Optional[{entry.text(inner)}]`", fix=fix, module=module)

    VALID = [
        Case("from typing import Optional\nfrom cog import Input\n\n\n"
             "def run(seed: Optional[int] = Input(default=None)) -> str:\n    return ''\n"),
        Case("from cog import Input\n\n\ndef run(tags: list[str] | None = Input(default=None)) -> str:\n    return ''\n",
             note="unsupported anyway: PL306 says so"),
    ]
    INVALID = [
        Case("from cog import Input\n\n\ndef run(seed: int | None = Input(default=None)) -> str:\n    return ''\n",
             expect=[(4, 15, 4, 25, "input `seed` is spelt `int | None`, which the pinned runtime rejects")],
             fixed="from typing import Optional\n\nfrom cog import Input\n\n\n"
                   "def run(seed: Optional[int] = Input(default=None)) -> str:\n    return ''\n"),
        Case("import typing\nfrom cog import BaseModel, Input, Path\n\n\nclass Output(BaseModel):\n    image: None | Path\n\n\n"
             "def run(\n    seed: 'int | None' = Input(default=None),\n) -> Output:\n    return Output(image=None)\n",
             expect=[(6, 12, 6, 23, "output field `image` is spelt `None | Path`, which the pinned runtime rejects"),
                     (10, 11, 10, 23, "input `seed` is spelt `int | None`, which the pinned runtime rejects")],
             fixed="import typing\nfrom cog import BaseModel, Input, Path\n\n\nclass Output(BaseModel):\n"
                   "    image: typing.Optional[Path]\n\n\n"
                   "def run(\n    seed: 'int | None' = Input(default=None),\n) -> Output:\n    return Output(image=None)\n"),
    ]
