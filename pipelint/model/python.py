"""A Python file of the model as a libcst tree, with metadata computed on demand.

libcst is imported here and only when a module is actually parsed, so commands that never
look at Python (``--version``, ``rule``, a fully cached run) never pay for it.
"""

from __future__ import annotations

from functools import cached_property

from pipelint.core.diagnostics import Position
from pipelint.core.records import Record
from pipelint.core.source import SourceFile

# Metadata a rule may ask for, by the name it declares in ``Rule.metadata``.
PROVIDERS = {
    "position": "PositionProvider",
    "scope": "ScopeProvider",
    "qualified_name": "QualifiedNameProvider",
    "parent": "ParentNodeProvider",
    "expression_context": "ExpressionContextProvider",
}


class ParseError(Record):
    message: str
    start: Position
    end: Position

    def __init__(self, message: str, start: Position, end: Position) -> None:
        self.message = message
        self.start = start
        self.end = end


class PythonModule(Record, hidden=("_metadata", "facts", "limit_error")):
    source: SourceFile
    name: str  # dotted module name relative to the model root ("main", "helpers.io")
    is_package: bool
    _metadata: dict
    # Facts shared helpers derive from the tree once per module (pipelint.analysis.calls, …), by helper name.
    facts: dict
    # Why pipelint could not analyse valid Python (nested too deeply for libcst, …): reported as
    # PL003 by the runner, so a module that was not checked is never passed off as clean.
    limit_error: ParseError | None

    def __init__(
        self,
        source: SourceFile,
        name: str,
        is_package: bool = False,
        _metadata: dict | None = None,
        facts: dict | None = None,
        limit_error: ParseError | None = None,
    ) -> None:
        self.source = source
        self.name = name
        self.is_package = is_package
        self._metadata = {} if _metadata is None else _metadata
        self.facts = {} if facts is None else facts
        self.limit_error = limit_error

    @property
    def rel(self) -> str:
        return self.source.rel

    @cached_property
    def _parsed(self):
        if self.source.text is None:
            return None, None
        text = self.source.text
        # CPython parses first: it is ~10x faster than libcst, it never crashes on hostile input,
        # and it is what the runtime will do. libcst's native parser can take minutes or crash
        # the process on expressions nested a few thousand levels deep.
        verdict = _cpython_verdict(text)
        if verdict.syntax_error is not None:
            return None, verdict.syntax_error
        if verdict.too_deep is not None:
            self.limit_error = verdict.too_deep
            return None, None
        import libcst as cst

        from pipelint.model.parts import parse_in_parts

        try:
            return parse_in_parts(text, verdict.spans), None
        except cst.ParserSyntaxError as exc:
            if verdict.accepted:  # valid Python that libcst cannot parse: pipelint's limit, not a syntax error
                self.limit_error = ParseError(f"cannot be parsed by pipelint ({str(exc.message).strip()})",
                                              Position(exc.editor_line, exc.editor_column),
                                              Position(exc.editor_line, exc.editor_column + 1))
                return None, None
            line, col = exc.editor_line, exc.editor_column
            fallback = ParseError(str(exc.message).strip(), Position(line, col), Position(line, col + 1))
            return None, verdict.host_syntax_error or fallback
        except RecursionError:
            self.too_deep()
            return None, None
        except Exception as exc:  # libcst's native parser raises plain errors on odd input
            self.limit_error = ParseError(f"cannot be parsed by pipelint ({type(exc).__name__}: {exc})",
                                          Position(1, 1), Position(1, 1))
            return None, None

    def share_parse_of(self, previous: PythonModule) -> bool:
        """Take ``previous``'s parse (tree, syntax error) and libcst metadata, which are functions
        of the text alone, when it has parsed and met none of pipelint's limits (partial metadata
        is never trusted). The caller vouches that the texts are the same. Derived ``facts`` are
        not shared: they may depend on the other modules of the project."""
        if previous.limit_error is not None or "_parsed" not in previous.__dict__:
            return False
        for attr in ("_parsed", "wrapper"):  # the cached_property values
            if attr in previous.__dict__:
                self.__dict__[attr] = previous.__dict__[attr]
        self._metadata = previous._metadata
        return True

    @property
    def tree(self):
        """The libcst Module, or None when the file is unreadable or has a syntax error."""
        return self._parsed[0]

    @property
    def parse_error(self) -> ParseError | None:
        return self._parsed[1]

    @cached_property
    def wrapper(self):
        from libcst.metadata import MetadataWrapper

        # unsafe_skip_copy: rules and metadata must see the very nodes of ``tree``.
        return MetadataWrapper(self.tree, unsafe_skip_copy=True)

    def resolve(self, names) -> None:
        """Compute the named metadata providers (once each) for this module."""
        import libcst.metadata as meta

        missing = [n for n in names if n not in self._metadata]
        if not missing or self.tree is None:
            return
        qualified = "qualified_name" in missing
        if qualified:  # served from the scopes (see QualifiedNames), which may already be there
            missing = [n for n in missing if n != "qualified_name"]
            if "scope" not in self._metadata and "scope" not in missing:
                missing.append("scope")
        if "scope" in missing:
            try:
                contexts, scopes = _scopes_of(self.tree)
            except RecursionError:
                self.too_deep()
                contexts, scopes = {}, {}
            self._metadata["scope"] = scopes
            self._metadata.setdefault("expression_context", contexts)
            missing = [n for n in missing if n not in self._metadata]
        if "position" in missing:  # libcst's PositionProvider results, at a fraction of its cost
            from pipelint.model.positions import positions_of

            missing.remove("position")
            try:
                self._metadata["position"] = positions_of(self.tree)
            except RecursionError:
                self.too_deep()
                self._metadata["position"] = {}
        providers = {n: getattr(meta, PROVIDERS[n]) for n in missing}
        try:
            resolved = self.wrapper.resolve_many(providers.values()) if providers else {}
        except RecursionError:
            self.too_deep()
            resolved = {p: {} for p in providers.values()}
        for n, p in providers.items():
            self._metadata[n] = resolved[p]
        if qualified:
            self._metadata["qualified_name"] = QualifiedNames(self._metadata["scope"])

    def too_deep(self) -> None:
        """Record that a traversal of this module ran out of recursion depth."""
        if self.limit_error is None:
            line, col = _deepest_point(self.source.text or "")
            self.limit_error = ParseError(NESTED_TOO_DEEPLY, Position(line, col), Position(line, col + 1))

    def metadata(self, name: str) -> dict:
        """The raw provider mapping. Values may be libcst ``LazyValue``s: read them with ``meta``."""
        self.resolve([name])
        return self._metadata[name]

    def meta(self, name: str, node, default=None):
        """One node's metadata, with lazily computed values (qualified names) evaluated."""
        value = self.metadata(name).get(node, default)
        if value is not default and type(value).__name__ == "LazyValue":
            value = value()
        return value

    def range(self, node) -> tuple[Position, Position]:
        """1-based start and end of ``node`` (end column exclusive, as an editor selection)."""
        positions = self.metadata("position")
        span = getattr(positions, "span", None)
        if span is not None:
            s = span(node)
            return (Position(1, 1), Position(1, 1)) if s is None else (Position(s[0], s[1]), Position(s[2], s[3]))
        r = positions.get(node)
        if r is None:
            return Position(1, 1), Position(1, 1)
        return Position(r.start.line, r.start.column + 1), Position(r.end.line, r.end.column + 1)

    def code_for(self, node) -> str:
        return self.tree.code_for_node(node)


