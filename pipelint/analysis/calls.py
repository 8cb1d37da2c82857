"""``use()`` call sites and model bindings: what the PL5 rules know about calling other models.

``facts(module)`` walks a module once (the result is kept in ``module.facts``) and finds:

* every ``use()`` call, whatever the spelling (``replicate.use``, ``r.use`` after
  ``import replicate as r``, ``use``/``u`` after ``from replicate import use [as u]``, and the
  ``cog.use`` stub), resolved with libcst's qualified names, with the scope it is in. A name
  bound by an assignment (``use = replicate.use``, ``u = r.use``) is followed through libcst's
  scope analysis (every assignment that reaches the call must be such a value), and a name a
  local module exports (``helpers/__init__.py: from replicate import use``; ``from helpers
  import use`` or ``helpers.use``) through that module's own global scope;
* the names bound to ``use()`` results (``flux = replicate.use(...)``, tuple unpacking), the
  runs started from them (``run = flux.create(...)``) and the outputs they return;
* every call of such a model (``flux(...)``, ``flux.create(...)``, ``use("a/b")(...)``), whether
  it runs when the module is imported, and the signature it should match (a ``hint=`` function
  or the ``__call__`` of a typed class passed to ``use()``).

A name counts as a model only when every assignment that can reach the place it is used is a
``use()`` result (libcst's scope analysis), so a reassigned name is never guessed at.
"""

from __future__ import annotations

import functools
import re

from pipelint.analysis.inputs import UNKNOWN, literal_value
from pipelint.core.records import Record
from pipelint.model.imports import dotted as _dotted
from pipelint.model.literals import evaluated

USE_FUNCTIONS = ("replicate.use", "cog.use")
USE_OPTIONS = ("hint", "streaming", "use_async")
# Attributes a model's output can have whatever it is: str, int, float, bool, None, list, dict,
# an awaitable of those, or replicate's OutputIterator and URLPath (their public attributes, from
# replicate 1.1.0b2's use.py). Anything else on an output is an AttributeError at run time.
_OUTPUT_EXTRA_ATTRIBUTES = {"iterator_factory", "async_iterator_factory", "schema", "is_concatenate", "is_integer",
                            "send", "throw", "close"}


class Signature(Record):
    """The inputs a model call should pass, from a ``hint=`` function or a typed class's ``__call__``."""

    source: str  # "hint function `hint`", "`FluxDev.__call__`"
    node: object  # the FunctionDef
    accepted: frozenset[str]
    required: tuple[str, ...]
    in_order: tuple[str, ...]  # the parameters a positional argument would fill, in order
    any_keyword: bool  # the signature has **kwargs

    def __init__(
        self,
        source: str,
        node: object,
        accepted: frozenset[str],
        required: tuple[str, ...],
        in_order: tuple[str, ...],
        any_keyword: bool,
    ) -> None:
        self.source = source
        self.node = node
        self.accepted = accepted
        self.required = required
        self.in_order = in_order
        self.any_keyword = any_keyword


class UseCall(Record):
    node: object  # cst.Call
    function: str  # "replicate.use" or "cog.use"
    spelling: str  # as written: "replicate.use", "r.use", "use"
    scope: str | None  # None at module scope, else "function", "class" or "lambda" (the innermost)
    scope_name: str | None  # the innermost def/class name, for messages
    enclosing_def: object | None  # the innermost FunctionDef
    top_statement: object  # the module-level statement that contains the call
    statement: object | None  # the SimpleStatementLine when the call is the value of `NAME = use(...)`
    target: object | None  # that NAME (a cst.Name)
    positional: list  # positional cst.Args
    options: dict  # keyword → cst.Arg
    signature: Signature | None

    def __init__(
        self,
        node: object,
        function: str,
        spelling: str,
        scope: str | None,
        scope_name: str | None,
        enclosing_def: object | None,
        top_statement: object,
        statement: object | None,
        target: object | None,
        positional: list | None = None,
        options: dict | None = None,
        signature: Signature | None = None,
    ) -> None:
        self.node = node
        self.function = function
        self.spelling = spelling
        self.scope = scope
        self.scope_name = scope_name
        self.enclosing_def = enclosing_def
        self.top_statement = top_statement
        self.statement = statement
        self.target = target
        self.positional = [] if positional is None else positional
        self.options = {} if options is None else options
        self.signature = signature

    @property
    def ref_node(self):
        return self.positional[0].value if self.positional and not self.positional[0].star else None

    @property
    def ref(self) -> str | None:
        """The model reference when it is a plain string literal (what cog's analysis accepts)."""
        return literal_string(self.ref_node)

    def flag(self, option: str) -> bool | None:
        """A literal True/False ``streaming=`` / ``use_async=``; False when absent; None when unknown."""
        arg = self.options.get(option)
        if arg is None:
            return False
        value = literal_value(arg.value)
        return value if isinstance(value, bool) else None


