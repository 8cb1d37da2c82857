"""The entry callable as the runtime inspects it: parameters, inputs, return type, Output model.

``entry_of(project)`` builds it once per project. The entry is what cog.yaml's ``predict:``
names: a function (sync, async, decorated) or a class, whose ``predict()`` (or, failing that,
``run()``) method is the signature. Types come from ``pipelint.analysis.annotations`` and ``Input()``
calls from ``pipelint.analysis.inputs``.

This module says what the entry *is*; when something about it is wrong, and what to say, is up
to the rule that reports it (``rules/pipeline/pl3_entry_function/``, ``rules/pipeline/pl4_outputs/``).
Two facts of the runtime are kept here because several rules lean on them, so that one root
cause gives one diagnostic: which input types the runtime accepts (``accepts_input_type``), and
which values of the return type it must encode (``Entry.output_slots``).
"""

from __future__ import annotations

from functools import cached_property

from pipelint.analysis import annotations as T
from pipelint.analysis.inputs import InputCall, literal_value, looks_like_input, parse_input_call
from pipelint.core.records import Record

# What rules that read the entry model declare: it is built from these providers.
METADATA = ("qualified_name", "scope", "position")

POSITIONAL = "positional"
VARARGS = "varargs"  # *args
KWONLY = "kwonly"  # after * or *args
VARKW = "varkw"  # **kwargs


class Param(Record, eq=False):
    name: str
    node: object  # cst.Param
    kind: str
    annotation: object  # the annotation expression, or None
    type: T.PyType | None
    default: object  # the default expression, or None
    input: InputCall | None  # the default, when it is cog's Input(...)

    def __init__(
        self,
        name: str,
        node: object,
        kind: str,
        annotation: object,
        type: T.PyType | None,
        default: object,
        input: InputCall | None,
    ) -> None:
        self.name = name
        self.node = node
        self.kind = kind
        self.annotation = annotation
        self.type = type
        self.default = default
        self.input = input

    @property
    def default_literal(self):
        """The default's literal value (``Input(default=…)`` or a plain default): MISSING when there is
        none, UNKNOWN when it is not a literal."""
        from pipelint.analysis.inputs import MISSING

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


class Entry(Record, eq=False):
    project: object
    module: object
    types: T.TypeResolver
    node: object  # the FunctionDef or ClassDef named by predict:
    function: object  # the FunctionDef whose signature the runtime inspects, or None
    self_param: object  # the class method's first parameter
    params: list[Param]

    def __init__(
        self,
        project: object,
        module: object,
        types: T.TypeResolver,
        node: object,
        function: object,
        self_param: object = None,
        params: list[Param] | None = None,
    ) -> None:
        self.project = project
        self.module = module
        self.types = types
        self.node = node
        self.function = function
        self.self_param = self_param
        self.params = [] if params is None else params

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

    @cached_property
    def output_models(self) -> list[T.ModelClass]:
        """Local classes the return type names, directly or inside a list/iterator."""
        seen: list[T.ModelClass] = []
        if self.returns is not None:
            for part in self.returns.parts():
                if part.kind == T.MODEL and part.model not in seen:
                    seen.append(part.model)
        return seen

    @cached_property
    def output_slots(self) -> list[OutputSlot]:
        """The values the runtime must encode for the return type, outermost first: the return
        value; the element of a returned list or iterator; each field of a returned model class.

        An iterator's element is left out when the runtime refuses the iterator before it gets to
        the element (``iterator_encodes_element``); the fields of a class that is not a BaseModel
        (or cannot be followed) are left out too: the class itself is the problem.
        """
        t = self.returns
        if self.function is None or t is None:
            return []
        slots = [OutputSlot(t, RETURN)]
        if t.kind == T.LIST and t.inner is not None:
            slots.append(OutputSlot(t.inner, ELEMENT, container=t))
        elif t.kind == T.ITERATOR and t.inner is not None and iterator_encodes_element(t):
            slots.append(OutputSlot(t.inner, ELEMENT, container=t))
        model = self.output_model
        if model is not None and model.model.flavor in BASE_MODEL_FLAVORS:
            # the fields of a model returned inside a wrapper (``list[Result]``, ``Optional[Result]``) are
            # judged too: the wrapper's own finding does not prevent analysing them
            slots += [OutputSlot(f.type, FIELD, model=model.model, field=f) for f in model.model.fields]
        return slots

    @cached_property
    def output_model(self) -> T.PyType | None:
        """The MODEL part the return type names as the output class: the return type itself, or the
        class inside any ``Optional[...]``/``list[...]``/iterator wrappers (``-> list[Result]``); None
        when there is none (a union of classes names no one output class)."""
        t = self.returns
        if self.function is None or t is None:
            return None
        for _ in range(T._MAX_DEPTH):
            if t.kind in (T.OPTIONAL, T.LIST, T.ITERATOR) and t.inner is not None:
                t = t.inner
            else:
                break
        return t if t.kind == T.MODEL else None