def _scopes_of(tree, fast: bool = True) -> tuple[dict, dict]:
    """libcst's ExpressionContextProvider and ScopeProvider results for ``tree``, in half the time.

    Both are "batchable" providers that do all their work in ``visit_Module`` with a walk of
    their own; resolving them through MetadataWrapper adds, for each, a batched walk of the
    whole tree in which nothing happens. Calling the two ``visit_Module`` in dependency order
    gives the very same mappings (the providers' ``_computed``, as the wrapper collects them)
    without those two walks: ~20 instead of ~40 ms on a 100-line main.py.

    Their own walks (and the sub-tree walks their visitors start with ``node.visit(self)``) run
    through ``pipelint.model.walk.fast_visits``: the same hooks in the same order, without
    rebuilding every node (``fast=False``: libcst's visit, for the tests that compare the two).

    With ``fast`` and the libcst pipelint.model.scopes reproduces (1.9.0), neither provider runs:
    that module's own passes compute the same mappings of libcst's objects, 3-3.5x faster
    (tests/test_scopes.py proves them equal); on any other libcst, the providers as above.
    """
    from contextlib import nullcontext

    from libcst.metadata import ExpressionContextProvider, MetadataWrapper, ScopeProvider

    from pipelint.model.walk import fast_visits

    def public_path():
        both = MetadataWrapper(tree, unsafe_skip_copy=True).resolve_many([ExpressionContextProvider, ScopeProvider])
        return both[ExpressionContextProvider], both[ScopeProvider]

    if tuple(ScopeProvider.METADATA_DEPENDENCIES) != (ExpressionContextProvider,) \
            or ExpressionContextProvider.METADATA_DEPENDENCIES:  # a libcst that wires them otherwise
        return public_path()
    if fast:
        from pipelint.model.scopes import analyse

        try:
            both = analyse(tree)
        except (AttributeError, KeyError, TypeError):  # a libcst whose nodes differ from 1.9.0's: its own providers
            both = None
        if both is not None:
            return both
    try:
        with fast_visits() if fast else nullcontext():
            contexts = ExpressionContextProvider()
            contexts.visit_Module(tree)
            scopes = ScopeProvider()
            scopes.metadata = {ExpressionContextProvider: contexts._computed}  # what the wrapper would hand it
            scopes.visit_Module(tree)
        return contexts._computed, scopes._computed
    except (AttributeError, KeyError, TypeError):  # a libcst whose provider internals differ
        return public_path()