class ModelCall(Record):
    node: object  # cst.Call
    use: UseCall
    method: str | None  # None for `model(...)`, "create" for `model.create(...)`
    import_time: bool  # runs when the module is imported

    def __init__(self, node: object, use: UseCall, method: str | None, import_time: bool) -> None:
        self.node = node
        self.use = use
        self.method = method
        self.import_time = import_time

    @property
    def positional(self) -> list:
        return [a for a in self.node.args if a.keyword is None and a.star != "**"]


class ModelFacts(Record):
    uses: list[UseCall]
    calls: list[ModelCall]
    output_attributes: list[tuple[object, ModelCall]]  # (cst.Attribute, the call)
    cog_use_imports: list[tuple[object, object, object]]  # (line, ImportFrom, alias)

    def __init__(
        self,
        uses: list[UseCall] | None = None,
        calls: list[ModelCall] | None = None,
        output_attributes: list[tuple[object, ModelCall]] | None = None,
        cog_use_imports: list[tuple[object, object, object]] | None = None,
    ) -> None:
        self.uses = [] if uses is None else uses
        self.calls = [] if calls is None else calls
        self.output_attributes = [] if output_attributes is None else output_attributes
        self.cog_use_imports = [] if cog_use_imports is None else cog_use_imports


def facts(module, project=None) -> ModelFacts:
    """The models of ``module`` (a pipelint PythonModule with a tree), computed once.

    With ``project``, a ``use`` re-exported by a local module of the project is followed too."""
    if "models" not in module.facts:
        text = module.source.text or ""
        # Every spelling of use() writes the word `use` (aliases in their import or assignment),
        # unless it comes from a local module under another name: a module with neither has no
        # use() calls, and needs neither the walk nor qualified names.
        local_names = _local_from_imports(project, module) if project is not None else frozenset()
        wanted = module.tree is not None and (_USE_WORD.search(text) is not None or bool(local_names))
        module.facts["models"] = _analyse(module, _use_spellings(text) | local_names, project) if wanted \
            else ModelFacts()
    return module.facts["models"]


_USE_WORD = re.compile(r"\buse\b")
_ASSIGNED = re.compile(r"\b([A-Za-z_]\w*)\s*(?::[^=\n]*)?=\s*(?:[A-Za-z_][\w.]*\.)?([A-Za-z_]\w*)\s*$", re.M)


def _use_spellings(text: str) -> frozenset[str]:
    """Names a bare ``NAME(...)`` call of use() can have: ``use``, its ``use as NAME`` aliases and
    the names assigned one of those (``u = r.use``, ``v = u``). A cheap look: qualified names and
    scopes decide."""
    names = {"use", *re.findall(r"\buse\s+as\s+([A-Za-z_]\w*)", text)}
    pairs = _ASSIGNED.findall(text) if "=" in text else []
    grew = True
    while grew:
        grew = False
        for target, value in pairs:
            if value in names and target not in names:
                names.add(target)
                grew = True
    return frozenset(names)


