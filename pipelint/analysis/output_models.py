"""Output model classes of an ordinary cog model: ``cog.BaseModel`` (a dataclass since cog 0.17)
and pydantic ``BaseModel`` subclasses, wherever the model's modules define them.

Built on the one type model (``pipelint.analysis.annotations``: ``ModelClass``, ``Field``). What
cog 0.23's ``python/cog/model.py`` does and this module mirrors: ``BaseModel.__init_subclass__``
applies ``dataclass(init=init, **kwargs)`` to every subclass, so the class keywords
``kw_only=True`` (no field-order rule) and ``auto_dataclass=False`` (no dataclass at all) change
what is checked; a ``ClassVar`` annotation is no field; fields of base classes come first.

API::

    from pipelint.analysis import output_models as O
    O.model_modules(project)           # entry modules (run/predict/train) and the local modules they import
    O.model_classes(project)           # [ModelClass] in those modules (flavor "cog"/"pydantic"), each once
    O.module_of(model_class)           # the PythonModule it is defined in
    O.dataclass_fields(model_class)    # [DataField] as the dataclass sees them (bases first)
    O.class_keyword(model_class, "kw_only")  # the keyword's expression in ``class C(BaseModel, kw_only=True)``
    O.pydantic_config(model_class)     # [PydanticConfig]: ``class Config`` / ``model_config`` statements
    O.validators(model_class)          # decorators of pydantic validators in the class body
    O.pydantic_api_uses(project, cls)  # [(module, node, name)] ``.dict()``/``.json()``/… on the class or its instances
    O.output_classes(project)          # ModelClasses returned by an entry (directly or in a list/iterator)
"""

from __future__ import annotations

from pipelint.analysis import annotations as T
from pipelint.core.records import Record

COG_TYPES = {"cog.Path": "Path", "cog.File": "File", "cog.Secret": "Secret", "cog.URLPath": "URLPath"}
MUTABLE_CALLS = {"builtins.list", "builtins.dict", "builtins.set", "builtins.bytearray", "collections.OrderedDict",
                 "collections.defaultdict", "collections.deque", "collections.Counter"}
FIELD_FUNCTIONS = {"dataclasses.field"}
PYDANTIC_FIELDS = {"pydantic.Field", "pydantic.fields.Field", "pydantic.v1.Field", "pydantic.v1.fields.Field"}
PYDANTIC_VALIDATORS = {f"pydantic.{n}" for n in ("validator", "root_validator", "field_validator", "model_validator",
                                                  "field_serializer", "model_serializer", "computed_field")} | \
                      {f"pydantic.v1.{n}" for n in ("validator", "root_validator")}
# attributes of a pydantic model (instance or class) that a dataclass does not have
PYDANTIC_API = ("dict", "json", "copy", "model_dump", "model_dump_json", "model_copy", "model_validate",
                "model_validate_json", "model_json_schema", "model_construct", "model_fields", "model_fields_set",
                "parse_obj", "parse_raw", "parse_file", "schema", "schema_json", "construct", "from_orm",
                "__fields__", "update_forward_refs", "model_rebuild")


class DataField(Record, eq=False):
    field: T.Field
    owner: T.ModelClass  # the class whose body spells it
    has_default: bool  # a default value or a default_factory
    mutable: bool  # a default dataclasses refuses (``[]``, ``{}``, ``set()``, …)

    def __init__(self, field: T.Field, owner: T.ModelClass, has_default: bool, mutable: bool) -> None:
        self.field = field
        self.owner = owner
        self.has_default = has_default
        self.mutable = mutable

    @property
    def name(self) -> str:
        return self.field.name


class PydanticConfig(Record, eq=False):
    node: object  # the ``class Config`` ClassDef or the ``model_config = …`` statement line
    keys: dict  # option name -> value expression (what could be read)
    complete: bool  # every option could be read

    def __init__(self, node: object, keys: dict, complete: bool) -> None:
        self.node = node
        self.keys = keys
        self.complete = complete


def module_of(model: T.ModelClass):
    return model.resolver.module


def model_modules(project) -> list:
    """The modules cog imports for the model's entries (``run``/``predict`` and ``train``) and every
    local module they import, in discovery order, each once."""
    from pipelint.analysis.cog_entry import COG_KEYS

    out, seen = [], set()
    for key in COG_KEYS:
        ref = project.ref(key)
        if ref is None or ref.path is None or not project.inside(ref.path):
            continue
        first = project.module(ref.path)
        if first is None:
            continue
        for m in project.modules_from(first):
            if id(m) not in seen and m.tree is not None:
                seen.add(id(m))
                out.append(m)
    return out


