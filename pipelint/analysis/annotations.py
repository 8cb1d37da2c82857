"""The type-annotation model: one place that turns an annotation into a normalised type.

Every PL3/PL4 rule asks this module what an annotation means; none of them looks at names.
Names are resolved with libcst's qualified names (imports, aliases, ``typing.`` prefixes),
string annotations are parsed and resolved in the scope they appear in, and module-level
type aliases (``Alias = Optional[str]``, ``Alias: TypeAlias = …``, ``type Alias = …``) and
local classes are followed wherever they are defined in the module.

The result is a small algebra (``PyType``): scalar, path, secret, file, list, optional,
dict, any, model (a local class), iterator, none, union, other, unknown. Each part keeps the
node it came from: ``node`` is where to point a diagnostic (the part as written, or the
alias name / string literal at the use site), ``source`` the expression it was read from,
``written`` whether ``source`` is that very text in the file (so a fix may edit it).
"""

from __future__ import annotations

import weakref
from functools import cached_property

from pipelint.core.records import Record
from pipelint.model.literals import evaluated

SCALAR = "scalar"
PATH = "path"
SECRET = "secret"
FILE = "file"
LIST = "list"
OPTIONAL = "optional"
DICT = "dict"
ANY = "any"
MODEL = "model"  # a class defined in the module (a BaseModel or not: see ModelClass.flavor)
ITERATOR = "iterator"
NONE = "none"
UNION = "union"  # two or more real types (None already split off into OPTIONAL)
OTHER = "other"  # a type the runtime does not know: tuple, set, Literal, datetime, a third-party class …
UNKNOWN = "unknown"  # cannot tell statically (an imported local class, an undefined name, odd syntax)

SCALARS = {"builtins.str": "str", "builtins.int": "int", "builtins.float": "float", "builtins.bool": "bool"}
PATHS = {"cog.Path", "cog.types.Path", "coglet.api.Path", "pathlib.Path", "os.PathLike"}
SECRETS = {"cog.Secret", "cog.types.Secret", "coglet.api.Secret"}
FILES = {"cog.File", "cog.types.File"}
LISTS = {"builtins.list": "list", "typing.List": "List"}
DICTS = {"builtins.dict", "typing.Dict", "typing.Mapping", "typing.MutableMapping", "collections.abc.Mapping",
         "collections.abc.MutableMapping", "collections.OrderedDict", "collections.defaultdict", "typing.DefaultDict",
         "typing.OrderedDict"}
ANYS = {"typing.Any"}
OPTIONALS = {"typing.Optional"}
UNIONS = {"typing.Union"}
ITERATORS = {
    "typing.Iterator": "Iterator",
    "collections.abc.Iterator": "Iterator",
    "typing.AsyncIterator": "AsyncIterator",
    "collections.abc.AsyncIterator": "AsyncIterator",
    "cog.ConcatenateIterator": "ConcatenateIterator",
    "cog.types.ConcatenateIterator": "ConcatenateIterator",
    "coglet.api.ConcatenateIterator": "ConcatenateIterator",
    "cog.AsyncConcatenateIterator": "AsyncConcatenateIterator",
    "cog.types.AsyncConcatenateIterator": "AsyncConcatenateIterator",
    "coglet.api.AsyncConcatenateIterator": "AsyncConcatenateIterator",
}
COG_BASE_MODELS = {"cog.BaseModel", "cog.types.BaseModel", "coglet.api.BaseModel"}
PYDANTIC_BASE_MODELS = {"pydantic.BaseModel", "pydantic.main.BaseModel", "pydantic.v1.BaseModel",
                        "pydantic.v1.main.BaseModel"}
# Modules whose names are spelt differently but mean the same typing construct.
_MODULE_SYNONYMS = (("typing_extensions.", "typing."), ("coglet.api.", "cog."), ("cog.types.", "cog."))
_MAX_DEPTH = 20