def _local_from_imports(project, module) -> frozenset[str]:
    """Names bound by ``from <local module> import NAME [as ALIAS]`` in ``module``: they may be a
    re-exported use()."""
    import libcst as cst

    from pipelint.model.imports import small_statements

    if module.tree is None or "import" not in (module.source.text or ""):
        return frozenset()
    names = set()
    for node in small_statements(module.tree):
        if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            top = _dotted(node.module).partition(".")[0] if node.module is not None else ""
            if node.relative or top in project.local_modules:
                for alias in node.names:
                    bound = alias.asname.name if alias.asname is not None else alias.name
                    if isinstance(bound, cst.Name):
                        names.add(bound.value)
    return frozenset(names)


# ---- literals --------------------------------------------------------------------------------
def literal_string(node) -> str | None:
    """The value of a str literal without f-string parts (implicit concatenation included)."""
    import libcst as cst

    if isinstance(node, cst.SimpleString):
        value = evaluated(node)
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = literal_string(node.left), literal_string(node.right)
        return left + right if left is not None and right is not None else None
    return None


def is_literal(node) -> bool:
    """A literal value (``pipelint.analysis.inputs.literal_value``): a number, string, True/False/None, or a list or
    tuple of those."""
    return literal_value(node) is not UNKNOWN


# ---- the walk --------------------------------------------------------------------------------
class _Where(Record):
    scope: str | None
    scope_name: str | None
    enclosing_def: object | None
    top_statement: object
    deferred: bool  # inside a function or lambda body: does not run at import time

    def __init__(
        self,
        scope: str | None,
        scope_name: str | None,
        enclosing_def: object | None,
        top_statement: object,
        deferred: bool,
    ) -> None:
        self.scope = scope
        self.scope_name = scope_name
        self.enclosing_def = enclosing_def
        self.top_statement = top_statement
        self.deferred = deferred


class _Collector:
    def __init__(self, tree):
        self.tree = tree
        self.calls: list[tuple[object, _Where]] = []
        self.assigns: list[tuple[object, object, _Where]] = []  # (statement line, Assign/AnnAssign, where)
        self.attributes: list[tuple[object, _Where]] = []
        self.cog_use_imports: list = []

    def run(self) -> None:
        import libcst as cst

        if not _SCOPES:
            _SCOPES.update({cst.FunctionDef: "function", cst.ClassDef: "class", cst.Lambda: "lambda"})
        self.scopes: list[tuple[str, object]] = []
        self.deferred_bodies: set[int] = set()
        self.deferred = 0
        self.top = None
        self.line = None
        for stmt in self.tree.body:
            self.top = stmt
            self._walk(stmt, cst)

    def _where(self) -> _Where:
        kind, node = self.scopes[-1] if self.scopes else (None, None)
        defs = [n for k, n in self.scopes if k == "function"]
        name = getattr(getattr(node, "name", None), "value", None)
        return _Where(kind, name, defs[-1] if defs else None, self.top, self.deferred > 0)

    def _walk(self, node, cst) -> None:
        """Pre-order walk over the nodes that can matter (whitespace, operators and leaves are
        skipped): much cheaper than a libcst visitor, which rebuilds every node it passes."""
        kind = type(node)
        deferred = id(node) in self.deferred_bodies
        if deferred:
            self.deferred += 1
        scope = _SCOPES.get(kind)
        if scope is not None:
            self.scopes.append((scope, node))
            if kind is not cst.ClassDef:
                self.deferred_bodies.add(id(node.body))
        elif kind is cst.If:
            if is_main_guard(node.test):
                self.deferred_bodies.add(id(node.body))  # never runs when the runtime imports the module
        elif kind is cst.SimpleStatementLine:
            self.line = node
        elif kind is cst.SimpleStatementSuite:
            self.line = None  # `if x: a = use(...)`: not a line of its own
        elif kind is cst.Call:
            self.calls.append((node, self._where()))
        elif kind is cst.Assign or kind is cst.AnnAssign:
            if node.value is not None:
                self.assigns.append((self.line, node, self._where()))
        elif kind is cst.Attribute:
            self.attributes.append((node, self._where()))
        elif kind is cst.ImportFrom:
            if not node.relative and _dotted(node.module) == "cog" and not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    if _dotted(alias.name) == "use":
                        self.cog_use_imports.append((self.line, node, alias))

        for name in _child_fields(kind):
            value = getattr(node, name)
            value_type = type(value)
            if value_type is tuple or value_type is list:
                for item in value:
                    if _worth_walking(type(item)):
                        self._walk(item, cst)
            elif _worth_walking(value_type):
                self._walk(value, cst)

        if scope is not None:
            self.scopes.pop()
        if deferred:
            self.deferred -= 1
        if kind is cst.SimpleStatementLine:
            self.line = None


