"""The currency of pipelint: diagnostics, fixes and text edits.

Positions are 1-based lines and 1-based columns counted in characters (code points),
as ruff's JSON output does. The language server converts to UTF-16 at its edge.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from pipelint.core import meta


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


@dataclass(frozen=True, order=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based, in characters


@dataclass(frozen=True)
class Edit:
    """Replace the text between ``start`` and ``end`` of ``path`` with ``content``."""

    path: Path
    start: Position
    end: Position
    content: str

    def to_json(self) -> dict:
        return {
            "content": self.content,
            "location": {"row": self.start.line, "column": self.start.column},
            "end_location": {"row": self.end.line, "column": self.end.column},
            "filename": str(self.path),
        }


@dataclass(frozen=True)
class Fix:
    message: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE

    def __post_init__(self) -> None:
        # In file and position order (stable: edits at one point keep theirs), so that a fix whose
        # edits a rule gathered from a set reads the same in every run (JSON, SARIF, the cache).
        ordered = tuple(sorted(self.edits, key=lambda e: (str(e.path), e.start.line, e.start.column,
                                                          e.end.line, e.end.column)))
        object.__setattr__(self, "edits", ordered)

    def to_json(self) -> dict:
        return {
            "applicability": self.applicability.value,
            "message": self.message,
            "edits": [e.to_json() for e in self.edits],
        }


@dataclass
class Diagnostic:
    code: str
    severity: Severity
    message: str
    path: Path
    start: Position
    end: Position
    help: str | None = None
    fix: Fix | None = None
    name: str = ""
    docs_base: str | None = None  # the ``docs-url`` setting of the model's configuration, if set
    target: str = ""  # the kind of model folder it was judged as: "pipeline" | "cog" (see analysis.target)

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
