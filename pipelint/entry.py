"""The entry callable as the runtime inspects it: parameters, inputs, return type, Output model.

``entry_of(project)`` builds it once per project. The entry is what cog.yaml's ``predict:``
names: a function (sync, async, decorated) or a class, whose ``predict()`` (or, failing that,
``run()``) method is the signature. Types come from ``pipelint.annotations`` and ``Input()``
calls from ``pipelint.inputs``; this module adds the runtime's judgement of them, decided in
one place so that one root cause gives one diagnostic whichever rule reports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from pipelint import annotations as T
from pipelint.inputs import InputCall, literal_value, looks_like_input, parse_input_call

# What rules that read the entry model declare: it is built from these providers.
METADATA = ("qualified_name", "scope", "position")

POSITIONAL = "positional"
VARARGS = "varargs"  # *args
KWONLY = "kwonly"  # after * or *args
VARKW = "varkw"  # **kwargs


@dataclass(eq=False)
class Param:
    name: str
    node: object  # cst.Param
    kind: str
    annotation: object  # the annotation expression, or None
    type: T.PyType | None
    default: object  # the default expression, or None
    input: InputCall | None  # the default, when it is cog's Input(...)

    @property
    def default_literal(self):
        """The default's literal value (``Input(default=…)`` or a plain default): MISSING when there is
        none, UNKNOWN when it is not a literal."""
        from pipelint.inputs import MISSING

        if self.input is not None:
            return self.input.value("default", MISSING)
        if self.default is None:
            return MISSING
        return literal_value(self.default)

    @property
    def defaults_to_none(self) -> bool:
        import libcst as cst

        if self.input is not None:
            a = self.input.args.get("default")
            return a is not None and isinstance(a.value_node, cst.Name) and a.value_node.value == "None"
        return isinstance(self.default, cst.Name) and self.default.value == "None"

    @property
    def plain_default(self) -> bool:
        """A default that is not an ``Input()`` call (and not an ``Input`` we cannot resolve)."""
        import libcst as cst

        if self.default is None or self.input is not None:
            return False
        return not (isinstance(self.default, cst.Call) and looks_like_input(self.default.func))


@dataclass(eq=False)
class Finding:
    """A problem with the entry's types, tagged with the rule code that reports it."""

    code: str
    node: object
    what: str  # a short key for the rule ("optional", "list-field", …)
    part: T.PyType | None = None
    model: T.ModelClass | None = None
    field: T.Field | None = None
    param: Param | None = None
    detail: str = ""
    container: T.PyType | None = None  # the list/iterator around ``part``, when it matters


@dataclass(eq=False)
class Entry:
    project: object
    module: object
    types: T.TypeResolver
    node: object  # the FunctionDef or ClassDef named by predict:
    function: object  # the FunctionDef whose signature the runtime inspects, or None
    self_param: object = None  # the class method's first parameter
    params: list[Param] = field(default_factory=list)

    @property
    def is_class(self) -> bool:
        import libcst as cst

        return isinstance(self.node, cst.ClassDef)

    @property
    def func_name(self) -> str:
        return self.function.name.value if self.function is not None else ""

    @property
    def is_async(self) -> bool:
        return self.function is not None and self.function.asynchronous is not None

    @property
    def return_annotation(self):
        f = self.function
        return f.returns.annotation if f is not None and f.returns is not None else None

    @cached_property
    def returns(self) -> T.PyType | None:
        ann = self.return_annotation
        return self.types.of(ann) if ann is not None else None

    @property
    def inputs(self) -> list[Param]:
        """Parameters the runtime turns into inputs (``*args``/``**kwargs`` are not inputs)."""
        return [p for p in self.params if p.kind in (POSITIONAL, KWONLY)]

    def code(self, node) -> str:
        return self.module.tree.code_for_node(node)

    def text(self, part: T.PyType) -> str:
        """How a type part is spelt (for messages)."""
        return self.code(part.source).strip()

    # ---- the runtime's judgement -------------------------------------------------------
    @cached_property
    def output_findings(self) -> list[Finding]:
        if self.function is None or self.returns is None:
            return []
        out: list[Finding] = []
        _judge_return(self, self.returns, out)
        return out

    @cached_property
    def output_models(self) -> list[T.ModelClass]:
        """Local classes the return type names, directly or inside a list/iterator."""
        seen: list[T.ModelClass] = []
        if self.returns is not None:
            for part in self.returns.parts():
                if part.kind == T.MODEL and part.model not in seen:
                    seen.append(part.model)
        return seen

    def input_type_finding(self, param: Param) -> Finding | None:
        """Why the runtime refuses this input's type (PL306), or None."""
        t = param.type
        if t is None:
            return None
        return _judge_input(self, param, t)