_SCOPES: dict = {}  # FunctionDef → "function", … (filled on first use: libcst is imported lazily)
_FIELDS: dict = {}
_WORTH: dict = {}


def _child_fields(kind) -> tuple[str, ...]:
    fields = _FIELDS.get(kind)
    if fields is None:
        import dataclasses

        fields = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return fields


def _worth_walking(kind) -> bool:
    """A node that may hold what the walk looks for: not whitespace, a token, a name or a literal."""
    worth = _WORTH.get(kind)
    if worth is None:
        # The classes' own bases, not issubclass(): libcst's bases are ABCs, and ABCMeta answers a
        # "no" by walking every subclass of the base, ~0.2 ms per node class on the first lint.
        # libcst registers no virtual subclasses, so the MRO is the whole answer
        # (tests/test_startup.py compares the two on every libcst class).
        bases = kind.__mro__
        worth = _WORTH[kind] = _cst_node() in bases and not any(b in _unworthy() for b in bases)
    return worth


def _cst_node():
    import libcst as cst

    return cst.CSTNode


@functools.lru_cache(maxsize=1)
def _unworthy() -> frozenset:
    import libcst as cst

    return frozenset((
        cst.BaseParenthesizableWhitespace, cst.EmptyLine, cst.TrailingWhitespace, cst.Newline, cst.Comment,
        cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp, cst.Comma, cst.Colon,
        cst.Dot, cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace,
        cst.RightCurlyBrace, cst.Semicolon, cst.AssignEqual, cst.ImportStar, cst.Name, cst.SimpleString,
        cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis, cst.Asynchronous))


def is_main_guard(test) -> bool:
    import libcst as cst

    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1):
        return False
    comp = test.comparisons[0]
    sides = [test.left, comp.comparator]
    return (isinstance(comp.operator, cst.Equal) and [s.value for s in sides if isinstance(s, cst.Name)] == ["__name__"]
            and [literal_string(s) for s in sides if not isinstance(s, cst.Name)] == ["__main__"])


