"""Does a module need ``from __future__ import annotations``? (shared by the pipeline and cog rules)."""

from __future__ import annotations


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

    from pipelint.model.walk import walk  # libcst's visit, without rebuilding the tree
    walk(tree, Annotations())
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

