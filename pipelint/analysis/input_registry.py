"""The "Inputs registry" pattern of Replicate's flux models, resolved statically.

A class holding ``Input(...)`` as class attributes, or static methods returning ``Input(...)``,
used as parameter defaults: ``seed: int = Inputs.seed``, ``go_fast: bool = Inputs.go_fast_with(True)``.
cog's static parser supports it (``pkg/schema/python/inputs.go``: ``collectInputRegistry`` /
``resolveInputReference``), so a linter must read through it rather than call it unresolvable.

``registry_input(entry, param)`` gives the ``Input()`` call a parameter's default stands for, with
the registry's ``default`` replaced by the call's argument when a static method forwards it.
"""

from __future__ import annotations

from pipelint.analysis.inputs import InputArg, InputCall, literal_value, parse_input_call
from pipelint.core.records import Record


class RegistryInput(Record, eq=False):
    call: InputCall  # the Input() call, arguments substituted
    source: object  # the Input() call node in the registry class (where its own problems are)
    attribute: str  # ``Inputs.seed``

    def __init__(self, call: InputCall, source: object, attribute: str) -> None:
        self.call = call
        self.source = source
        self.attribute = attribute


def _registries(module, resolver) -> dict:
    """``{class name: {member: ("attr", Call) | ("static", FunctionDef, Call)}}`` for top-level classes
    with at least one member that is an ``Input()``."""
    import libcst as cst

    cache = module.facts.setdefault("pipelint.analysis.input_registry", {})
    if "classes" in cache:
        return cache["classes"]
    found = {}
    for stmt in module.tree.body:
        if not isinstance(stmt, cst.ClassDef) or not isinstance(stmt.body, cst.IndentedBlock):
            continue
        members = {}
        for item in stmt.body.body:
            if isinstance(item, cst.SimpleStatementLine):
                for small in item.body:
                    target = value = None
                    if isinstance(small, cst.Assign) and len(small.targets) == 1:
                        target, value = small.targets[0].target, small.value
                    elif isinstance(small, cst.AnnAssign):
                        target, value = small.target, small.value
                    if isinstance(target, cst.Name) and isinstance(value, cst.Call) \
                            and parse_input_call(value, resolver) is not None:
                        members[target.value] = ("attr", value)
            elif isinstance(item, cst.FunctionDef):
                decos = {getattr(d.decorator, "value", None) for d in item.decorators}
                if not decos & {"staticmethod", "classmethod"}:
                    continue
                call = _returned_input(item, resolver)
                if call is not None:
                    members[item.name.value] = ("static", item, call)
        if members:
            found[stmt.name.value] = members
    cache["classes"] = found
    return found


def _returned_input(func, resolver):
    import libcst as cst

    body = func.body.body if isinstance(func.body, cst.IndentedBlock) else []
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Return) and isinstance(small.value, cst.Call) \
                        and parse_input_call(small.value, resolver) is not None:
                    return small.value
    return None


def is_registry_reference(entry, expr) -> bool:
    return _resolve(entry, expr) is not None


def registry_input(entry, param) -> RegistryInput | None:
    """The registry ``Input()`` a parameter's default refers to, or None."""
    if param.default is None or param.input is not None:
        return None
    return _resolve(entry, param.default)


def _resolve(entry, expr) -> RegistryInput | None:
    import libcst as cst

    call_args = None
    if isinstance(expr, cst.Call):
        call_args, expr = expr.args, expr.func
    if not (isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name)):
        return None
    members = _registries(entry.module, entry.types).get(expr.value.value)
    if not members or expr.attr.value not in members:
        return None
    member = members[expr.attr.value]
    shown = f"{expr.value.value}.{expr.attr.value}"
    if member[0] == "attr":
        if call_args is not None:
            return None
        return RegistryInput(parse_input_call(member[1], entry.types), member[1], shown)
    if call_args is None:
        return None
    _, func, node = member
    call = parse_input_call(node, entry.types)
    bound = _bind(func, call_args)
    args = {}
    for key, a in call.args.items():
        v = a.value_node
        if isinstance(v, cst.Name) and v.value in bound:
            given = bound[v.value]
            args[key] = InputArg(key, a.arg, given, literal_value(given))
        else:
            args[key] = a
    return RegistryInput(call.replace(args=args), node, shown)


def _bind(func, call_args) -> dict:
    """Parameter name → argument expression (positional and keyword; defaults of the static method)."""
    import libcst as cst

    params = list(func.params.params)
    if params and params[0].name.value in ("cls",) :
        params = params[1:]
    bound = {p.name.value: p.default for p in params + list(func.params.kwonly_params) if p.default is not None}
    i = 0
    for a in call_args:
        if a.star:
            continue
        if a.keyword is not None:
            bound[a.keyword.value] = a.value
        elif i < len(params):
            bound[params[i].name.value] = a.value
            i += 1
    return {k: v for k, v in bound.items() if isinstance(v, cst.BaseExpression)}