def model_classes(project) -> list[T.ModelClass]:
    """Top-level ``cog.BaseModel`` and pydantic ``BaseModel`` subclasses of the model's modules
    (a base imported from another local module is followed)."""
    cache = _project_cache(project)
    if "classes" not in cache:
        import libcst as cst

        found = []
        for module in model_modules(project):
            resolver = T.resolver_for(project, module)
            for stmt in module.tree.body:
                if isinstance(stmt, cst.ClassDef):
                    mc = resolver.model_class(stmt)
                    flavor = mc.flavor if mc.flavor != "unknown" else _imported_flavor(project, mc)
                    if flavor in ("cog", "pydantic"):
                        cache.setdefault("flavor", {})[id(mc)] = flavor
                        found.append(mc)
        cache["classes"] = found
    return cache["classes"]


def flavor(project, model: T.ModelClass) -> str | None:
    """"cog" or "pydantic" for a class of ``model_classes``; the type model's answer otherwise."""
    model_classes(project)
    return _project_cache(project).get("flavor", {}).get(id(model), model.flavor)


def _project_cache(project) -> dict:
    # kept on the project: a project (and its modules) are fresh each lint
    holder = project.__dict__.get("_pipelint_output_models")
    if holder is None:
        holder = project.__dict__["_pipelint_output_models"] = {}
    return holder


def _imported_flavor(project, model: T.ModelClass, depth: int = 0) -> str | None:
    """The flavor of a class whose first deciding base is imported from a local module."""
    import libcst as cst

    if depth > 10 or model.base is None:
        return None
    target = imported_class(project, module_of(model), model.base)
    if target is None:
        return None
    module, classdef = target
    mc = T.resolver_for(project, module).model_class(classdef)
    if mc.flavor in ("cog", "pydantic"):
        return mc.flavor
    if mc.flavor == "unknown" and isinstance(classdef, cst.ClassDef):
        return _imported_flavor(project, mc, depth + 1)
    return None


def imported_class(project, module, expr):
    """(module, ClassDef) for a name bound by ``from <local module> import Name [as N]`` in ``module``
    (re-exports through further local modules followed)."""
    name = T.dotted_name(expr)
    if not name or "." in name:
        return None
    for _ in range(10):
        hit = _binding_import(module, name)
        if hit is None:
            return None
        target_path, original = hit
        target = project.module(target_path) if target_path is not None else None
        if target is None or target.tree is None:
            return None
        classdef = _toplevel_class(target, original)
        if classdef is not None:
            return target, classdef
        module, name = target, original  # a re-export: follow it one module further
    return None


def _binding_import(module, name: str):
    """(file of the local module, original name) of the last top-level ``from m import x as name``."""
    import libcst as cst

    from pipelint.model.imports import _module_files, dotted

    found = None
    for stmt in module.tree.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                continue
            for alias in small.names:
                original = dotted(alias.name)
                if (alias.evaluated_alias or original) == name:
                    found = (small, original)
    if found is None:
        return None
    imp, original = found
    level = len(imp.relative)
    parts = [p for p in dotted(imp.module).split(".") if p] if imp.module is not None else []
    if level:
        package = module.name if module.is_package else module.name.rpartition(".")[0]
        base = package.split(".") if package else []
        if level - 1 > len(base):
            return None
        parts = base[: len(base) - (level - 1)] + parts
    root = module.source.path.parent
    for _ in module.name.split(".")[:-1] if not module.is_package else module.name.split("."):
        root = root.parent
    files = _module_files(root, parts) if parts else []
    return (files[0] if files else None), original


def _toplevel_class(module, name: str):
    import libcst as cst

    found = None
    for stmt in module.tree.body:
        if isinstance(stmt, cst.ClassDef) and stmt.name.value == name:
            found = stmt
    return found


# ---- the dataclass cog makes of a cog.BaseModel ---------------------------------------------
def class_keyword(model: T.ModelClass, name: str):
    for arg in model.node.bases + model.node.keywords:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _is_true(expr) -> bool:
    import libcst as cst

    return isinstance(expr, cst.Name) and expr.value == "True"


def _is_false(expr) -> bool:
    import libcst as cst

    return isinstance(expr, cst.Name) and expr.value == "False"


def is_dataclass_model(project, model: T.ModelClass) -> bool:
    """A ``cog.BaseModel`` subclass that cog turns into a dataclass (not ``auto_dataclass=False``)."""
    return flavor(project, model) == "cog" and not _is_false(class_keyword(model, "auto_dataclass"))


def is_kw_only(model: T.ModelClass) -> bool:
    return _is_true(class_keyword(model, "kw_only"))


