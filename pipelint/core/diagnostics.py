"""The currency of pipelint: diagnostics, fixes and text edits.

Positions are 1-based lines and 1-based columns counted in characters (code points),
as ruff's JSON output does. The language server converts to UTF-16 at its edge.
"""

from __future__ import annotations

import enum
from pathlib import Path

from pipelint.core import meta
from pipelint.core.records import Record


def __getattr__(name: str):
    # The default link base (``docs-url`` unset), computed on first use: see pipelint.core.meta.
    if name == "DOCS_BASE_URL":
        return meta.default_docs_base()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Applicability(str, enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


class Position(Record, frozen=True, order=True):
    line: int  # 1-based
    column: int  # 1-based, in characters

    def __init__(self, line: int, column: int) -> None:
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "column", column)


class Edit(Record, frozen=True):
    """Replace the text between ``start`` and ``end`` of ``path`` with ``content``."""

    path: Path
    start: Position
    end: Position
    content: str

    def __init__(self, path: Path, start: Position, end: Position, content: str) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "content", content)

    def to_json(self) -> dict:
        return {
            "content": self.content,
            "location": {"row": self.start.line, "column": self.start.column},
            "end_location": {"row": self.end.line, "column": self.end.column},
            "filename": str(self.path),
        }


class Fix(Record, frozen=True):
    message: str
    edits: tuple[Edit, ...]
    applicability: Applicability

    def __init__(self, message: str, edits: tuple[Edit, ...],
                 applicability: Applicability = Applicability.SAFE) -> None:
        # In file and position order (stable: edits at one point keep theirs), so that a fix whose
        # edits a rule gathered from a set reads the same in every run (JSON, SARIF, the cache).
        ordered = tuple(sorted(edits, key=lambda e: (str(e.path), e.start.line, e.start.column,
                                                     e.end.line, e.end.column)))
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "edits", ordered)
        object.__setattr__(self, "applicability", applicability)

    def to_json(self) -> dict:
        return {
            "applicability": self.applicability.value,
            "message": self.message,
            "edits": [e.to_json() for e in self.edits],
        }


class Diagnostic(Record):
    code: str
    severity: Severity
    message: str
    path: Path
    start: Position
    end: Position
    help: str | None
    fix: Fix | None
    name: str
    docs_base: str | None  # the ``docs-url`` setting of the model's configuration, if set
    target: str  # the kind of model folder it was judged as: "pipeline" | "cog" (see analysis.target)

    def __init__(self, code: str, severity: Severity, message: str, path: Path, start: Position,
                 end: Position, help: str | None = None, fix: Fix | None = None, name: str = "",
                 docs_base: str | None = None, target: str = "") -> None:
        self.code = code
        self.severity = severity
        self.message = message
        self.path = path
        self.start = start
        self.end = end
        self.help = help
        self.fix = fix
        self.name = name
        self.docs_base = docs_base
        self.target = target

    @property
    def url(self) -> str:
        return f"{meta.docs_base(self.docs_base)}{self.code}.md"

    def sort_key(self) -> tuple:
        return (str(self.path), self.start.line, self.start.column, self.code, self.message)

    def to_json(self, root: Path | None = None) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "help": self.help,
            "filename": str(self.path),
            "location": {"row": self.start.line, "column": self.start.column},
            "end_location": {"row": self.end.line, "column": self.end.column},
            "fix": self.fix.to_json() if self.fix else None,
            "url": self.url,
            "noqa_row": self.start.line,
            "target": self.target or None,
        }
