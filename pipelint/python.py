"""A Python file of the model as a libcst tree, with metadata computed on demand.

libcst is imported here and only when a module is actually parsed, so commands that never
look at Python (``--version``, ``rule``, a fully cached run) never pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from pipelint.diagnostics import Position
from pipelint.source import SourceFile

# Metadata a rule may ask for, by the name it declares in ``Rule.metadata``.
PROVIDERS = {
    "position": "PositionProvider",
    "scope": "ScopeProvider",
    "qualified_name": "QualifiedNameProvider",
    "parent": "ParentNodeProvider",
    "expression_context": "ExpressionContextProvider",
}


@dataclass
class ParseError:
    message: str
    start: Position
    end: Position


@dataclass
class PythonModule:
    source: SourceFile
    name: str  # dotted module name relative to the model root ("main", "helpers.io")
    is_package: bool = False
    _metadata: dict = field(default_factory=dict, repr=False)
    # Facts shared helpers derive from the tree once per module (pipelint.models, …), by helper name.
    facts: dict = field(default_factory=dict, repr=False)

    @property
    def rel(self) -> str:
        return self.source.rel

    @cached_property
    def _parsed(self):
        if self.source.text is None:
            return None, None
        import libcst as cst

        try:
            return cst.parse_module(self.source.text), None
        except cst.ParserSyntaxError as exc:
            line, col = exc.editor_line, exc.editor_column
            fallback = ParseError(str(exc.message).strip(), Position(line, col), Position(line, col + 1))
            return None, _cpython_error(self.source.text) or fallback
        except RecursionError:
            return None, ParseError("the code is nested too deeply to parse", Position(1, 1), Position(1, 1))
        except (ValueError, MemoryError, Exception) as exc:  # libcst's native parser raises plain errors on odd input
            return None, ParseError(f"cannot be parsed: {exc}", Position(1, 1), Position(1, 1))

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
        providers = {n: getattr(meta, PROVIDERS[n]) for n in missing}
        try:
            resolved = self.wrapper.resolve_many(providers.values())
        except RecursionError:
            resolved = {p: {} for p in providers.values()}
        for n, p in providers.items():
            self._metadata[n] = resolved[p]

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
        r = self.metadata("position").get(node)
        if r is None:
            return Position(1, 1), Position(1, 1)
        return Position(r.start.line, r.start.column + 1), Position(r.end.line, r.end.column + 1)

    def code_for(self, node) -> str:
        return self.tree.code_for_node(node)


def _cpython_error(text: str) -> ParseError | None:
    """CPython's own message and position for a syntax error (clearer than libcst's).

    ``ast.parse`` only parses: nothing of the user's code runs.
    """
    import ast

    try:
        ast.parse(text)
    except SyntaxError as exc:
        line = exc.lineno or 1
        col = exc.offset or 1
        end_line = exc.end_lineno or line
        end_col = exc.end_offset if exc.end_offset and (end_line, exc.end_offset) > (line, col) else col + 1
        return ParseError(exc.msg, Position(line, max(col, 1)), Position(end_line, end_col))
    except (RecursionError, MemoryError, ValueError):
        return None
    return None