# ---- resolution ------------------------------------------------------------------------------
def _analyse(module, spellings: frozenset[str], project=None) -> ModelFacts:
    import libcst as cst

    walk = _Collector(module.tree)
    walk.run()
    out = ModelFacts(cog_use_imports=walk.cog_use_imports)
    aliases = _alias_values(walk.assigns)

    # use() calls: cheap spelling filter first, then libcst's qualified names decide.
    uses: dict[int, UseCall] = {}
    for call, where in walk.calls:
        if not _could_be_use(call.func, spellings):
            continue
        function = use_function(module, call.func, project, aliases)
        if function is None:
            continue
        use = UseCall(call, function, module.code_for(call.func), where.scope, where.scope_name, where.enclosing_def,
                      where.top_statement, None, None,
                      positional=[a for a in call.args if a.keyword is None and a.star != "**"],
                      options={a.keyword.value: a for a in call.args if a.keyword is not None})
        uses[id(call)] = use
        out.uses.append(use)
    if not out.uses:
        return out

    # Names bound to use() results.
    models: dict[int, UseCall] = {}
    for line, assign, _ in walk.assigns:
        for target, value in _pairs(assign):
            use = uses.get(id(value))
            if use is not None and isinstance(target, cst.Name):
                models[id(target)] = use
                if isinstance(assign, cst.Assign) and len(assign.targets) == 1 and value is assign.value \
                        and line is not None and len(line.body) == 1:
                    use.statement, use.target = line, target
                else:
                    use.target = target

    resolver = _Resolver(module)

    def model_of(expr) -> UseCall | None:
        if isinstance(expr, cst.Call) and id(expr) in uses:
            return uses[id(expr)]
        if isinstance(expr, cst.Name):
            return resolver.unique(expr, models)
        return None

    calls: dict[int, ModelCall] = {}
    for call, where in walk.calls:
        func, method = call.func, None
        if isinstance(func, cst.Attribute) and func.attr.value == "create":
            func, method = func.value, "create"
        use = model_of(func)
        if use is not None:
            calls[id(call)] = ModelCall(call, use, method, not where.deferred)
            out.calls.append(calls[id(call)])

    for use in out.uses:
        use.signature = _signature(module, use, resolver)

    # Outputs: `out = model(...)`, `out = await model(...)`, `out = run.output()` for `run = model.create(...)`.
    runs: dict[int, ModelCall] = {}
    outputs: dict[int, ModelCall] = {}
    for _, assign, _ in walk.assigns:
        for target, value in _pairs(assign):
            call = _model_call_of(value, calls)
            if call is not None and isinstance(target, cst.Name):
                (runs if call.method == "create" else outputs)[id(target)] = call
    for _, assign, _ in walk.assigns:
        for target, value in _pairs(assign):
            inner = value.expression if isinstance(value, cst.Await) else value
            if (isinstance(target, cst.Name) and isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute)
                    and inner.func.attr.value == "output" and isinstance(inner.func.value, cst.Name)):
                run = resolver.unique(inner.func.value, runs)
                if run is not None and (isinstance(value, cst.Await) or not run.use.flag("use_async")):
                    outputs[id(target)] = ModelCall(inner, run.use, None, run.import_time)

    for attribute, _ in walk.attributes:
        name = attribute.attr.value
        if name.startswith("_") or name in _output_attributes():
            continue
        value = attribute.value
        call = _model_call_of(value, calls) if not isinstance(value, cst.Name) else resolver.unique(value, outputs)
        if call is None or call.method == "create" or call.use.flag("streaming") is not False:
            continue
        awaited = isinstance(value, cst.Await) or not isinstance(value, cst.Call)
        if call.use.flag("use_async") is not False and not awaited:
            continue  # an un-awaited coroutine: a different mistake
        out.output_attributes.append((attribute, call))
    return out


def _alias_values(assigns) -> dict[int, object]:
    """id(target Name) → the value of ``NAME = <name or attribute>`` assignments (libcst's scope
    analysis records the target Name as the assignment's node)."""
    import libcst as cst

    out: dict[int, object] = {}
    for _, assign, _ in assigns:
        for target, value in _pairs(assign):
            if isinstance(target, cst.Name) and isinstance(value, (cst.Name, cst.Attribute)):
                out[id(target)] = value
    return out


_MAX_HOPS = 8  # aliases of aliases and re-exports of re-exports followed at most this deep (cycles end)


def use_function(module, expr, project=None, aliases=None, hops: int = 0) -> str | None:
    """Which of ``USE_FUNCTIONS`` the expression ``expr`` of ``module`` names, or None.

    libcst's qualified names answer for imports (``r.use``, ``from replicate import use as u``);
    a name bound by assignments is that function when every assignment reaching it is
    (``use = replicate.use``); a qualified name inside a local module of ``project``
    (``helpers.use``) is what that module's global scope binds to the name."""
    import libcst as cst

    names = {q.name for q in (module.meta("qualified_name", expr) or ())}
    found = next((f for f in USE_FUNCTIONS if f in names), None)
    if found is not None or hops >= _MAX_HOPS:
        return found
    if isinstance(expr, cst.Name):
        if aliases is None:
            aliases = _module_aliases(module)
        assignments = _Resolver(module).assignments(expr)
        values = [aliases.get(id(getattr(a, "node", None))) for a in assignments]
        if values and all(v is not None for v in values):
            functions = {use_function(module, v, project, aliases, hops + 1) for v in values}
            if len(functions) == 1:
                return functions.pop()
            return None
    if project is not None:
        for name in names:
            found = _exported_use(project, module, name, hops + 1)
            if found is not None:
                return found
    return None


