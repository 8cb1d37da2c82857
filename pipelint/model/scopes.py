"""libcst's ExpressionContextProvider and ScopeProvider results, computed by pipelint's own passes.

``analyse(tree)`` returns ``(contexts, scopes)``: the very mappings the two providers compute
(node -> ``ExpressionContext``, node -> libcst ``Scope``), made of libcst's own objects
(``GlobalScope``, ``FunctionScope``, ``ClassScope``, ``ComprehensionScope``, ``AnnotationScope``,
``Assignment``, ``ImportAssignment``, ``Access`` …) populated through their own record methods, in
the order libcst's ``ScopeVisitor`` records them.

Why not libcst's visitors: they are driven node by node through generic visitor dispatch, and
``ScopeVisitor.on_leave`` tests every node of the tree (whitespace included) against a tuple of
node classes whose ``isinstance`` goes through ``ABCMeta.__instancecheck__``: a third of the
scope analysis. Here each pass is one recursive function with a per-class table (children in
libcst's visit order, from ``pipelint.model.walk``; the handler reproducing the visitor's
``visit_<Node>`` method; whether the class counts as an assignment), so every node costs a dict
lookup and a few attribute reads.

What is reproduced, from libcst 1.9.0's ``expression_context_provider.py`` and
``scope_provider.py``: every ``visit_<Node>`` of both visitors (which sub-trees they visit, in
which order, with which context or scope), the generic descent for every other node, the scope
recorded for every visited node when it is left (and for the nodes the visitor records on the
way: an import's aliases, a function's or class's name, a comprehension's first ``for``), the
assignment counter ``on_leave`` advances, the annotation/type-hint/attribute stacks, string
annotations parsed and analysed as libcst does, and the deferred resolution of accesses at the
end (``infer_accesses``).

The passes are written against libcst 1.9.0 only: on any other version, when the walk table
does not cover the installed libcst, or when a libcst internal used here is missing,
``analyse`` returns None and the caller uses libcst's providers.

Depth: libcst's visit takes 3-4 frames per tree level and fails with ``RecursionError`` ~140
brackets deep, which pipelint reports as nested too deeply to analyse. These passes take 1-2
frames per level, so, like ``pipelint.model.walk``, they count the frames libcst's visit would
use and raise ``RecursionError`` where it would.
"""

from __future__ import annotations

import sys

LIBCST_VERSION = "1.9.0"  # the libcst whose visitors these passes reproduce

_READY: list = []  # [namespace] once checked, [None] when this libcst is not the one reproduced


class _Uncovered(Exception):
    """A node class the walk table does not know: libcst's own providers must run."""


def _libcst_parts():
    if _READY:
        return _READY[0]
    ns = None
    try:
        from pipelint.model import walk as W

        if W._covered() and W._installed_libcst_version() == LIBCST_VERSION:
            import libcst as cst
            from libcst.helpers import get_full_name_for_node
            from libcst.metadata import expression_context_provider as ecp
            from libcst.metadata import scope_provider as sp

            ns = {
                "W": W, "cst": cst, "full_name": get_full_name_for_node,
                "LOAD": ecp.ExpressionContext.LOAD, "STORE": ecp.ExpressionContext.STORE,
                "DEL": ecp.ExpressionContext.DEL,
                "GlobalScope": sp.GlobalScope, "FunctionScope": sp.FunctionScope, "ClassScope": sp.ClassScope,
                "ComprehensionScope": sp.ComprehensionScope, "AnnotationScope": sp.AnnotationScope,
                "Access": sp.Access, "dotted": sp._gen_dotted_names,
                "assignment_like": tuple(sp._ASSIGNMENT_LIKE_NODES),
            }
            for name in ("record_assignment", "record_import_assignment", "record_access",
                         "record_global_overwrite", "record_nonlocal_overwrite", "_resolve_scope_for_access",
                         "get_qualified_names_for"):
                getattr(sp.Scope, name)
            for name in ("record_assignments", "record_access"):
                getattr(sp.Access if name == "record_assignments" else sp.BaseAssignment, name)
            sp.BaseAssignment.record_accesses  # noqa: B018 - present, or the fallback runs
    except (ImportError, AttributeError):
        ns = None
    _READY.append(ns)
    return ns


