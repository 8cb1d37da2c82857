"""libcst's ``PositionProvider`` results at a fraction of its cost.

``PositionProvider`` regenerates the module's code with a codegen state that splits every token
with a regular expression and builds two frozen ``CodePosition`` dataclasses and a ``CodeRange``
for every node, though a lint reports a handful of nodes: on a 10,000-line main.py that is 1.4 to
1.8 s, against 0.26 s for the plain codegen. This state takes the same codegen walk, keeps a
character offset (a token's length added, no regular expression: only a token that holds a line
end is looked into) and stores two plain ints per node; line and column are computed from the
offsets, by bisecting over the line starts, only for the nodes asked about.

The results are libcst's, node for node: the same hooks are fed the same tokens in the same
order, ``record_syntactic_position`` (statements whose position is hoisted from a child) and
"keep the first range recorded for a node" are mirrored, and lines are split per token with
libcst's own pattern. tests/test_positions.py compares every node of every fixture.

The state subclasses libcst's internal ``CodegenState``. A libcst whose position state has other
hooks, or whose codegen internals differ, gets the real ``PositionProvider`` (``positions_of``).
"""

from __future__ import annotations

import re
from bisect import bisect_right

# libcst.metadata.position_provider.NEWLINE_RE: what libcst counts as a line end within a token.
_NEWLINE = re.compile(r"\r\n?|\n")

# The members libcst's position-providing states define over CodegenState (libcst 1.1 to 1.9, checked).
# Another set means a libcst whose position tracking works otherwise: use its provider then.
_KNOWN_STATE_MEMBERS = {"_stack", "_update_position", "add_indent_tokens", "add_token", "after_codegen",
                        "before_codegen", "column", "line", "record_syntactic_position"}


def positions_of(tree):
    """The "position" metadata of libcst Module ``tree``: a mapping node → ``CodeRange``."""
    try:
        state_class = _state_class()
        if state_class is not None:
            state = state_class(default_indent=tree.default_indent, default_newline=tree.default_newline)
            tree._codegen(state)
            return Positions(state.spans, state.line_starts)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):  # internals that differ
        pass
    return _libcst_positions(tree)


def _libcst_positions(tree):
    from libcst.metadata import MetadataWrapper, PositionProvider

    return MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)


class Positions:
    """node → libcst ``CodeRange``, each made when first asked for (a ``Mapping`` in spirit).

    ``span(node)`` gives the 1-based (line, column, end line, end column) of a node without
    building any dataclass; the end column is exclusive, as libcst's.
    """

    __slots__ = ("_spans", "_starts", "_ranges")

    def __init__(self, spans: dict, line_starts: list[int]):
        self._spans = spans  # node → (start offset, end offset) in the generated code
        self._starts = line_starts  # offset of each line's first character; line 1 starts at 0
        self._ranges: dict = {}

    def _point(self, offset: int) -> tuple[int, int]:
        """(1-based line, 0-based column) of a character offset, as libcst counts them."""
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1]

    def span(self, node) -> tuple[int, int, int, int] | None:
        """(line, column, end line, end column) of ``node``, all 1-based; None for a node not in the tree."""
        offsets = self._spans.get(node)
        if offsets is None:
            return None
        line, col = self._point(offsets[0])
        end_line, end_col = self._point(offsets[1])
        return line, col + 1, end_line, end_col + 1

    def get(self, node, default=None):
        found = self._ranges.get(node)
        if found is not None:
            return found
        offsets = self._spans.get(node)
        if offsets is None:
            return default
        from libcst.metadata import CodePosition, CodeRange

        found = self._ranges[node] = CodeRange(CodePosition(*self._point(offsets[0])),
                                               CodePosition(*self._point(offsets[1])))
        return found

    def __getitem__(self, node):
        found = self.get(node)
        if found is None:
            raise KeyError(node)
        return found

    def __contains__(self, node) -> bool:
        return node in self._spans

    def __iter__(self):
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)

    def keys(self):
        return self._spans.keys()

    def values(self):
        return [self[n] for n in self._spans]

    def items(self):
        return [(n, self[n]) for n in self._spans]


_STATE_CLASS: list = []  # [class or None], built on first use


def _state_class():
    """The offset-tracking codegen state, or None when libcst's position tracking is not the one
    this mirrors."""
    if not _STATE_CLASS:
        _STATE_CLASS.append(_build_state_class())
    return _STATE_CLASS[0]


def _build_state_class():
    try:
        from libcst._nodes.internal import CodegenState
        from libcst.metadata import position_provider as pp
    except ImportError:
        return None
    inclusive = getattr(pp, "WhitespaceInclusivePositionProvidingCodegenState", None)
    syntactic = getattr(pp, "PositionProvidingCodegenState", None)
    if inclusive is None or syntactic is None or syntactic.__mro__[1:3] != (inclusive, CodegenState):
        return None
    members = {k for cls in (inclusive, syntactic) for k in vars(cls) if not k.startswith("__")}
    if members != _KNOWN_STATE_MEMBERS or getattr(pp, "NEWLINE_RE", _NEWLINE).pattern != _NEWLINE.pattern:
        return None
    if not all(callable(getattr(CodegenState, hook, None)) for hook in
               ("add_token", "add_indent_tokens", "before_codegen", "after_codegen", "record_syntactic_position",
                "pop_trailing_newline", "increase_indent", "decrease_indent")):
        return None

    class _Record:
        """The context manager ``record_syntactic_position`` returns (one for the whole state:
        records nest as ``with`` blocks do, so a stack holds what each needs)."""

        __slots__ = ("state",)

        def __init__(self, state):
            self.state = state

        def __enter__(self):
            return None

        def __exit__(self, *exc_info):
            state = self.state
            node, start_node, end_node, start = state.records.pop()
            spans = state.spans
            start = spans[start_node][0] if start_node is not None else start
            end = spans[end_node][1] if end_node is not None else state.offset
            spans[node] = (start, end)  # unconditionally, as libcst: the syntactic position wins
            return False

    class OffsetPositionState(CodegenState):
        """libcst's ``PositionProvidingCodegenState`` with offsets for positions."""

        def __init__(self, default_indent: str, default_newline: str):
            super().__init__(default_indent=default_indent, default_newline=default_newline)
            self.offset = 0
            self.line_starts = [0]
            self.spans: dict = {}
            self.starts: list[int] = []
            self.records: list = []
            self.record = _Record(self)

        def add_indent_tokens(self) -> None:
            for token in self.indent_tokens:
                self.add_token(token)

        def add_token(self, value: str) -> None:
            self.tokens.append(value)
            if "\n" in value or "\r" in value:  # split as libcst does, token by token
                base = self.offset
                self.line_starts.extend(base + m.end() for m in _NEWLINE.finditer(value))
            self.offset += len(value)

        def before_codegen(self, node) -> None:
            self.starts.append(self.offset)

        def after_codegen(self, node) -> None:
            # A range recorded already (a syntactic position, or the node met before) stays, as in libcst.
            self.spans.setdefault(node, (self.starts.pop(), self.offset))

        def record_syntactic_position(self, node, *, start_node=None, end_node=None):
            self.records.append((node, start_node, end_node, self.offset))
            return self.record

    return OffsetPositionState
