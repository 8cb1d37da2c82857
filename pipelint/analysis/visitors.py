"""Small building blocks for visitor rules (see ``pipelint.engine.rule``)."""

from __future__ import annotations


class MarkedBlocks:
    """Mixin for a visitor rule: knows when the traversal is inside a block it marked.

    A rule marks the blocks that do not run when the runtime imports the module, or whose
    failures are handled: ``self.mark(node.body)`` from ``visit_FunctionDef``, ``visit_Try``, …
    (before libcst visits the body), then reads ``self.in_marked`` anywhere below.
    """

    _marked: set[int]
    _marked_depth: int = 0

    def mark(self, block) -> None:
        if not hasattr(self, "_marked"):
            self._marked = set()
        self._marked.add(id(block))

    @property
    def in_marked(self) -> bool:
        return self._marked_depth > 0

    def visit_IndentedBlock(self, node) -> None:
        if id(node) in getattr(self, "_marked", ()):
            self._marked_depth += 1

    def leave_IndentedBlock(self, node) -> None:
        if id(node) in getattr(self, "_marked", ()):
            self._marked_depth -= 1

    visit_SimpleStatementSuite = visit_IndentedBlock
    leave_SimpleStatementSuite = leave_IndentedBlock
