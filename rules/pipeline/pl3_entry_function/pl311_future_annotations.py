"""PL311 future-annotations: `from __future__ import annotations` in the entry module."""

from __future__ import annotations

from pipelint.analysis.entry import METADATA as ENTRY_METADATA
from pipelint.analysis.future_annotations import annotations_need_postponing
from pipelint.engine.rule import Case, Rule
from pipelint.model.imports import dotted


class FutureAnnotations(Rule):
    """`from __future__ import annotations` in the entry module.

    ## What it does
    Reports `from __future__ import annotations` in the module cog.yaml's `predict:` names,
    and in the local module that defines the returned Output class: the runtime reads that
    class's field annotations unevaluated too.

    ## Why is this bad?
    It turns every annotation into a string. The pipelines runtime refuses such a module
    (`predictor with "from __future__ import annotations" is not supported`); the pinned
    runtime fails less clearly (`unsupported Cog type str`). Python 3.13 needs no
    `__future__` import for `list[str]` or `X | None`.

    ## Example
    ```python
    from __future__ import annotations

    def run(prompt: str) -> str:
        return prompt
    ```

    ## Use instead
    ```python
    def run(prompt: str) -> str:
        return prompt
    ```

    ## Fix safety
    The fix removes the import. It is offered only when no annotation needs it: when one
    names something defined later in the file (a forward reference such as `-> Output` above
    `class Output`), or only under `if TYPE_CHECKING:`, removing the import would break the
    import of the module; move the definitions up (quoting them, `-> "Output"`, does not
    help: the pinned runtime receives a quoted annotation as a string).
    """

    code = "PL311"
    name = "future-annotations"
    files = ("python",)
    metadata = ENTRY_METADATA
    fix_availability = "sometimes"

    def check(self) -> None:
        from pipelint.analysis.entry import checked_entry

        module = self.project.entry_module
        if module is None or module.tree is None:
            return
        self._check_module(module, None)
        entry = checked_entry(self.project)
        model = entry.output_model if entry is not None else None
        if model is not None and model.model.module is not module and model.model.module.tree is not None:
            # the runtime reads the Output class's ``__annotations__`` unevaluated too
            self._check_module(model.model.module, model.model.name)

    def _check_module(self, module, output_class) -> None:
        import libcst as cst

        from pipelint.analysis.annotations import resolver_for
        from pipelint.edits import pyedit

        for stmt, imp in pyedit.top_level_imports(module):
            if not isinstance(imp, cst.ImportFrom) or dotted(imp.module) != "__future__" or imp.relative:
                continue
            if isinstance(imp.names, cst.ImportStar):
                continue
            for alias in imp.names:
                if dotted(alias.name) != "annotations":
                    continue
                fix = None
                resolver = resolver_for(self.project, module)
                if not annotations_need_postponing(module, resolver):
                    edit = pyedit.remove_import_alias(module, stmt, imp, alias)
                    if edit is not None:
                        fix = self.fix("Remove `from __future__ import annotations`", edit)
                if output_class is None:
                    message = ('postponed annotations reach the pinned runtime (coglet 0.1.0a31) as strings, and it '
                               'fails at load (`unsupported Cog type str`); later runtimes refuse the module '
                               '(`predictor with "from __future__ import annotations" is not supported`)')
                else:
                    message = (f"this module defines the output class `{output_class}`, whose field annotations "
                               "become strings that the pinned runtime reads unevaluated (`unsupported Cog type str`)")
                self.report(
                    alias, message, module=module,
                    help="remove the import: Python 3.13 needs it for nothing cog uses"
                    + ("" if fix else "; first define the classes those annotations name above their use "
                       "(a quoted annotation is a string to the runtime too)"),
                    fix=fix)

    VALID = [Case("def run(prompt: str) -> str:\n    return prompt\n"),
             Case("from __future__ import division\n\ndef run(prompt: str) -> str:\n    return prompt\n")]
    INVALID = [
        Case("from __future__ import annotations\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(1, 24, 1, 35, "postponed annotations reach the pinned runtime (coglet 0.1.0a31) as strings")],
             fixed="def run(prompt: str) -> str:\n    return prompt\n"),
        Case('"""A model."""\nfrom __future__ import annotations, division\n\nfrom cog import BaseModel\n\n\n'
             "class Output(BaseModel):\n    text: str\n\n\ndef run(prompt: str) -> Output:\n    return Output(text=prompt)\n",
             expect=[(2, 24, 2, 35, "postponed annotations reach the pinned runtime (coglet 0.1.0a31) as strings")],
             fixed='"""A model."""\nfrom __future__ import division\n\nfrom cog import BaseModel\n\n\n'
                   "class Output(BaseModel):\n    text: str\n\n\ndef run(prompt: str) -> Output:\n    return Output(text=prompt)\n"),
        Case("from __future__ import annotations\nfrom cog import BaseModel\n\n\ndef run(prompt: str) -> Output:\n"
             "    return Output(text=prompt)\n\n\nclass Output(BaseModel):\n    text: str\n",
             expect=[(1, 24, 1, 35, "postponed annotations reach the pinned runtime (coglet 0.1.0a31) as strings")],
             note="a forward reference needs the import: no fix"),
        Case("from __future__ import annotations\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
             "    from decimal import Decimal\n\n\ndef helper(x: Decimal) -> str:\n    return str(x)\n\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n",
             expect=[(1, 24, 1, 35, "postponed annotations reach the pinned runtime (coglet 0.1.0a31) as strings")]),
        Case({"main.py": "from schema import Output\n\n\ndef run(prompt: str) -> Output:\n    return Output(text=prompt)\n",
              "schema.py": "from __future__ import annotations\n\nfrom cog import BaseModel\n\n\n"
                           "class Output(BaseModel):\n    text: str\n"},
             expect=[("schema.py", 1, 24, 1, 35, "this module defines the output class `Output`")],
             fixed={"schema.py": "from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n"},
             note="the module that defines the Output class, not the entry module"),
    ]
