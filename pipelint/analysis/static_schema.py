"""What cog's static schema parser (Go, cog >=0.19) makes of an entry's ``Input()`` arguments.

Mirrors ``replicate/cog`` ``pkg/schema/python``: ``literals.go parseDefaultValue/parseStringLiteral``,
``module_scope.go collectModuleScope/resolveDefaultExpr/resolveChoicesExpr/resolveChoicesCall`` and
``inputs.go parseTypedDefaultParameter/parseInputCall/isInputCall/collectInputRegistry``. Read from
the source, never copied. The parser works on the text, not on Python values:

- a string is the text between its quotes (no escape processing); only no prefix or a lowercase
  ``r`` counts, so an f-string, ``b"…"`` or ``u"…"`` is not a literal;
- a module-scope name is a top-level ``NAME = <literal>``; a dict literal keeps only the pairs whose
  key and value are literals; a tuple keeps its literal items;
- ``choices=`` must be a list literal, a module-scope list, ``list(D.keys())``/``list(D.values())``
  of a module-scope dict, or ``+`` of those; anything else fails the build;
- ``Input`` is recognised only spelt as a bare name (``Input`` or an alias imported from cog):
  ``cog.Input(...)`` is a plain default the parser cannot resolve, which fails the build.

API::

    scope = module_scope(module)
    ok, value = resolve_default(expr, scope)
    ok, values, dropped = resolve_choices(expr, scope)
    go_string(node) -> str | None
    input_of(entry, param) -> SchemaInput | None   # the Input() a parameter stands for, as the parser reads it
"""

from __future__ import annotations

from pipelint.core.records import Record
from pipelint.model.literals import evaluated


class GoDict:
    """A dict literal as the parser keeps it: the pairs it could read, and how many it dropped."""

    def __init__(self, keys, values, dropped):
        self.keys, self.values, self.dropped = keys, values, dropped


_BAD = object()


def go_string(node):
    """The text of a string literal as the parser reads it, or None when it is not one."""
    import libcst as cst

    if isinstance(node, cst.ConcatenatedString):
        text = node.left.value if isinstance(node.left, cst.SimpleString) else None
        if text is None:
            return None
        whole = _code(node)
        return whole[1:-1] if whole[:1] in "\"'" and len(whole) >= 2 else None
    if not isinstance(node, cst.SimpleString):
        return None
    text = node.value
    if text.startswith(('"""', "'''")):
        return text[3:-3] if len(text) >= 6 else None
    if text.startswith(('"', "'")):
        return text[1:-1]
    if text.startswith(('r"', "r'")):
        return text[2:-1]
    return None


def _code(node) -> str:
    import libcst as cst

    return cst.Module(body=[]).code_for_node(node)


def go_value(node):
    """The value the parser reads from a literal expression, or ``_BAD``."""
    import libcst as cst

    if isinstance(node, cst.Name):
        return {"None": None, "True": True, "False": False}.get(node.value, _BAD)
    if isinstance(node, cst.Integer):
        try:
            v = evaluated(node)
        except Exception:
            return _BAD
        return v if -(2 ** 63) <= v < 2 ** 63 else _BAD
    if isinstance(node, cst.Float):
        try:
            return evaluated(node)
        except Exception:
            return _BAD
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        s = go_string(node)
        return _BAD if s is None else s
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)) \
            and isinstance(node.expression, (cst.Integer, cst.Float)):
        inner = go_value(node.expression)
        return _BAD if inner is _BAD else (-inner if isinstance(node.operator, cst.Minus) else inner)
    if isinstance(node, (cst.List, cst.Set)):
        out = []
        for el in node.elements:
            v = _BAD if isinstance(el, cst.StarredElement) else go_value(el.value)
            if v is _BAD:
                return _BAD
            out.append(v)
        return out
    if isinstance(node, cst.Tuple):
        out = []
        for el in node.elements:
            v = _BAD if isinstance(el, cst.StarredElement) else go_value(el.value)
            if v is not _BAD:
                out.append(v)
        return out
    if isinstance(node, cst.Dict):
        keys, vals, dropped = [], [], 0
        for el in node.elements:
            if not isinstance(el, cst.DictElement):
                dropped += 1
                continue
            k, v = go_value(el.key), go_value(el.value)
            if k is _BAD or v is _BAD:
                dropped += 1
                continue
            keys.append(k)
            vals.append(v)
        return GoDict(keys, vals, dropped)
    return _BAD