class QualifiedNames:
    """The "qualified_name" metadata, computed only for the nodes that are asked about.

    libcst's QualifiedNameProvider walks the whole tree to attach to every node a lazy
    ``scope.get_qualified_names_for(node)``; that walk costs as much as the scope analysis
    itself (~40% of all metadata time on a typical main.py), while rules ask about a few calls
    and names. This makes the same call, for those nodes only. A node without a scope (a comma,
    whitespace, a keyword's name) has no qualified names, as with the provider.
    """

    __slots__ = ("_scopes", "_known")

    def __init__(self, scopes):
        self._scopes = scopes
        self._known: dict = {}

    def get(self, node, default=None):
        names = self._known.get(node)
        if names is None:
            scope = self._scopes.get(node)
            names = self._known[node] = scope.get_qualified_names_for(node) if scope is not None else set()
        return names

    def __getitem__(self, node):
        return self.get(node)

    def __contains__(self, node) -> bool:
        return True


NESTED_TOO_DEEPLY = "is nested too deeply for pipelint to analyse"
# Deeper than this (in ast nodes), libcst gets slow (seconds) and then crashes; its recursive
# traversals already fail from ~100 nested brackets. Real code stays below 30.
MAX_NESTING = 300
# CPython refuses these in every version; libcst accepts them, so only CPython can tell.
_CPYTHON_LIMITS = ("too many nested parentheses", "too many levels of indentation")
RUNTIME_PYTHON = (3, 13)


class CPythonVerdict(Record):
    accepted: bool  # this interpreter's ast.parse accepted the text
    syntax_error: ParseError | None  # a syntax error the runtime's Python reports too
    host_syntax_error: ParseError | None  # this interpreter's message, when its grammar may be older
    too_deep: ParseError | None
    # (first, last) line of each top-level statement, for a text large enough to parse in parts
    spans: list | None

    def __init__(
        self,
        accepted: bool = False,
        syntax_error: ParseError | None = None,
        host_syntax_error: ParseError | None = None,
        too_deep: ParseError | None = None,
        spans: list | None = None,
    ) -> None:
        self.accepted = accepted
        self.syntax_error = syntax_error
        self.host_syntax_error = host_syntax_error
        self.too_deep = too_deep
        self.spans = spans


def _cpython_verdict(text: str) -> CPythonVerdict:
    """What CPython's parser says about ``text``. ``ast.parse`` only parses: nothing runs."""
    import sys

    try:
        tree = _ast_parse(text)
    except SyntaxError as exc:
        err = _syntax_error(exc)
        # Another interpreter than the runtime's may have an older grammar (PEP 695/701 came in
        # 3.12), so only its version-independent limits, or the runtime's own version, are final.
        if exc.msg in _CPYTHON_LIMITS or sys.version_info[:2] == RUNTIME_PYTHON:
            return CPythonVerdict(syntax_error=err)
        return CPythonVerdict(host_syntax_error=err)
    except (RecursionError, MemoryError) as exc:  # "too complex to parse": deeper than CPython goes
        reason = str(exc) or type(exc).__name__
        return CPythonVerdict(too_deep=ParseError(f"{NESTED_TOO_DEEPLY} (Python's parser: {reason})",
                                                  Position(1, 1), Position(1, 1)))
    except ValueError:
        return CPythonVerdict()
    deepest = _deepest(tree, text, MAX_NESTING)
    if deepest is not None:
        line, col = deepest
        return CPythonVerdict(accepted=True, too_deep=ParseError(
            f"{NESTED_TOO_DEEPLY} (more than {MAX_NESTING} levels)", Position(line, col), Position(line, col + 1)))
    from pipelint.model import parts

    spans = parts.statement_spans(tree) if text.count("\n") >= parts.MIN_LINES else None
    return CPythonVerdict(accepted=True, spans=spans)