def _judge_input(entry: Entry, param: Param, t: T.PyType) -> Finding | None:
    ok = (T.SCALAR, T.PATH, T.SECRET)
    silent = (T.FILE, T.UNKNOWN)  # File: PL409 says it; unknown: nothing to say
    if t.kind in ok or t.kind in silent:
        return None
    if t.kind == T.OPTIONAL:
        inner = t.inner
        if inner.kind in ok or inner.kind in silent:
            return None
        if inner.kind == T.LIST:
            return Finding("PL306", inner.node, "optional-list", inner, param=param, detail="Optional cannot have nested type list")
        return Finding("PL306", inner.node, "unsupported", inner, param=param,
                       detail=f"unsupported Cog type {entry.text(inner)}")
    if t.kind == T.LIST:
        elem = t.inner
        if elem is None:
            return Finding("PL306", t.node, "bare-list", t, param=param, detail="unsupported Cog type list")
        if elem.kind in ok or elem.kind in silent:
            return None
        if elem.kind in (T.LIST, T.OPTIONAL, T.UNION, T.ITERATOR) or (elem.kind in (T.DICT, T.OTHER) and elem.args):
            nested = {T.LIST: "list", T.OPTIONAL: "Optional", T.UNION: "Union"}.get(elem.kind, entry.text(elem).split("[")[0])
            return Finding("PL306", elem.node, "nested", elem, param=param, detail=f"List cannot have nested type {nested}")
        return Finding("PL306", elem.node, "unsupported", elem, param=param, detail=f"unsupported Cog type {entry.text(elem)}")
    return Finding("PL306", t.node, "unsupported", t, param=param, detail=f"unsupported Cog type {entry.text(t)}")


_SERIALISABLE = (T.SCALAR, T.PATH)


def _judge_return(entry: Entry, t: T.PyType, out: list[Finding]) -> None:
    k = t.kind
    if k == T.NONE:
        out.append(Finding("PL304", t.node, "none", t))
    elif k == T.OPTIONAL:
        out.append(Finding("PL406", t.node, "optional", t))
    elif k == T.ANY:
        out.append(Finding("PL411", t.node, "any", t))
    elif k == T.LIST:
        if t.inner is None:
            out.append(Finding("PL412", t.node, "bare-list", t, detail="unsupported Cog type list"))
        else:
            _judge_element(entry, t, t.inner, out)
    elif k == T.ITERATOR:
        _judge_iterator(entry, t, out)
    elif k == T.MODEL:
        _judge_model_return(entry, t, out)
    else:
        _judge_value(entry, t, out, where="return")