def _module_aliases(module) -> dict[int, object]:
    if "use-aliases" not in module.facts:
        import libcst as cst

        from pipelint.model.imports import small_statements

        assigns = [(None, s, None) for s in small_statements(module.tree)
                   if isinstance(s, (cst.Assign, cst.AnnAssign)) and s.value is not None]
        module.facts["use-aliases"] = _alias_values(assigns)
    return module.facts["use-aliases"]


def _exported_use(project, module, qualified: str, hops: int) -> str | None:
    """The use() function a local module exports as ``qualified`` (``helpers.use``,
    ``.helpers.use`` relative to ``module``'s package), or None."""
    from pipelint.model.imports import ImportRef, resolve_local

    level = len(qualified) - len(qualified.lstrip("."))
    dotted_name = qualified[level:]
    module_part, _, attribute = dotted_name.rpartition(".")
    if not attribute or (not module_part and not level):
        return None
    if not level and module_part.partition(".")[0] not in project.local_modules:
        return None
    package = module.name if module.is_package else module.name.rpartition(".")[0]
    files = resolve_local(project.root, package, ImportRef(None, module_part, level, ()))
    if not files:
        return None
    target = project.module(files[-1])  # the deepest: `a.b` → a/b.py or a/b/__init__.py
    if target is None or target.tree is None or target is module:
        return None
    scope = target.meta("scope", target.tree)
    if scope is None:
        return None
    try:
        assignments = list(scope[attribute])
    except Exception:
        return None
    if not assignments:
        return None
    aliases = _module_aliases(target)
    found = set()
    for assignment in assignments:
        node = getattr(assignment, "node", None)
        value = aliases.get(id(node))
        if value is not None:
            found.add(use_function(target, value, project, aliases, hops + 1))
            continue
        names = {q.name for q in scope.get_qualified_names_for(attribute)}
        hit = next((f for f in USE_FUNCTIONS if f in names), None)
        if hit is None:
            for name in names:
                hit = _exported_use(project, target, name, hops + 1) if hops < _MAX_HOPS else None
                if hit is not None:
                    break
        found.add(hit)
    return found.pop() if len(found) == 1 else None


def _could_be_use(func, spellings=frozenset({"use"})) -> bool:
    """A cheap look before libcst's qualified names decide: ``x.use(...)`` or a use() spelling."""
    import libcst as cst

    if isinstance(func, cst.Attribute):
        return func.attr.value == "use"
    return isinstance(func, cst.Name) and func.value in spellings


def _pairs(assign):
    """(target, value) pairs of an assignment, unpacking ``a, b = x, y`` element-wise."""
    import libcst as cst

    targets = [t.target for t in assign.targets] if isinstance(assign, cst.Assign) else [assign.target]
    for target in targets:
        if isinstance(target, (cst.Tuple, cst.List)) and isinstance(assign.value, (cst.Tuple, cst.List)) \
                and len(target.elements) == len(assign.value.elements) \
                and not any(isinstance(e, cst.StarredElement) for e in (*target.elements, *assign.value.elements)):
            for t, v in zip(target.elements, assign.value.elements, strict=True):
                yield t.value, v.value
        else:
            yield target, assign.value


def _model_call_of(value, calls: dict[int, ModelCall]) -> ModelCall | None:
    import libcst as cst

    if isinstance(value, cst.Await):
        value = value.expression
    return calls.get(id(value)) if isinstance(value, cst.Call) else None