def analyse(tree) -> tuple[dict, dict] | None:
    """``(contexts, scopes)`` for the module ``tree``, or None when libcst's providers must run."""
    ns = _libcst_parts()
    if ns is None:
        return None
    W = ns["W"]
    # Module.visit's frame, called from the provider's visit_Module called from here
    d0 = W._entry_depth(tree, sys._getframe()) + 1
    try:
        contexts = _contexts(tree, ns, d0)
        scopes = _scopes(tree, ns, contexts, d0)
    except _Uncovered:
        return None
    return contexts, scopes


def _inert_classes(cst) -> frozenset:
    """Node classes that can hold no name (whitespace, operators, punctuation): the context pass,
    which records only names and the expressions around them, need not enter them."""
    import inspect

    out = set()
    todo = [cst.CSTNode]
    while todo:
        c = todo.pop()
        for s in c.__subclasses__():
            todo.append(s)
            if s.__module__ in ("libcst._nodes.whitespace", "libcst._nodes.op") and not inspect.isabstract(s):
                out.add(s)
    return frozenset(out)


_INERT: list = []


# ------------------------------------------------------------------------- expression contexts


def _contexts(tree, ns, d0: int) -> dict:
    """ExpressionContextVisitor's mapping: a LOAD walk whose visit_<Node> methods restart the walk
    of some children with another context (STORE, DEL, LOAD) and stop the generic descent."""
    W = ns["W"]
    cst = ns["cst"]
    LOAD, STORE, DEL = ns["LOAD"], ns["STORE"], ns["DEL"]
    ONE, SEQ, SEQ_OR_NONE = W.ONE, W.SEQ, W.SEQ_OR_NONE
    SENTINEL = (W._LIBCST or W._libcst())[1]
    if not _INERT:
        _INERT.append(_inert_classes(cst))
    inert = _INERT[0]
    specs = W._SPECS
    limit = sys.getrecursionlimit()
    out: dict = {}
    needs: dict = {}

    def go(node, c, d):
        kind = type(node)
        need = needs.get(kind)
        if need is None:
            need = _need_of(W, specs, needs, node, kind, 2, 2)
        if d + need > limit:
            raise RecursionError("maximum recursion depth exceeded (in libcst's visit)")
        h = handlers.get(kind)
        if h is not None:
            if h(node, c, d):
                return
        descend(node, kind, c, d)

    def descend(node, kind, c, d):
        for attr, how in specs[kind]:
            v = getattr(node, attr)
            if how == ONE:
                if v is not None and v is not SENTINEL and type(v) not in inert:
                    go(v, c, d + 3)
            elif how == SEQ or how == SEQ_OR_NONE:
                if v is not None:
                    for child in v:
                        if type(child) not in inert:
                            go(child, c, d + 4)
            elif type(v) is not tuple and type(v) is not list:  # ImportStar
                pass  # inert
            else:
                for child in v:
                    go(child, c, d + 4)

    # each handler returns True where the visitor's method returns False (no generic descent)
    def name(node, c, d):
        out[node] = c
        return True

    def mark(node, c, d):  # Tuple, List, StarredElement: recorded, then descended into
        out[node] = c
        return False

    def assign(node, c, d):
        for t in node.targets:
            go(t, STORE, d + 3)
        go(node.value, c, d + 3)
        return True

    def ann_assign(node, c, d):
        go(node.target, STORE, d + 3)
        go(node.annotation, c, d + 3)
        value = node.value
        if value:
            go(value, c, d + 3)
        return True

    def target_value(node, c, d):  # AugAssign, NamedExpr
        go(node.target, STORE, d + 3)
        go(node.value, c, d + 3)
        return True

    def as_name(node, c, d):
        go(node.name, STORE, d + 3)
        return True

    def comp_for(node, c, d):
        go(node.target, STORE, d + 3)
        go(node.iter, c, d + 3)
        for i in node.ifs:
            go(i, c, d + 3)
        inner = node.inner_for_in
        if inner:
            go(inner, c, d + 3)
        return True

    def for_(node, c, d):
        go(node.target, STORE, d + 3)
        go(node.iter, c, d + 3)
        go(node.body, c, d + 3)
        orelse = node.orelse
        if orelse:
            go(orelse, c, d + 3)
        return True

    def del_(node, c, d):
        go(node.target, DEL, d + 3)
        return True

    def attribute(node, c, d):
        out[node] = c
        go(node.value, LOAD, d + 3)
        return True

    def subscript(node, c, d):
        out[node] = c
        go(node.value, LOAD, d + 3)
        s = node.slice
        if type(s) is tuple or type(s) is list or _is_sequence(s):
            for e in s:
                go(e, LOAD, d + 3)
        else:
            go(s, LOAD, d + 3)
        return True

    def class_def(node, c, d):
        go(node.name, STORE, d + 3)
        go(node.body, c, d + 3)
        for b in node.bases:
            go(b, c, d + 3)
        for k in node.keywords:
            go(k, c, d + 3)
        for dec in node.decorators:
            go(dec, c, d + 3)
        return True

    def function_def(node, c, d):
        go(node.name, STORE, d + 3)
        go(node.params, c, d + 3)
        go(node.body, c, d + 3)
        for dec in node.decorators:
            go(dec, c, d + 3)
        returns = node.returns
        if returns:
            go(returns, c, d + 3)
        return True

    def param(node, c, d):
        go(node.name, STORE, d + 3)
        annotation = node.annotation
        if annotation:
            go(annotation, c, d + 3)
        default = node.default
        if default:
            go(default, c, d + 3)
        return True

    handlers = {
        cst.Name: name, cst.Tuple: mark, cst.List: mark, cst.StarredElement: mark,
        cst.Assign: assign, cst.AnnAssign: ann_assign, cst.AugAssign: target_value, cst.NamedExpr: target_value,
        cst.AsName: as_name, cst.CompFor: comp_for, cst.For: for_, cst.Del: del_, cst.Attribute: attribute,
        cst.Subscript: subscript, cst.ClassDef: class_def, cst.FunctionDef: function_def, cst.Param: param,
    }
    go(tree, LOAD, d0)
    return out