def _judge_value(entry: Entry, t: T.PyType, out: list[Finding], where: str) -> None:
    """A single value: the return type, or the element of a list/iterator return."""
    k = t.kind
    if k in _SERIALISABLE or k in (T.FILE, T.UNKNOWN):
        return
    if k == T.DICT:
        out.append(Finding("PL402", t.node, "dict", t, detail=where))
    elif k == T.SECRET:
        out.append(Finding("PL407", t.node, "secret", t, detail=where))
    elif k == T.MODEL and t.model.flavor in ("cog", "pydantic") and where != "return":
        out.append(Finding("PL404", t.node, "sequence-of-models", t, model=t.model))
    elif k == T.MODEL and t.model.flavor == "unknown":
        return
    elif k == T.ANY:
        out.append(Finding("PL412", t.node, "unsupported", t, detail="unsupported Cog type typing.Any"))
    elif k == T.UNION:
        out.append(Finding("PL412", t.node, "union", t, detail=f"unsupported union type {entry.text(t)}"))
    else:
        out.append(Finding("PL412", t.node, "unsupported", t, detail=f"unsupported Cog type {entry.text(t)}"))


def _judge_element(entry: Entry, container: T.PyType, elem: T.PyType, out: list[Finding]) -> None:
    if elem.kind in (T.LIST, T.OPTIONAL):
        out.append(Finding("PL412", elem.node, "nested", elem, detail=f"unsupported Cog type {entry.text(container)}"))
    elif elem.kind == T.NONE:
        out.append(Finding("PL412", elem.node, "unsupported", elem, detail="unsupported Cog type None"))
    else:
        _judge_value(entry, elem, out, where="element")


def _judge_iterator(entry: Entry, t: T.PyType, out: list[Finding]) -> None:
    elem = t.inner
    if elem is None:
        out.append(Finding("PL410", t.node, "bare", t, detail="iterator type must have a type argument"))
        return
    if t.is_async_iterator and not entry.is_async:
        out.append(Finding("PL410", t.node, "async-on-sync", t))
    elif not t.is_async_iterator and entry.is_async:
        out.append(Finding("PL410", t.node, "sync-on-async", t))
    if elem.kind in (T.OPTIONAL, T.LIST):
        out.append(Finding("PL410", elem.node, "element", elem, detail="iterator element type must not be Optional or List"))
        return
    if t.is_concatenate and not (elem.kind == T.SCALAR and elem.name == "str") and elem.kind != T.UNKNOWN:
        out.append(Finding("PL410", elem.node, "concatenate", elem, detail=f"{t.name} must have str element",
                           container=t))
        return
    _judge_element(entry, t, elem, out)


def _judge_model_return(entry: Entry, t: T.PyType, out: list[Finding]) -> None:
    m = t.model
    if m.flavor == "unknown":
        return
    if m.flavor is None:
        out.append(Finding("PL412", t.node, "plain-class", t, model=m,
                           detail=f"unsupported Cog type {m.name}"))
        return
    if m.flavor == "pydantic":
        out.append(Finding("PL408", m.base, "pydantic", t, model=m))
    if m.name != "Output":
        out.append(Finding("PL401", m.node.name, "name", t, model=m))
    for f in m.fields:
        _judge_field(entry, m, f, out)


def _judge_field(entry: Entry, m: T.ModelClass, f: T.Field, out: list[Finding]) -> None:
    t = f.type
    inner = t.inner if t.kind == T.OPTIONAL else t
    k = inner.kind
    if k in _SERIALISABLE or k in (T.FILE, T.UNKNOWN):
        return
    if k == T.LIST:
        out.append(Finding("PL403", t.node, "list-field", t, model=m, field=f))
    elif k == T.DICT:
        out.append(Finding("PL402", inner.node, "dict", inner, model=m, field=f, detail="field"))
    elif k == T.MODEL and inner.model.flavor in ("cog", "pydantic"):
        out.append(Finding("PL405", inner.node, "nested-model", inner, model=m, field=f))
    elif k == T.MODEL and inner.model.flavor == "unknown":
        return
    elif k == T.SECRET:
        out.append(Finding("PL407", inner.node, "secret", inner, model=m, field=f, detail="field"))
    else:
        out.append(Finding("PL412", inner.node, "field", inner, model=m, field=f,
                           detail=f"unsupported Cog type {entry.text(inner)}"))