def dataclass_fields(project, model: T.ModelClass, depth: int = 0) -> list[DataField]:
    """The dataclass fields of a cog model class: those of a local cog base first (same module or
    imported from a local module), then its own; a redefined field keeps its first place."""
    import libcst as cst

    inherited: list[DataField] = []
    if depth < 10 and model.base is not None:
        base = _base_model_class(project, model)
        if base is not None and flavor(project, base) == "cog":
            inherited = dataclass_fields(project, base, depth + 1)
    own = []
    for f in model.fields:
        if f.type.kind == T.OTHER and f.type.qualified in ("typing.ClassVar", "typing.KW_ONLY", "dataclasses.KW_ONLY"):
            continue
        if f.type.qualified in ("dataclasses.KW_ONLY",):
            continue
        value = f.node.value
        has_default, mutable = value is not None, False
        if isinstance(value, cst.Call) and model.resolver.qualified_names(value.func) & FIELD_FUNCTIONS:
            kws = {a.keyword.value: a.value for a in value.args if a.keyword is not None}
            has_default = "default" in kws or "default_factory" in kws
            mutable = "default" in kws and _mutable(model.resolver, kws["default"])
        elif value is not None:
            mutable = _mutable(model.resolver, value)
        own.append(DataField(f, model, has_default, mutable))
    out = list(inherited)
    for d in own:
        at = next((i for i, x in enumerate(out) if x.name == d.name), None)
        if at is None:
            out.append(d)
        else:
            out[at] = d
    return out


def _base_model_class(project, model: T.ModelClass):
    import libcst as cst

    resolver = model.resolver
    name = T.dotted_name(model.base)
    classes = [n for n in resolver.toplevel.get(name or "", []) if isinstance(n, cst.ClassDef)]
    if classes and classes[-1] is not model.node:
        return resolver.model_class(classes[-1])
    target = imported_class(project, module_of(model), model.base)
    if target is not None:
        return T.resolver_for(project, target[0]).model_class(target[1])
    return None


def _mutable(resolver, value) -> bool:
    import libcst as cst

    if isinstance(value, (cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp)):
        return True
    if isinstance(value, cst.Call):
        try:
            names = resolver.qualified_names(value.func)
        except Exception:
            return False
        return bool(names & MUTABLE_CALLS)
    return False


# ---- pydantic API -----------------------------------------------------------------------------
def pydantic_config(model: T.ModelClass) -> list[PydanticConfig]:
    """``class Config:`` bodies and ``model_config = ConfigDict(...)`` / ``{...}`` in the class body."""
    import libcst as cst

    from pipelint.analysis.inputs import literal_value

    out = []
    body = model.node.body.body if isinstance(model.node.body, cst.IndentedBlock) else []
    for stmt in body:
        if isinstance(stmt, cst.ClassDef) and stmt.name.value == "Config":
            keys, complete = {}, True
            inner = stmt.body.body if isinstance(stmt.body, cst.IndentedBlock) else []
            for s in inner:
                if isinstance(s, cst.SimpleStatementLine):
                    for small in s.body:
                        if isinstance(small, cst.Assign) and len(small.targets) == 1 and \
                                isinstance(small.targets[0].target, cst.Name):
                            keys[small.targets[0].target.value] = small.value
                        elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                            keys[small.target.value] = small.value
                        elif not isinstance(small, (cst.Pass, cst.Expr)):
                            complete = False
                else:
                    complete = False
            out.append(PydanticConfig(stmt, keys, complete))
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                target = small.targets[0].target if isinstance(small, cst.Assign) and len(small.targets) == 1 else \
                    small.target if isinstance(small, cst.AnnAssign) else None
                if isinstance(target, cst.Name) and target.value == "model_config":
                    keys, complete = {}, True
                    value = small.value
                    if isinstance(value, cst.Call):
                        for a in value.args:
                            if a.keyword is not None:
                                keys[a.keyword.value] = a.value
                            else:
                                complete = False
                    elif isinstance(value, cst.Dict):
                        for el in value.elements:
                            key = literal_value(el.key) if isinstance(el, cst.DictElement) else None
                            if isinstance(key, str):
                                keys[key] = el.value
                            else:
                                complete = False
                    else:
                        complete = False
                    out.append(PydanticConfig(stmt, keys, complete))
    return out


def arbitrary_types_allowed(model: T.ModelClass) -> bool:
    """``arbitrary_types_allowed=True`` in ``class Config``, ``model_config`` or the class keywords."""
    if _is_true(class_keyword(model, "arbitrary_types_allowed")):
        return True
    return any(_is_true(c.keys.get("arbitrary_types_allowed")) for c in pydantic_config(model))


def validators(model: T.ModelClass) -> list:
    """(decorator, name) of pydantic validators/serializers on methods of the class body."""
    import libcst as cst

    out = []
    body = model.node.body.body if isinstance(model.node.body, cst.IndentedBlock) else []
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef):
            for d in stmt.decorators:
                expr = d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator
                try:
                    names = model.resolver.qualified_names(expr)
                except Exception:
                    names = set()
                hit = names & PYDANTIC_VALIDATORS
                if hit:
                    out.append((d, sorted(hit)[0].rsplit(".", 1)[-1]))
    return out