def _deepest(tree, text: str, limit: int) -> tuple[int, int] | None:
    """(line, column) of a node nested deeper than ``limit`` in libcst's tree, or None.

    libcst nests a few things that ``ast`` keeps flat: each further operand of ``and``/``or``,
    each part of a dotted import name, each piece of an implicitly concatenated string; those
    count as levels here. Nesting one level deeper takes at least one more character, so a node
    spanning fewer than a third of the remaining levels in characters cannot hold one: the walk
    skips those, which is nearly every statement.
    """
    import ast

    data = text.encode("utf-8")
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offsets(node) -> tuple[int, int] | None:
        try:
            return starts[node.lineno - 1] + node.col_offset, starts[node.end_lineno - 1] + node.end_col_offset
        except (AttributeError, TypeError, IndexError):
            return None  # no position (arguments, operators, …): look inside

    def flat_levels(node, span) -> int:
        """Levels libcst adds under ``node`` where ``ast`` has none."""
        if isinstance(node, ast.BoolOp):
            return len(node.values) - 1
        if isinstance(node, ast.alias):
            return node.name.count(".")
        if isinstance(node, ast.ImportFrom):
            return (node.module or "").count(".")
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and span is not None and span[1] - span[0] > 2 * limit // 3:
            return _string_parts(data[span[0]:span[1]].decode("utf-8", "replace")) - 1
        return 0

    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        span = offsets(node)
        depth += max(flat_levels(node, span), 0)
        if depth > limit or (isinstance(node, ast.Constant) and isinstance(node.value, str)
                             and 3 * len(node.value) + 3 >= limit - depth and _too_deep_inside(node.value, limit - depth)):
            return getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1
        if span is not None and 3 * (span[1] - span[0]) + 3 < limit - depth:
            continue
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return None


def _too_deep_inside(value: str, limit: int) -> bool:
    """Whether a string, read as an expression, nests deeper than ``limit``: libcst's scope
    analysis parses string annotations (`x: "List[…]"`) with the same native parser."""
    text = value.strip()
    try:
        tree = _ast_parse(text, mode="eval")
    except (RecursionError, MemoryError):
        return True
    except SyntaxError as exc:  # prose is no expression; past CPython's limits, libcst still tries
        return exc.msg in _CPYTHON_LIMITS
    except ValueError:
        return False
    return _deepest(tree, text, limit) is not None


def _string_parts(segment: str) -> int:
    """How many string literals ``segment`` (one implicitly concatenated string) is made of."""
    import io
    import tokenize

    starts = {tokenize.STRING, getattr(tokenize, "FSTRING_START", tokenize.STRING)}
    try:
        return sum(1 for tok in tokenize.generate_tokens(io.StringIO(segment).readline) if tok.type in starts)
    except (tokenize.TokenError, SyntaxError):
        return len(segment) // 2  # cannot tell: assume the worst, two characters a part


def _deepest_point(text: str) -> tuple[int, int]:
    """(line, column) of the most deeply nested node, to point at what pipelint could not traverse."""
    import ast

    try:
        tree = _ast_parse(text)
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return 1, 1
    best, where = 0, (1, 1)
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > best and hasattr(node, "lineno"):
            best, where = depth, (node.lineno, node.col_offset + 1)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return where


def parse_expression(text: str):
    """libcst's tree of the expression ``text`` (a string annotation), or None when it is not a
    valid expression or is nested deeper than libcst takes safely (its native parser can crash)."""
    try:
        tree = _ast_parse(text, mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return None
    if _deepest(tree, text, MAX_NESTING) is not None:
        return None
    import libcst as cst

    try:
        return cst.parse_expression(text)
    except Exception:  # any parser failure (libcst's native parser raises plain errors): not an expression
        return None


def unsafe_to_write(text: str) -> str | None:
    """Why Python source ``text`` must not be written (CPython refuses it, or it is too deep to
    check), or None. The fixer asks this before libcst, as ``PythonModule`` does."""
    verdict = _cpython_verdict(text)
    problem = verdict.syntax_error or verdict.too_deep
    return problem.message if problem is not None else None


def _ast_parse(text: str, mode: str = "exec"):
    """``ast.parse`` without its SyntaxWarnings (``"\\d"`` on 3.12+): they are the user's
    business, and would otherwise be printed to pipelint's stderr."""
    import ast
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, mode=mode)


def _syntax_error(exc: SyntaxError) -> ParseError:
    line = exc.lineno or 1
    col = exc.offset or 1
    end_line = exc.end_lineno or line
    end_col = exc.end_offset if exc.end_offset and (end_line, exc.end_offset) > (line, col) else col + 1
    return ParseError(exc.msg, Position(line, max(col, 1)), Position(end_line, end_col))