# ---- building the entry -------------------------------------------------------------------
def entry_of(project) -> Entry | None:
    """The entry of ``project``, or None when there is no function/class to inspect. Built once per
    project: it is cached on the entry module, which belongs to that project alone."""
    module = project.entry_module
    if module is None or module.tree is None:
        return None
    if "pipelint.entry" not in module.facts:
        module.facts["pipelint.entry"] = _build(project)
    return module.facts["pipelint.entry"]


def checked_entry(project) -> Entry | None:
    """The entry, when it has a signature to inspect (a function, or a class with ``predict``/``run``)."""
    entry = entry_of(project)
    return entry if entry is not None and entry.function is not None else None


def _build(project) -> Entry | None:
    import libcst as cst

    node = project.entry_node
    module = project.entry_module
    if node is None or module is None or module.tree is None:
        return None
    types = T.resolver_for(project, module)
    if isinstance(node, cst.ClassDef):
        function = entry_method(node)
    else:
        function = node
    entry = Entry(project, module, types, node, function)
    if function is not None:
        _read_params(entry, function, is_method=isinstance(node, cst.ClassDef))
    return entry


def class_methods(classdef) -> dict[str, object]:
    """Methods defined in the class body (the last definition of a name wins, as in Python)."""
    import libcst as cst

    found = {}
    body = classdef.body.body if isinstance(classdef.body, cst.IndentedBlock) else []
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef):
            found[stmt.name.value] = stmt
    return found


def entry_method(classdef):
    """The method the pipelines runtime calls on a class entry: ``predict()``; ``run()`` as a fallback."""
    methods = class_methods(classdef)
    return methods.get("predict") or methods.get("run")


def _read_params(entry: Entry, function, is_method: bool) -> None:
    import libcst as cst

    p = function.params
    ordered = [(x, POSITIONAL) for x in (*p.posonly_params, *p.params)]
    if isinstance(p.star_arg, cst.Param):
        ordered.append((p.star_arg, VARARGS))
    ordered += [(x, KWONLY) for x in p.kwonly_params]
    if p.star_kwarg is not None:
        ordered.append((p.star_kwarg, VARKW))
    if is_method and ordered and ordered[0][1] == POSITIONAL:
        entry.self_param = ordered[0][0]
        ordered = ordered[1:]
    for param, kind in ordered:
        ann = param.annotation.annotation if param.annotation is not None else None
        default = param.default
        entry.params.append(Param(
            name=param.name.value,
            node=param,
            kind=kind,
            annotation=ann,
            type=entry.types.of(ann) if ann is not None else None,
            default=default,
            input=parse_input_call(default, entry.types) if default is not None else None,
        ))


# ---- the inputs that Input() constraints apply to ------------------------------------------------
NUMERIC = "numeric"
STRING = "string"
OTHER = "other"


def constrained_inputs(entry: Entry):
    """(param, element kind, element type) for each entry input with an ``Input()`` default and a type
    the runtime accepts; the element kind is NUMERIC (int, float), STRING (str) or OTHER."""
    for p in entry.inputs:
        if p.input is None or p.type is None or entry.input_type_finding(p) is not None:
            continue
        t = p.type
        if t.kind in (T.OPTIONAL, T.LIST):
            t = t.inner
        if t.kind == T.UNKNOWN:
            continue
        if t.kind == T.SCALAR and t.name in ("int", "float"):
            kind = NUMERIC
        elif t.kind == T.SCALAR and t.name == "str":
            kind = STRING
        else:
            kind = OTHER
        yield p, kind, t


def input_repr(entry: Entry, p: Param) -> str:
    """An input as the runtime names it in its messages: ``steps: int``."""
    return f"{p.name}: {entry.text(p.type)}"


def output_subject(entry: Entry, finding) -> str:
    """Who has the type: ``run()`` (its return type) or ``output field `x` of `Output```."""
    if finding.field is not None:
        return f"output field `{finding.field.name}` of `{finding.model.name}`"
    return f"`{entry.func_name}()`"
