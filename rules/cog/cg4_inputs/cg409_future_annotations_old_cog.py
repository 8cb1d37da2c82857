"""CG409 future-annotations-old-cog: `from __future__ import annotations` in the entry module, cog below 0.21."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\n  gpu: false\nrun: "run.py:Runner"\n'
_BODY = ("from cog import BaseRunner, Input\n\n\nclass Runner(BaseRunner):\n"
         "    def run(self, prompt: str = Input(description='p')) -> str:\n        return prompt\n")


def _case(src, **kw):
    kw.setdefault("cog_version", "0.20")
    return Case({"cog.yaml": _YAML, "run.py": src, "main.py": None}, **kw)


class FutureAnnotationsOldCog(Rule):
    """`from __future__ import annotations` in the entry module of a model built by cog below 0.21.

    ## What it does
    Reports the `from __future__ import annotations` of the entry module when the configured
    `cog-version` is below 0.21.

    ## Why is this bad?
    With PEP 563 every annotation is a string at run time. cog before 0.21 validated inputs and
    outputs from the evaluated annotations and did not resolve those strings (fixed in cog 0.21,
    "PEP 563 fix in validator"), so the model can fail to load or to validate its inputs.

    ## Example
    ```python
    from __future__ import annotations

    from cog import BaseRunner, Input
    ```

    ## Use instead
    ```python
    from cog import BaseRunner, Input
    ```

    ## Fix safety
    The fix removes the import only when no annotation of the module needs it (no forward
    reference, nothing imported only under `TYPE_CHECKING`); it is safe then. Otherwise there is
    no fix: quote those annotations, or build with cog 0.21 or newer.
    """

    code = "CG409"
    name = "future-annotations-old-cog"
    severity = Severity.WARNING
    targets = ("cog",)
    cog_versions = "<0.21"
    fix_availability = "sometimes"

    def check(self) -> None:
        import libcst as cst

        from pipelint.analysis.cog_entry import cog_entry
        from pipelint.analysis.future_annotations import annotations_need_postponing
        from pipelint.core.diagnostics import Edit, Position

        entry = cog_entry(self.project)
        if entry is None:
            return
        module = entry.module
        for stmt in module.tree.body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if not (isinstance(small, cst.ImportFrom) and isinstance(small.module, cst.Name)
                        and small.module.value == "__future__" and not isinstance(small.names, cst.ImportStar)):
                    continue
                alias = next((a for a in small.names if a.name.value == "annotations"), None)
                if alias is None:
                    continue
                fix = None
                if len(stmt.body) == 1 and len(small.names) == 1 \
                        and not annotations_need_postponing(module, entry.types):
                    start, end = module.range(stmt)
                    edit = Edit(module.source.path, Position(start.line, 1), Position(end.line + 1, 1), "")
                    fix = self.fix("Remove `from __future__ import annotations`", edit)
                self.report(alias, "`from __future__ import annotations` in the entry module: cog below 0.21 does not "
                            "resolve postponed (string) annotations when it validates inputs and outputs",
                            help="remove it, or build with cog 0.21 or newer", fix=fix, module=module)

    VALID = [
        _case(_BODY),
        _case("from __future__ import annotations\n\n" + _BODY, cog_version="0.23"),
    ]
    INVALID = [
        _case("from __future__ import annotations\n\n" + _BODY,
              expect=[("run.py", 1, 24, 1, 35, "cog below 0.21 does not resolve postponed")],
              fixed={"run.py": "\n" + _BODY}),
        _case("from __future__ import annotations\n\nfrom cog import BaseRunner, Input\n\n\nclass Runner(BaseRunner):\n"
              "    def run(self, prompt: str = Input(description='p')) -> Out:\n        return Out()\n\n\n"
              "class Out:\n    pass\n",
              expect=[("run.py", 1, 24, 1, 35, "in the entry module")]),
    ]