def pydantic_fields(model: T.ModelClass) -> list:
    """(Field, Call) for each field whose default is pydantic's ``Field(...)``."""
    import libcst as cst

    out = []
    for f in model.fields:
        v = f.node.value
        if isinstance(v, cst.Call):
            try:
                names = model.resolver.qualified_names(v.func)
            except Exception:
                names = set()
            if names & PYDANTIC_FIELDS:
                out.append((f, v))
    return out


def cog_type_fields(model: T.ModelClass) -> list:
    """(Field, PyType part, name) for each field whose type holds a cog type (Path, File, Secret, URLPath)."""
    out = []
    for f in model.fields:
        for part in f.type.parts():
            name = COG_TYPES.get(part.qualified)
            if name is not None:
                out.append((f, part, name))
                break
    return out


def pydantic_api_uses(project, model: T.ModelClass) -> list:
    """(module, Attribute node, attribute name) for pydantic-only attributes read on ``model`` or on its
    instances: ``self.dict()`` in its methods, ``Output(...).json()``, ``out = Output(...); out.dict()``,
    ``out: Output`` then ``out.dict()`` (within one function), ``Output.parse_obj(...)``."""
    import libcst as cst

    hits = []
    for module in model_modules(project):
        resolver = T.resolver_for(project, module)
        names = _names_for(project, module, model)
        if not names:
            continue

        def is_model(expr, _names=names):
            if isinstance(expr, cst.Name) and expr.value in _names:
                return True
            return False

        class Finder(cst.CSTVisitor):
            def __init__(self, module):
                self.module = module
                self.instances: list[set] = [set()]
                self.in_class: list[bool] = [False]

            def visit_ClassDef(self, node):
                self.in_class.append(node is model.node)
                self.instances.append(set())

            def leave_ClassDef(self, node):
                self.in_class.pop()
                self.instances.pop()

            def visit_FunctionDef(self, node):
                inst = set()
                if self.in_class[-1] and node.params.params:
                    inst.add(node.params.params[0].name.value)  # self
                for p in (*node.params.params, *node.params.kwonly_params):
                    if p.annotation is not None and is_model(p.annotation.annotation):
                        inst.add(p.name.value)
                self.instances.append(inst)
                self.in_class.append(False)

            def leave_FunctionDef(self, node):
                self.instances.pop()
                self.in_class.pop()

            def visit_Assign(self, node):
                if isinstance(node.value, cst.Call) and is_model(node.value.func):
                    for t in node.targets:
                        if isinstance(t.target, cst.Name):
                            self.instances[-1].add(t.target.value)

            def visit_AnnAssign(self, node):
                if isinstance(node.target, cst.Name) and (
                        is_model(node.annotation.annotation)
                        or isinstance(node.value, cst.Call) and is_model(node.value.func)):
                    self.instances[-1].add(node.target.value)

            def visit_Attribute(self, node):
                attr = node.attr.value
                if attr not in PYDANTIC_API:
                    return
                v = node.value
                if (isinstance(v, cst.Call) and is_model(v.func)) or is_model(v) or \
                        (isinstance(v, cst.Name) and v.value in self.instances[-1]):
                    hits.append((self.module, node, attr))

        try:
            from pipelint.model.walk import walk  # libcst's visit, without rebuilding the tree
            walk(module.tree, Finder(module))
        except RecursionError:
            continue
        del resolver
    return hits


def _names_for(project, module, model: T.ModelClass) -> set[str]:
    """Local names under which ``module`` knows ``model``: its own name where it is defined, the
    names ``from <local module> import`` binds to it elsewhere."""
    import libcst as cst

    if module is module_of(model):
        return {model.name}
    out = set()
    for stmt in module.tree.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    bound = alias.evaluated_alias or T.dotted_name(alias.name)
                    if bound and "." not in bound:
                        target = imported_class(project, module, cst.Name(bound))
                        if target is not None and target[1] is model.node:
                            out.add(bound)
    return out


def output_classes(project) -> list[T.ModelClass]:
    """Classes an entry returns (directly, or as the element of a list/iterator), followed into the
    local module that defines them."""
    from pipelint.analysis.cog_entry import COG_KEYS, cog_entry

    out = []
    for key in COG_KEYS:
        e = cog_entry(project, key) if key != "predict" or project.ref("run") is None else None
        if e is None or e.returns is None:
            continue
        for part in e.returns.parts():
            mc = part.model if part.kind == T.MODEL else None
            if mc is None and part.kind == T.UNKNOWN:
                target = imported_class(project, e.module, part.source)
                mc = T.resolver_for(project, target[0]).model_class(target[1]) if target else None
            if mc is not None and mc not in out:
                out.append(mc)
    return out