# ---- what the runtime accepts ---------------------------------------------------------------
INPUT_VALUE_KINDS = (T.SCALAR, T.PATH, T.SECRET)  # str, int, float, bool; Path; Secret
OUTPUT_VALUE_KINDS = (T.SCALAR, T.PATH)  # what the runtime encodes as one output value
UNJUDGED_KINDS = (T.FILE, T.UNKNOWN)  # File has a rule of its own; an unknown type has nothing certain to say
BASE_MODEL_FLAVORS = ("cog", "pydantic")  # ModelClass.flavor of a BaseModel subclass


def accepts_input_type(t: T.PyType) -> bool:
    """Whether the runtime accepts ``t`` as an input's type: one of ``INPUT_VALUE_KINDS``, a
    ``list[...]`` of one, or an ``Optional[...]`` of one (File and unresolved types count as accepted)."""
    fine = INPUT_VALUE_KINDS + UNJUDGED_KINDS
    if t.kind in fine:
        return True
    if t.kind in (T.OPTIONAL, T.LIST):
        return t.inner is not None and t.inner.kind in fine
    return False


RETURN = "return"  # the return type itself
ELEMENT = "element"  # the element of a returned list or iterator
FIELD = "field"  # a field of the returned Output model


class OutputSlot(Record, eq=False):
    """One value the runtime must encode: the return value, an element, or a model's field."""

    type: T.PyType  # as annotated (a field's ``Optional[...]`` included)
    role: str  # RETURN, ELEMENT or FIELD
    container: T.PyType | None  # ELEMENT: the list or iterator
    model: T.ModelClass | None  # FIELD: the returned model
    field: T.Field | None  # FIELD: the field

    def __init__(
        self,
        type: T.PyType,
        role: str,
        container: T.PyType | None = None,
        model: T.ModelClass | None = None,
        field: T.Field | None = None,
    ) -> None:
        self.type = type
        self.role = role
        self.container = container
        self.model = model
        self.field = field

    @property
    def module(self):
        """The module whose nodes ``type`` points at: the model's defining module for a FIELD (a class
        imported from a local module), None (the entry module) otherwise."""
        return self.model.module if self.model is not None else None

    @property
    def value(self) -> T.PyType:
        """The type of the value itself: a field's type without its ``Optional[...]``."""
        if self.role == FIELD and self.type.kind == T.OPTIONAL:
            return self.type.inner
        return self.type


def iterator_encodes_element(t: T.PyType) -> bool:
    """Whether the runtime gets as far as encoding the element of iterator type ``t``: it refuses
    first an Optional or list element, and a ``ConcatenateIterator`` of anything but str."""
    elem = t.inner
    if elem is None or elem.kind in (T.OPTIONAL, T.LIST):
        return False
    return not (t.is_concatenate and not (elem.kind == T.SCALAR and elem.name == "str") and elem.kind != T.UNKNOWN)


# ---- building the entry -------------------------------------------------------------------
def entry_of(project) -> Entry | None:
    """The entry of ``project``, or None when there is no function/class to inspect. Built once per
    project: it is cached on the entry module, which belongs to that project alone."""
    module = project.entry_module
    if module is None or module.tree is None:
        return None
    if "pipelint.analysis.entry" not in module.facts:
        module.facts["pipelint.analysis.entry"] = _build(project)
    return module.facts["pipelint.analysis.entry"]


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
    types = T.resolver_for(project, module, follow_local=True)
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
        if p.input is None or p.type is None or not accepts_input_type(p.type):
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


def output_subject(entry: Entry, slot: OutputSlot) -> str:
    """Who has the type, for messages: ``run()`` (its return type) or ``output field `x` of `Output```."""
    if slot.field is not None:
        return f"output field `{slot.field.name}` of `{slot.model.name}`"
    return f"`{entry.func_name}()`"