class PyType(Record, eq=False):
    kind: str
    node: object  # where to report this part (always a node of the module's tree)
    source: object  # the expression it was read from (in the tree, an alias, or a parsed string)
    written: bool  # ``source`` is ``node``: the part is spelt right here, so a fix may edit it
    name: str  # scalar: str/int/float/bool; iterator: its kind; other: a display name
    args: tuple[PyType, ...]
    spelling: str  # optional/union: "pep604" (X | None), "Optional" or "Union"; list: "list" or "List"
    qualified: str  # the qualified name of the head, when there is one
    model: ModelClass | None

    def __init__(
        self,
        kind: str,
        node: object,
        source: object,
        written: bool = True,
        name: str = "",
        args: tuple[PyType, ...] = (),
        spelling: str = "",
        qualified: str = "",
        model: ModelClass | None = None,
    ) -> None:
        self.kind = kind
        self.node = node
        self.source = source
        self.written = written
        self.name = name
        self.args = args
        self.spelling = spelling
        self.qualified = qualified
        self.model = model

    @property
    def inner(self) -> PyType | None:
        """The element of a list/iterator, the type inside an Optional."""
        return self.args[0] if self.args else None

    @property
    def is_async_iterator(self) -> bool:
        return self.kind == ITERATOR and self.name.startswith("Async")

    @property
    def is_concatenate(self) -> bool:
        return self.kind == ITERATOR and self.name.endswith("ConcatenateIterator")

    def parts(self):
        """This part and every part inside it."""
        yield self
        for a in self.args:
            yield from a.parts()


class Field(Record, eq=False):
    name: str
    node: object  # the AnnAssign statement
    target: object  # the Name of the field
    annotation: object  # the annotation expression
    type: PyType

    def __init__(self, name: str, node: object, target: object, annotation: object, type: PyType) -> None:
        self.name = name
        self.node = node
        self.target = target
        self.annotation = annotation
        self.type = type


class ModelClass(Record, eq=False, hidden=("resolver",)):
    """A class defined at the top level of a module (the annotation's own, or with a following
    resolver a local module it is imported from), as an output type sees it."""

    node: object  # the ClassDef
    resolver: TypeResolver
    flavor: str | None  # "cog" (cog.BaseModel), "pydantic", None (a plain class), "unknown"
    base: object  # the base expression that decides the flavor

    def __init__(
        self,
        node: object,
        resolver: TypeResolver,
        flavor: str | None = None,
        base: object = None,
    ) -> None:
        self.node = node
        self.resolver = resolver
        self.flavor = flavor
        self.base = base

    @property
    def name(self) -> str:
        return self.node.name.value

    @property
    def module(self):
        """The pipelint PythonModule that defines the class (its nodes are that module's)."""
        return self.resolver.module

    @cached_property
    def fields(self) -> list[Field]:
        """Annotated class attributes, in order (what cog reads from ``__annotations__``)."""
        import libcst as cst

        out = []
        for stmt in self.node.body.body if isinstance(self.node.body, cst.IndentedBlock) else []:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    ann = small.annotation.annotation
                    out.append(Field(small.target.value, small, small.target, ann, self.resolver.of(ann)))
        return out


def _normalise(qualified: str) -> str:
    for prefix, replacement in _MODULE_SYNONYMS:
        if qualified.startswith(prefix):
            return replacement + qualified[len(prefix):]
    return qualified