class _Resolver:
    """Which binding a Name read refers to, through libcst's scope analysis."""

    def __init__(self, module):
        self.module = module

    def assignments(self, name_node) -> list:
        scope = self.module.meta("scope", name_node)
        if scope is None:
            return []
        try:
            return list(scope[name_node.value])
        except Exception:  # a name libcst cannot place (e.g. in a malformed comprehension)
            return []

    def unique(self, name_node, table: dict):
        """``table``'s value when every assignment reaching ``name_node`` is one of its keys and they agree."""
        found = []
        for assignment in self.assignments(name_node):
            value = table.get(id(getattr(assignment, "node", None)))
            if value is None:
                return None
            found.append(value)
        if not found or any(v is not found[0] for v in found[1:]):
            return None
        return found[0]

    def definition(self, name_node, kind):
        """The single ``def``/``class`` (``kind``) that ``name_node`` names, or None."""
        nodes = [getattr(a, "node", None) for a in self.assignments(name_node)]
        return nodes[0] if len(nodes) == 1 and isinstance(nodes[0], kind) else None


def _signature(module, use: UseCall, resolver: _Resolver) -> Signature | None:
    import libcst as cst

    hint = use.options.get("hint")
    if hint is not None and isinstance(hint.value, cst.Name):
        fn = resolver.definition(hint.value, cst.FunctionDef)
        if fn is not None:
            return _from_params(fn, f"hint function `{fn.name.value}`", skip_self=False)
    ref = use.ref_node
    if isinstance(ref, cst.Call) and isinstance(ref.func, cst.Name) and not ref.args:
        cls = resolver.definition(ref.func, cst.ClassDef)
        if cls is not None and isinstance(cls.body, cst.IndentedBlock):
            for stmt in cls.body.body:
                if isinstance(stmt, cst.FunctionDef) and stmt.name.value == "__call__":
                    return _from_params(stmt, f"`{cls.name.value}.__call__`", skip_self=True)
    return None


def _from_params(fn, source: str, skip_self: bool) -> Signature:
    import libcst as cst

    params = list(fn.params.params)
    if skip_self and params:
        params = params[1:]
    keyword = params + list(fn.params.kwonly_params)
    star_kwarg = fn.params.star_kwarg
    return Signature(
        source, fn,
        accepted=frozenset(p.name.value for p in keyword),
        required=tuple(p.name.value for p in keyword if p.default is None),
        in_order=tuple(p.name.value for p in params),
        any_keyword=isinstance(star_kwarg, cst.Param),
    )


def _output_attributes() -> frozenset[str]:
    global _OUTPUT_ATTRIBUTES
    if _OUTPUT_ATTRIBUTES is None:
        names = set(_OUTPUT_EXTRA_ATTRIBUTES)
        for kind in (str, int, float, bool, type(None), list, dict):
            names.update(dir(kind))
        _OUTPUT_ATTRIBUTES = frozenset(names)
    return _OUTPUT_ATTRIBUTES


_OUTPUT_ATTRIBUTES: frozenset[str] | None = None


# ---- for messages ----------------------------------------------------------------------------
def model_label(use: UseCall) -> str:
    """How a message names the model of a ``use()`` call: its reference, else the name bound to it."""
    if use.ref is not None:
        return f"`{use.ref}`"
    if use.target is not None:
        return f"`{use.target.value}`"
    return "the model"


# ---- for rules that edit model calls ---------------------------------------------------------
def name_assignments(module, name_node) -> list:
    """The assignments (libcst's scope analysis) that can reach this read of a name; [] when
    libcst cannot place it."""
    return _Resolver(module).assignments(name_node)


def could_be_use(func) -> bool:
    """A call's callee spelt like ``use``/``x.use``: the cheap look before qualified names decide."""
    return _could_be_use(func)


# ---- does the model need the replicate client? -----------------------------------------------
def calls_use(project) -> bool:
    """Some module the entry reaches calls ``use()`` (any spelling, aliases and re-exports included)."""
    return any(facts(m, project).uses for m in project.modules if m.tree is not None)


def imports_replicate(project) -> bool:
    """Some module the entry reaches imports ``replicate`` (or a submodule), or calls ``use()``."""
    from pipelint.model.imports import import_refs, top_level_name

    for module in project.modules:
        if module.tree is None:
            continue
        if "replicate" in (module.source.text or "") and any(
                not ref.level and top_level_name(ref.module) == "replicate" for ref in import_refs(module.tree)):
            return True
    return calls_use(project)
