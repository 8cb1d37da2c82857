"""PL311 future-annotations: `from __future__ import annotations` in the entry module."""

from __future__ import annotations

from pipelint.analysis.entry import METADATA as ENTRY_METADATA
from pipelint.engine.rule import Case, Rule
from pipelint.model.imports import dotted


def _type_checking_test(test, resolver) -> bool:
    names = resolver.qualified_names(test)
    return bool(names & {"typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"}) or \
        getattr(test, "value", None) == "TYPE_CHECKING"


def annotations_need_postponing(module, resolver) -> bool:
    """Would an annotation fail at import time without ``from __future__ import annotations``?

    True when an annotation evaluated at definition time (a function's parameters and return,
    a module or class attribute) names something bound only later in the file (a forward
    reference), only under ``if TYPE_CHECKING:``, or nowhere.
    """
    import libcst as cst

    tree = module.tree
    spans = []  # (first line, last line, statement) of each top-level statement
    for stmt in tree.body:
        start, end = module.range(stmt)
        spans.append((start.line, end.line, stmt))

    def top_of(node):
        line = module.range(node)[0].line
        for first, last, stmt in spans:
            if first <= line <= last:
                return first, last, stmt
        return None

    names: list = []

    def collect(expr):
        if isinstance(expr, cst.Name):
            names.append(expr)
        elif isinstance(expr, cst.Attribute):
            collect(expr.value)
        elif isinstance(expr, cst.Subscript):
            collect(expr.value)
            for el in expr.slice:
                if isinstance(el.slice, cst.Index):
                    collect(el.slice.value)
        elif isinstance(expr, cst.BinaryOperation):
            collect(expr.left)
            collect(expr.right)
        elif isinstance(expr, (cst.List, cst.Tuple)):
            for el in expr.elements:
                collect(el.value)

    class Annotations(cst.CSTVisitor):
        def __init__(self):
            self.function_depth = 0

        def visit_FunctionDef(self, node) -> None:
            for p in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params):
                if p.annotation is not None:
                    collect(p.annotation.annotation)
            for p in (node.params.star_arg, node.params.star_kwarg):
                if isinstance(p, cst.Param) and p.annotation is not None:
                    collect(p.annotation.annotation)
            if node.returns is not None:
                collect(node.returns.annotation)
            self.function_depth += 1

        def leave_FunctionDef(self, node) -> None:
            self.function_depth -= 1

        def visit_AnnAssign(self, node) -> None:
            if self.function_depth == 0:  # annotations of local variables are never evaluated
                collect(node.annotation.annotation)

    tree.visit(Annotations())
    from libcst.metadata import BuiltinAssignment, ClassScope

    scopes = module.metadata("scope")
    for name in names:
        scope = scopes.get(name)
        if scope is None:
            continue
        assignments = scope[name.value]
        if not assignments:
            return True  # bound nowhere: only a postponed annotation survives it
        here = top_of(name)
        ok = False
        for a in assignments:
            if isinstance(a, BuiltinAssignment):
                ok = True
            elif isinstance(a.scope, ClassScope):
                ok = module.range(a.node)[1].line < module.range(name)[0].line
            elif not _is_global(a.scope):
                ok = True  # a local of an enclosing function: bound before the nested def runs
            else:
                bound = top_of(a.node)
                if bound is None or (isinstance(bound[2], cst.If) and _type_checking_test(bound[2].test, resolver)):
                    continue
                ok = here is not None and bound[1] < here[0]
            if ok:
                break
        if not ok:
            return True
    return False


def _is_global(scope) -> bool:
    from libcst.metadata import GlobalScope

    return isinstance(scope, GlobalScope)


class FutureAnnotations(Rule):
    """`from __future__ import annotations` in the entry module.

    ## What it does
    Reports `from __future__ import annotations` in the module cog.yaml's `predict:` names.

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
    import of the module; quote those annotations (`-> "Output"`) or move the definitions up.
    """

    code = "PL311"
    name = "future-annotations"
    files = ("python",)
    metadata = ENTRY_METADATA
    fix_availability = "sometimes"

    def check(self) -> None:
        import libcst as cst

        from pipelint.analysis.annotations import resolver_for
        from pipelint.edits import pyedit

        module = self.project.entry_module
        if module is None or module.tree is None:
            return
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
                self.report(
                    alias, 'the pipelines runtime refuses modules with postponed annotations '
                    '(`predictor with "from __future__ import annotations" is not supported`)',
                    help="remove the import: Python 3.13 needs it for nothing cog uses"
                    + ("" if fix else "; first quote forward references (`-> \"Output\"`) or define those classes earlier"),
                    fix=fix)

    VALID = [Case("def run(prompt: str) -> str:\n    return prompt\n"),
             Case("from __future__ import division\n\ndef run(prompt: str) -> str:\n    return prompt\n")]
    INVALID = [
        Case("from __future__ import annotations\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(1, 24, 1, 35, "the pipelines runtime refuses modules with postponed annotations")],
             fixed="def run(prompt: str) -> str:\n    return prompt\n"),
        Case('"""A model."""\nfrom __future__ import annotations, division\n\nfrom cog import BaseModel\n\n\n'
             "class Output(BaseModel):\n    text: str\n\n\ndef run(prompt: str) -> Output:\n    return Output(text=prompt)\n",
             expect=[(2, 24, 2, 35, "the pipelines runtime refuses modules with postponed annotations")],
             fixed='"""A model."""\nfrom __future__ import division\n\nfrom cog import BaseModel\n\n\n'
                   "class Output(BaseModel):\n    text: str\n\n\ndef run(prompt: str) -> Output:\n    return Output(text=prompt)\n"),
        Case("from __future__ import annotations\nfrom cog import BaseModel\n\n\ndef run(prompt: str) -> Output:\n"
             "    return Output(text=prompt)\n\n\nclass Output(BaseModel):\n    text: str\n",
             expect=[(1, 24, 1, 35, "the pipelines runtime refuses modules with postponed annotations")],
             note="a forward reference needs the import: no fix"),
        Case("from __future__ import annotations\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
             "    from decimal import Decimal\n\n\ndef helper(x: Decimal) -> str:\n    return str(x)\n\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n",
             expect=[(1, 24, 1, 35, "the pipelines runtime refuses modules with postponed annotations")]),
    ]