def dotted_name(node) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, None when it is not one (see ``pipelint.model.imports.dotted``)."""
    from pipelint.model.imports import dotted

    return dotted(node) or None


class TypeResolver:
    """Resolves annotations of one module. Build it with ``resolver_for(module, project)``."""

    def __init__(self, module, is_local_module=None, local_class=None):
        self.module = module
        # (resolver, qualified name) → the ClassDef a local module binds to the name, with its resolver;
        # None: a class from the model's own modules stays UNKNOWN
        self._local_class = local_class
        self.tree = module.tree
        module.resolve(("qualified_name", "scope"))
        self._scopes = module.metadata("scope")
        self._is_local_module = is_local_module or (lambda name: False)
        self._models: dict[object, ModelClass] = {}
        self._cache: dict[object, PyType] = {}  # by annotation node (libcst nodes hash by identity)

    # ---- module facts ------------------------------------------------------------------
    @cached_property
    def toplevel(self) -> dict[str, list]:
        """Top-level bindings that can name a type: classes and assigned values (type aliases)."""
        import libcst as cst

        from pipelint.model.imports import _sub_blocks

        found: dict[str, list] = {}

        def block(stmts):
            for stmt in stmts:
                if isinstance(stmt, cst.ClassDef):
                    found.setdefault(stmt.name.value, []).append(stmt)
                elif isinstance(stmt, cst.SimpleStatementLine):
                    for small in stmt.body:
                        if isinstance(small, cst.Assign) and small.value is not None:
                            for t in small.targets:
                                if isinstance(t.target, cst.Name):
                                    found.setdefault(t.target.value, []).append(small.value)
                        elif isinstance(small, cst.AnnAssign) and small.value is not None and isinstance(
                                small.target, cst.Name):
                            found.setdefault(small.target.value, []).append(small.value)
                        elif isinstance(small, cst.TypeAlias):
                            found.setdefault(small.name.value, []).append(small.value)
                elif isinstance(stmt, (cst.If, cst.Try, cst.With)):
                    for sub in _sub_blocks(stmt):
                        block(sub)

        block(self.tree.body)
        return found

    @cached_property
    def uses_pep604(self) -> bool:
        """Does any annotation of the module spell a union with ``|``?"""
        import libcst as cst

        hit = []

        class Finder(cst.CSTVisitor):
            def visit_Annotation(self, node) -> bool:
                if not hit and _has_bitor(node.annotation):
                    hit.append(node)
                return False

        from pipelint.model.walk import walk  # libcst's visit, without rebuilding the tree
        walk(self.tree, Finder())
        return bool(hit)

    def qualified_names(self, node, scope=None) -> set[str]:
        """Qualified names of a Name/Attribute: from the tree's metadata, or (for a node parsed out of a
        string annotation) looked up in ``scope``."""
        if scope is None:
            value = self.module.meta("qualified_name", node)
            if value:
                return {_qualified_text(q) for q in value}
            # libcst links a name read before its definition (a forward reference) to nothing;
            # look the name up in its scope as a string annotation would be
            scope = self.scope_of(node)
            if scope is None:
                return set()
        dotted = dotted_name(node)
        if dotted is None:
            return set()
        try:
            return {_qualified_text(q) for q in scope.get_qualified_names_for(dotted)}
        except Exception:  # libcst raises on names it cannot split; such a name resolves to nothing
            return set()

    def scope_of(self, node):
        return self._scopes.get(node)

    # ---- types -------------------------------------------------------------------------
    def of(self, annotation) -> PyType:
        """The type an annotation expression (or a ``cst.Annotation``) denotes."""
        import libcst as cst

        if isinstance(annotation, cst.Annotation):
            annotation = annotation.annotation
        cached = self._cache.get(annotation)
        if cached is None:
            try:
                cached = self._resolve(annotation, annotation, None, True, 0, frozenset())
            except RecursionError:
                cached = PyType(UNKNOWN, annotation, annotation)
            self._cache[annotation] = cached
        return cached

    def model_class(self, classdef) -> ModelClass:
        m = self._models.get(classdef)
        if m is None:
            m = ModelClass(classdef, self)
            self._models[classdef] = m  # before reading the bases: classes may (wrongly) derive from each other
            m.flavor, m.base = self._flavor(classdef)
        return m

    def _flavor(self, classdef):
        """(flavor, the base that decides it): a cog or pydantic model, a plain class, or unknown when a
        base cannot be followed (a class from the model's own modules, an undefined name)."""
        import libcst as cst

        flavor, decided_by = None, None
        for arg in classdef.bases:
            if arg.keyword is not None:
                continue  # ``metaclass=…``
            names = {_normalise(q) for q in self.qualified_names(arg.value)}
            if names & COG_BASE_MODELS:
                return "cog", arg.value
            if names & PYDANTIC_BASE_MODELS:
                return "pydantic", arg.value
            local = [q for q in names if q in self.toplevel]
            classes = [n for n in self.toplevel[local[0]] if isinstance(n, cst.ClassDef)] if local else []
            if classes:
                inherited = self.model_class(classes[-1]).flavor if classes[-1] is not classdef else None
                if inherited in ("cog", "pydantic"):
                    return inherited, arg.value
                if inherited == "unknown":
                    flavor, decided_by = "unknown", arg.value
            elif self._local_class is not None and (found := self._imported_class(names)) is not None:
                inherited = found.flavor
                if inherited in ("cog", "pydantic"):
                    return inherited, arg.value
                if inherited == "unknown":
                    flavor, decided_by = "unknown", arg.value
            elif not names or any(self._is_local_module(q.split(".")[0]) for q in names):
                flavor, decided_by = "unknown", arg.value
            # any other base (object, Exception, a stdlib or third-party class) leaves it a plain class
        return flavor, decided_by

    def _imported_class(self, names) -> ModelClass | None:
        """The ModelClass a local module binds to one of the qualified ``names``, or None."""
        for q in sorted(names):
            found = self._local_class(self, q)
            if found is not None:
                resolver, classdef = found
                return resolver.model_class(classdef)
        return None

    def _resolve(self, expr, node, scope, written, depth, aliases) -> PyType:
        import libcst as cst

        def make(kind, **kw):
            return PyType(kind, node if not written else expr, expr, written, **kw)

        if depth > _MAX_DEPTH:
            return make(UNKNOWN)

        def sub(child):
            # a part spelt inside this one: report at it when it is written here
            return self._resolve(child, child if written else node, scope, written, depth + 1, aliases)

        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
            text = evaluated(expr)
            if not isinstance(text, str):
                return make(UNKNOWN)
            from pipelint.model.python import parse_expression

            parsed = parse_expression(text.strip())
            if parsed is None:  # an unparsable (or absurdly nested) string annotation: nothing to say about it
                return make(UNKNOWN)
            where = expr if written else node
            string_scope = scope if scope is not None else self.scope_of(expr)
            if string_scope is None:
                return make(UNKNOWN)
            return self._resolve(parsed, where, string_scope, False, depth + 1, aliases)

        if isinstance(expr, cst.Name) and expr.value == "None":
            return make(NONE, name="None")

        if isinstance(expr, (cst.Name, cst.Attribute)):
            return self._named(expr, node, scope, written, depth, aliases, make)

        if isinstance(expr, cst.Subscript):
            return self._subscript(expr, node, scope, written, depth, aliases, make, sub)

        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
            members = []
            _flatten_bitor(expr, members)
            return self._union([sub(m) for m in members], make, "pep604")

        return make(UNKNOWN)

    def _named(self, expr, node, scope, written, depth, aliases, make) -> PyType:
        import libcst as cst

        names = {_normalise(q) for q in self.qualified_names(expr, scope)}
        if not names:
            return make(UNKNOWN)
        for q in sorted(names):
            known = _known_name(q)
            if known is not None:
                kind, extra = known
                return make(kind, qualified=q, **extra)
        local = sorted(q for q in names if q in self.toplevel)
        if local:
            name = local[0]
            bindings = self.toplevel[name]
            last = bindings[-1]
            if isinstance(last, cst.ClassDef):
                return make(MODEL, name=name, qualified=name, model=self.model_class(last))
            if name in aliases:
                return make(UNKNOWN)  # a self-referencing alias
            alias_use = expr if written else node
            return self._resolve(last, alias_use, None, False, depth + 1, aliases | {name})
        imported = self._imported_class(names) if self._local_class is not None else None
        if imported is not None:
            return make(MODEL, name=imported.name, qualified=sorted(names)[0], model=imported)
        top = sorted(names)[0]
        if "." not in top or self._is_local_module(top.split(".")[0]):
            return make(UNKNOWN)  # a local name we cannot follow, or a class from the model's own modules
        # a class of the standard library or a third-party package: never a type cog knows
        return make(OTHER, name=top.rsplit(".", 1)[-1], qualified=top)

    def _subscript(self, expr, node, scope, written, depth, aliases, make, sub) -> PyType:
        import libcst as cst

        head = self._resolve(expr.value, expr.value if written else node, scope, written, depth + 1, aliases)
        elements = []
        for el in expr.slice:
            if not isinstance(el.slice, cst.Index):
                return make(UNKNOWN)
            elements.append(el.slice.value)
        q = head.qualified
        if head.kind == UNKNOWN:
            return make(UNKNOWN)
        if q in OPTIONALS:
            if len(elements) != 1:
                return make(UNKNOWN)
            return self._union([sub(elements[0]), PyType(NONE, head.node, expr.value, written)], make, "Optional")
        if q in UNIONS:
            return self._union([sub(e) for e in elements], make, "Union")
        if head.kind == LIST and not head.args:
            if len(elements) != 1:
                return make(OTHER, name=head.spelling or "list", qualified=q)
            return make(LIST, args=(sub(elements[0]),), spelling=head.spelling, qualified=q)
        if head.kind == DICT:
            return make(DICT, args=tuple(sub(e) for e in elements), qualified=q, name=head.name)
        if head.kind == ITERATOR and not head.args:
            if len(elements) != 1:
                return make(UNKNOWN)
            return make(ITERATOR, name=head.name, args=(sub(elements[0]),), qualified=q)
        if q in ("typing.Literal", "typing.Annotated"):
            # Literal's arguments are values and Annotated's extras metadata: neither is a type to read
            return make(OTHER, name=head.name, qualified=q)
        if head.kind == OTHER:
            return make(OTHER, name=head.name, qualified=q, args=tuple(sub(e) for e in elements))
        if head.kind == MODEL:
            return make(OTHER, name=head.name, qualified=q)
        return make(UNKNOWN)

    def _union(self, members: list[PyType], make, spelling: str) -> PyType:
        flat: list[PyType] = []
        for m in members:
            if m.kind == UNION:
                flat += list(m.args)
            elif m.kind == OPTIONAL:
                flat += [m.args[0], PyType(NONE, m.node, m.source, m.written)]
            else:
                flat.append(m)
        real = [m for m in flat if m.kind != NONE]
        has_none = len(real) < len(flat)
        if not real:
            return make(NONE, name="None")
        unions = [m for m in members if m.kind == UNION]
        if len(unions) == 1 and tuple(real) == unions[0].args:
            inner = unions[0]  # ``Optional[Union[a, b]]``: keep the union as it is spelt
        elif len(real) == 1:
            inner = real[0]
        else:
            inner = make(UNION, args=tuple(real), spelling=spelling)
        if not has_none:
            return inner
        return make(OPTIONAL, args=(inner,), spelling=spelling)


def _qualified_text(q) -> str:
    return q.name


def _known_name(q: str):
    if q in SCALARS:
        return SCALAR, {"name": SCALARS[q]}
    if q in PATHS:
        return PATH, {"name": "Path"}
    if q in SECRETS:
        return SECRET, {"name": "Secret"}
    if q in FILES:
        return FILE, {"name": "File"}
    if q in LISTS:
        return LIST, {"spelling": LISTS[q], "name": LISTS[q]}
    if q in DICTS:
        return DICT, {"name": q.rsplit(".", 1)[-1]}
    if q in ANYS:
        return ANY, {"name": "Any"}
    if q in ITERATORS:
        return ITERATOR, {"name": ITERATORS[q]}
    if q in OPTIONALS or q in UNIONS:
        return OTHER, {"name": q.rsplit(".", 1)[-1]}  # bare ``Optional``: only meaningful subscripted
    if q == "builtins.None":
        return NONE, {"name": "None"}
    if q.startswith("builtins."):
        return OTHER, {"name": q[len("builtins."):]}
    return None


def _flatten_bitor(expr, out: list) -> None:
    import libcst as cst

    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
        _flatten_bitor(expr.left, out)
        _flatten_bitor(expr.right, out)
    else:
        out.append(expr)


def _has_bitor(expr) -> bool:
    import libcst as cst

    if isinstance(expr, cst.BinaryOperation):
        return isinstance(expr.operator, cst.BitOr) or _has_bitor(expr.left) or _has_bitor(expr.right)
    if isinstance(expr, cst.Subscript):
        return any(isinstance(e.slice, cst.Index) and _has_bitor(e.slice.value) for e in expr.slice)
    return False


def resolver_for(project, module, follow_local: bool = False) -> TypeResolver:
    """The resolver of a module, built once (a project's modules are fresh each lint).

    With ``follow_local``, a class imported from a local module of the project (``from
    helpers.schema import Result``, or re-exported by ``helpers/__init__.py``) resolves to that
    module's class (a MODEL whose ``ModelClass.module`` is the defining module); without it, such a
    class is UNKNOWN."""
    key = "pipelint.analysis.annotations" + ("+follow" if follow_local else "")
    resolver = module.facts.get(key)
    if resolver is None:
        resolver = module.facts[key] = TypeResolver(module, _local_module_test(project),
                                                    _local_class_finder(project) if follow_local else None)
    return resolver


_MAX_HOPS = 8  # re-exports of re-exports followed at most this deep (cycles end)


def _local_class_finder(project):
    ref = weakref.ref(project)

    def find(resolver, qualified: str):
        p = ref()
        return _local_class(p, resolver, qualified, 0) if p is not None else None

    return find


def _local_class(project, resolver, qualified: str, hops: int):
    """(resolver of the defining module, ClassDef) for a qualified name that a local module of
    ``project`` binds to a top-level class (``helpers.schema.Result``; ``.schema.Result`` relative
    to ``resolver``'s module; a re-export by an ``import`` is followed), or None."""
    import libcst as cst

    from pipelint.model.imports import ImportRef, resolve_local

    if hops > _MAX_HOPS:
        return None
    level = len(qualified) - len(qualified.lstrip("."))
    module_part, _, attribute = qualified[level:].rpartition(".")
    if not attribute or (not module_part and not level):
        return None
    if not level and module_part.partition(".")[0] not in project.local_modules:
        return None
    here = resolver.module
    package = here.name if here.is_package else here.name.rpartition(".")[0]
    try:
        files = resolve_local(project.root, package, ImportRef(None, module_part, level, ()))
    except (OSError, ValueError):
        return None
    if not files:
        return None
    target = project.module(files[-1])  # the deepest: `a.b` → a/b.py or a/b/__init__.py
    if target is None or target.tree is None or target is here:
        return None
    other = resolver_for(project, target, follow_local=True)
    bindings = other.toplevel.get(attribute)
    if bindings:
        last = bindings[-1]
        return (other, last) if isinstance(last, cst.ClassDef) else None
    scope = target.meta("scope", target.tree)
    if scope is None:
        return None
    try:
        names = {_qualified_text(q) for q in scope.get_qualified_names_for(attribute)}
    except Exception:  # libcst raises on names it cannot split
        return None
    for name in sorted(names):
        if name != attribute:
            found = _local_class(project, other, name, hops + 1)
            if found is not None:
                return found
    return None


def _local_module_test(project):
    # a weak reference: the module (held by the project) must not keep the project alive
    ref = weakref.ref(project)

    def is_local(name: str) -> bool:
        p = ref()
        return bool(name) and p is not None and (p.exists(f"{name}.py") or p.exists(f"{name}/__init__.py"))

    return is_local