def module_scope(module) -> dict:
    """Top-level ``NAME = <literal>`` bindings, as the parser collects them (the last one wins)."""
    import libcst as cst

    cache = module.facts.setdefault("pipelint.analysis.static_schema", {})
    if "scope" in cache:
        return cache["scope"]
    scope, kinds = {}, {}
    for stmt in module.tree.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            target = value = None
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target, value = small.targets[0].target, small.value
            elif isinstance(small, cst.AnnAssign) and small.value is not None:
                target, value = small.target, small.value
            if isinstance(target, cst.Name):
                v = go_value(value)
                if v is not _BAD:
                    scope[target.value] = v
                    kinds[target.value] = value
    cache["scope"] = scope
    cache["nodes"] = kinds
    return scope


def scope_node(module, name: str):
    """The literal expression a module-scope name was read from."""
    module_scope(module)
    return module.facts["pipelint.analysis.static_schema"]["nodes"].get(name)


def resolve_default(expr, scope) -> tuple[bool, object]:
    import libcst as cst

    v = go_value(expr)
    if v is not _BAD:
        return True, v
    if isinstance(expr, cst.Name) and expr.value in scope:
        return True, scope[expr.value]
    return False, None


def resolve_choices(expr, scope) -> tuple[bool, list, GoDict | None]:
    """(resolvable, the values, the dict they came from when ``list(D.keys()/values())``)."""
    import libcst as cst

    if isinstance(expr, cst.List):
        v = go_value(expr)
        return (False, [], None) if v is _BAD else (True, v, None)
    if isinstance(expr, cst.Name):
        v = scope.get(expr.value, _BAD)
        return (True, v, None) if isinstance(v, list) else (False, [], None)
    if isinstance(expr, cst.Call):
        if not (isinstance(expr.func, cst.Name) and expr.func.value == "list") or not expr.args:
            return False, [], None
        inner = expr.args[0].value
        if not (isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute)
                and isinstance(inner.func.value, cst.Name)):
            return False, [], None
        d = scope.get(inner.func.value.value)
        method = inner.func.attr.value
        if not isinstance(d, GoDict) or method not in ("keys", "values"):
            return False, [], None
        return True, list(d.keys if method == "keys" else d.values), d
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        ok1, left, d1 = resolve_choices(expr.left, scope)
        ok2, right, d2 = resolve_choices(expr.right, scope)
        if ok1 and ok2:
            return True, left + right, d1 or d2
    return False, [], None


def is_bare_input_callee(call) -> bool:
    """The parser's ``isInputCall``: the callee spelt as a bare name (``Input`` or its alias)."""
    import libcst as cst

    return isinstance(call.func, cst.Name)


class SchemaInput(Record, eq=False):
    call: object  # the InputCall (registry arguments substituted)
    source: object  # where the Input() call is written (the parameter's default, or in the registry)
    registry: str  # ``Inputs.seed`` when read through the registry

    def __init__(self, call: object, source: object, registry: str = "") -> None:
        self.call = call
        self.source = source
        self.registry = registry


def input_of(entry, param) -> SchemaInput | None:
    """The ``Input()`` call a parameter's default stands for: written there, or through the
    "Inputs registry" (``pipelint.analysis.input_registry``)."""
    from pipelint.analysis.input_registry import registry_input

    if param.input is not None:
        return SchemaInput(param.input, param.input.node)
    reg = registry_input(entry, param)
    if reg is not None and reg.call is not None:
        return SchemaInput(reg.call, reg.source, reg.attribute)
    return None


def schema_inputs(project, *, unique: bool = True):
    """``(entry, scope, param, SchemaInput)`` for each input of the cog entry function that has an
    ``Input()`` call (written there or through the registry), with the module's literal scope.
    ``unique``: a call several parameters share (one registry member) comes once."""
    from pipelint.analysis.cog_entry import cog_entry

    entry = cog_entry(project)
    if entry is None or entry.function is None:
        return
    scope = module_scope(entry.module)
    seen = set()
    for param in entry.inputs:
        si = input_of(entry, param)
        if si is None or (unique and id(si.call.node) in seen):
            continue
        seen.add(id(si.call.node))
        yield entry, scope, param, si


def registry_dropped_because(entry, reg_call, scope) -> str | None:
    """Why the parser leaves a registry member out (so a default referring to it cannot be
    resolved): its ``Input`` is spelt ``cog.Input``, its ``choices=`` cannot be resolved, or it
    uses ``default_factory``. None when it is kept."""
    node = reg_call.node
    if not is_bare_input_callee(node):
        return "its `Input` is spelt as an attribute"
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "default_factory":
            return "it uses `default_factory`"
        if arg.keyword is not None and arg.keyword.value == "choices" and not resolve_choices(arg.value, scope)[0]:
            return "its `choices=` cannot be statically resolved"
    return None