def _is_sequence(value) -> bool:
    from collections.abc import Sequence

    return isinstance(value, Sequence)


def _need_of(W, specs, needs, node, kind, pre, post) -> int:
    spec = specs.get(kind, W._MISSING)
    if spec is W._MISSING:
        spec = W._spec(kind)
    if spec is None:
        raise _Uncovered(kind.__name__)
    need = needs[kind] = W._need(node, spec, pre, post, 2)
    return need


# ------------------------------------------------------------------------- scopes


def _scopes(tree, ns, contexts: dict, d0: int) -> dict:
    """ScopeVisitor's mapping, and the scopes' assignments and accesses."""
    W = ns["W"]
    cst = ns["cst"]
    LOAD, STORE, DEL = ns["LOAD"], ns["STORE"], ns["DEL"]
    FunctionScope, ClassScope = ns["FunctionScope"], ns["ClassScope"]
    ComprehensionScope, AnnotationScope = ns["ComprehensionScope"], ns["AnnotationScope"]
    Access, full_name, dotted = ns["Access"], ns["full_name"], ns["dotted"]
    assignment_like = ns["assignment_like"]
    ONE, SEQ, SEQ_OR_NONE = W.ONE, W.SEQ, W.SEQ_OR_NONE
    SENTINEL = (W._LIBCST or W._libcst())[1]
    Name, DictComp, ImportStar = cst.Name, cst.DictComp, cst.ImportStar
    ParserSyntaxError, parse_module = cst.ParserSyntaxError, cst.parse_module
    specs = W._SPECS
    limit = sys.getrecursionlimit()
    ctx_get = contexts.get

    out: dict = {}
    scope = ns["GlobalScope"]()
    deferred: list = []  # (access, enclosing top-level attribute, enclosing string annotation)
    top_attribute: list = [None]
    in_annotation: list = [False]
    in_type_hint: list = [False]
    ignored_subscripts: set = set()
    last_string = None
    # kind -> (children, frames libcst's visit needs above the node, visit handler, leave handler, counts)
    entries: dict = {}
    needs: dict = {}

    def entry(node, kind):
        need = _need_of(W, specs, needs, node, kind, 2, 3)
        counts = issubclass(kind, assignment_like)
        e = entries[kind] = (specs[kind], need, visits.get(kind), leaves.get(kind), counts)
        return e

    def go(node, d):
        kind = type(node)
        e = entries.get(kind)
        if e is None:
            e = entry(node, kind)
        spec, need, visit, leave, counts = e
        if d + need > limit:
            raise RecursionError("maximum recursion depth exceeded (in libcst's visit)")
        if (visit is None or visit(node, d)) and spec:
            for attr, how in spec:
                v = getattr(node, attr)
                if how == ONE:
                    if v is not None and v is not SENTINEL:
                        go(v, d + 3)
                elif how == SEQ or how == SEQ_OR_NONE:
                    if v is not None:
                        for child in v:
                            go(child, d + 4)
                elif type(v) is not tuple and type(v) is not list:  # ImportStar
                    go(v, d + 3)
                else:
                    for child in v:
                        go(child, d + 4)
        out[node] = scope
        if counts:
            scope._assignment_count += 1
        if leave is not None:
            leave(node)

    # visit handlers return whether the generic descent follows (the visitor's method did not
    # return False); the scope in force when a node is left is the one recorded for it
    def import_alike(node, d):
        names = node.names
        if type(names) is ImportStar or isinstance(names, ImportStar):
            return False
        for alias in names:
            out[alias] = scope
            asname = alias.asname
            if asname is not None:
                target = cst.ensure_type(asname.name, Name)
                values = dotted(target)
                as_node = asname.name
            else:
                values = dotted(alias.name)
                as_node = alias.name
            for value, _ in values:
                scope.record_import_assignment(value, node, as_node)
        return False

    def attribute(node, d):
        if top_attribute[-1] is None:
            top_attribute[-1] = node
        go(node.value, d + 3)
        if top_attribute[-1] is node:
            top_attribute[-1] = None
        return False

    def call(node, d):
        top_attribute.append(None)
        in_type_hint.append(False)
        qnames = {q.name for q in scope.get_qualified_names_for(node)}
        if "typing.NewType" in qnames or "typing.TypeVar" in qnames:
            go(node.func, d + 3)
            in_type_hint[-1] = True
            for arg in node.args[1:]:
                go(arg, d + 3)
            return False
        if "typing.cast" in qnames:
            go(node.func, d + 3)
            if len(node.args) > 0:
                in_type_hint.append(True)
                go(node.args[0], d + 3)
                in_type_hint.pop()
                for arg in node.args[1:]:
                    go(arg, d + 3)
            return False
        return True

    def leave_call(node):
        top_attribute.pop()
        in_type_hint.pop()

    def annotation(node, d):
        in_annotation.append(True)
        return True

    def leave_annotation(node):
        in_annotation.pop()

    def string_annotation(node, d) -> bool:
        nonlocal last_string
        if (in_type_hint[-1] or in_annotation[-1]) and not ignored_subscripts:
            value = node.evaluated_value
            if value:
                outermost = last_string is None
                if outermost:
                    last_string = node
                try:
                    module = parse_module(value)
                    go(module, d + 4)
                except ParserSyntaxError:
                    pass  # as CPython and libcst: an unparsable string annotation is no annotation
                if outermost:
                    last_string = None
                return True
        return False

    def simple_string(node, d):
        string_annotation(node, d)
        return False

    def concatenated_string(node, d):
        return not string_annotation(node, d)

    def subscript(node, d):
        hint = False
        value = node.value
        if isinstance(value, Name):
            qnames = {q.name for q in scope.get_qualified_names_for(value)}
            if any(q.startswith(("typing.", "typing_extensions.")) for q in qnames):
                hint = True
            if "typing.Literal" in qnames or "typing_extensions.Literal" in qnames:
                ignored_subscripts.add(node)
        in_type_hint.append(hint)
        return True

    def leave_subscript(node):
        in_type_hint.pop()
        ignored_subscripts.discard(node)

    def name(node, d):
        context = ctx_get(node)
        if context is STORE:
            scope.record_assignment(node.value, node)
        elif context is LOAD or context is None or context is DEL:
            access = Access(node, scope, is_annotation=bool(in_annotation[-1]), is_type_hint=bool(in_type_hint[-1]))
            deferred.append((access, top_attribute[-1], last_string))
        return True

    def function_def(node, d):
        nonlocal scope
        outer = scope
        scope.record_assignment(node.name.value, node)
        out[node.name] = scope
        if node.type_parameters:
            scope = AnnotationScope(scope, node, None)
            go(node.type_parameters, d + 3)
        around = scope
        scope = FunctionScope(around, node, full_name(node.name))
        go(node.params, d + 3)
        go(node.body, d + 3)
        scope = around
        for decorator in node.decorators:
            go(decorator, d + 3)
        returns = node.returns
        if returns:
            go(returns, d + 3)
        scope = outer
        return False

    def lambda_(node, d):
        nonlocal scope
        outer = scope
        scope = FunctionScope(outer, node)
        go(node.params, d + 3)
        go(node.body, d + 3)
        scope = outer
        return False

    def param(node, d):
        nonlocal scope
        scope.record_assignment(node.name.value, node)
        out[node.name] = scope
        inner = scope
        scope = inner.parent
        default, annotation_ = node.default, node.annotation
        if default:
            go(default, d + 3)
        if annotation_:
            go(annotation_, d + 3)
        scope = inner
        return False

    def arg(node, d):
        value = node.value
        if value:
            go(value, d + 3)
        return False

    def class_def(node, d):
        nonlocal scope
        outer = scope
        scope.record_assignment(node.name.value, node)
        out[node.name] = scope
        for decorator in node.decorators:
            go(decorator, d + 3)
        if node.type_parameters:
            scope = AnnotationScope(scope, node, None)
            go(node.type_parameters, d + 3)
        for base in node.bases:
            go(base, d + 3)
        for keyword in node.keywords:
            go(keyword, d + 3)
        scope = ClassScope(scope, node, full_name(node.name))
        for statement in node.body.body:
            go(statement, d + 3)
        scope = outer
        return False

    def global_(node, d):
        for item in node.names:
            scope.record_global_overwrite(item.name.value)
        return False

    def nonlocal_(node, d):
        for item in node.names:
            scope.record_nonlocal_overwrite(item.name.value)
        return False

    def comprehension(node, d):
        nonlocal scope
        for_in = node.for_in
        go(for_in.iter, d + 3)
        out[for_in] = scope
        outer = scope
        scope = ComprehensionScope(outer, node)
        go(for_in.target, d + 3)
        scope._assignment_count += 1  # what follows the target can refer to it
        for condition in for_in.ifs:
            go(condition, d + 3)
        inner = for_in.inner_for_in
        if inner:
            go(inner, d + 3)
        if isinstance(node, DictComp):
            go(node.key, d + 3)
            go(node.value, d + 3)
        else:
            go(node.elt, d + 3)
        scope = outer
        return False

    def for_(node, d):
        go(node.target, d + 3)
        scope._assignment_count += 1
        for child in (node.iter, node.body, node.orelse, node.asynchronous):
            if child is not None:
                go(child, d + 3)
        return False

    def type_alias(node, d):
        nonlocal scope
        scope.record_assignment(node.name.value, node)
        outer = scope
        scope = AnnotationScope(outer, node, None)
        if node.type_parameters is not None:
            go(node.type_parameters, d + 3)
        go(node.value, d + 3)
        scope = outer
        return False

    def type_var(node, d):
        scope.record_assignment(node.name.value, node)
        if node.bound is not None:
            go(node.bound, d + 3)
        return False

    def named_type_param(node, d):  # TypeVarTuple, ParamSpec
        scope.record_assignment(node.name.value, node)
        return False

    visits = {
        cst.Import: import_alike, cst.ImportFrom: import_alike, cst.Attribute: attribute, cst.Call: call,
        cst.Annotation: annotation, cst.SimpleString: simple_string, cst.ConcatenatedString: concatenated_string,
        cst.Subscript: subscript, cst.Name: name, cst.FunctionDef: function_def, cst.Lambda: lambda_,
        cst.Param: param, cst.Arg: arg, cst.ClassDef: class_def, cst.Global: global_, cst.Nonlocal: nonlocal_,
        cst.ListComp: comprehension, cst.SetComp: comprehension, cst.DictComp: comprehension,
        cst.GeneratorExp: comprehension, cst.For: for_, cst.TypeAlias: type_alias, cst.TypeVar: type_var,
        cst.TypeVarTuple: named_type_param, cst.ParamSpec: named_type_param,
    }
    leaves = {cst.Call: leave_call, cst.Annotation: leave_annotation, cst.Subscript: leave_subscript}

    go(tree, d0)
    _resolve(deferred, dotted)
    return out


def _resolve(deferred: list, dotted) -> None:
    """ScopeVisitor.infer_accesses: each access takes the most specific dotted name its scope
    knows, is recorded with the assignments it can see, and the assignments of each (scope, name)
    are given that name's accesses in one batch."""
    batches: dict = {}
    for access, attribute, string in deferred:
        name = access.node.value
        own = access.scope
        if attribute is not None:
            for dotted_name, node in dotted(attribute):
                if dotted_name in own:
                    access.node = node
                    name = dotted_name
                    break
        if string is not None:
            access.node = string
        key = (own, name)
        batch = batches.get(key)
        if batch is None:
            batch = batches[key] = set()
        batch.add(access)
        access.record_assignments(name)
        own.record_access(name, access)
    for (own, name), accesses in batches.items():
        for assignment in own._resolve_scope_for_access(name, own):
            assignment.record_accesses(accesses)
