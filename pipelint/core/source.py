"""Reading the files of a model folder: bytes → text, keeping what --fix must restore.

Nothing here raises for bad input: a file that cannot be read or decoded carries the reason
in ``error`` and the rules report it (the unreadable-file rule).
"""

from __future__ import annotations

import os
from pathlib import Path

from pipelint.core.records import Record

# Bigger files are not linted: libcst needs ~1 KB of memory per byte of source.
MAX_FILE_BYTES = 2_000_000
BOM = "\ufeff"


class SourceFile(Record):
    path: Path  # absolute
    rel: str  # relative to the model root, POSIX style
    text: str | None  # decoded, without BOM; None when unreadable
    raw: bytes | None
    error: str | None  # why ``text`` is None
    bom: bool
    newline: str
    # For a file that is not valid UTF-8: the byte offset of the first undecodable byte, and
    # whether every undecodable byte is inside a Python comment (CPython 3.13 imports such a file).
    error_offset: int | None
    only_in_comments: bool

    def __init__(
        self,
        path: Path,
        rel: str,
        text: str | None,
        raw: bytes | None,
        error: str | None = None,
        bom: bool = False,
        newline: str = "\n",
        error_offset: int | None = None,
        only_in_comments: bool = False,
    ) -> None:
        self.path = path
        self.rel = rel
        self.text = text
        self.raw = raw
        self.error = error
        self.bom = bom
        self.newline = newline
        self.error_offset = error_offset
        self.only_in_comments = only_in_comments

    def error_position(self) -> tuple[int, int] | None:
        """1-based (line, column) of the first undecodable byte, the column counted in characters."""
        if self.error_offset is None or self.raw is None:
            return None
        raw, at = self.raw, self.error_offset
        line_start = max(raw.rfind(b"\n", 0, at), raw.rfind(b"\r", 0, at)) + 1
        prefix = raw[:at]
        line = prefix.count(b"\n") + prefix.count(b"\r") - prefix.count(b"\r\n") + 1
        column = len(raw[line_start:at].decode("utf-8", "replace")) + 1
        return line, column

    @property
    def ok(self) -> bool:
        return self.text is not None

    def lines(self) -> list[str]:
        return self.text.splitlines() if self.text is not None else []

    def offset(self, line: int, column: int) -> int:
        """Character offset of a 1-based line / 1-based column into ``text``."""
        starts = line_offsets(self.text or "")
        if line > len(starts):
            return len(self.text or "")
        return starts[line - 1] + column - 1


def line_offsets(text: str) -> list[int]:
    """Start offsets of each line; a line ends at \\n, \\r\\n or a lone \\r, as Python's tokenizer."""
    offsets = [0]
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            offsets.append(i + 1)
        elif c == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                i += 1
            offsets.append(i + 1)
        i += 1
    return offsets


def detect_newline(text: str) -> str:
    i = text.find("\n")
    j = text.find("\r")
    if j != -1 and (i == -1 or j < i):
        return "\r\n" if text[j : j + 2] == "\r\n" else "\r"
    return "\n"


def decode(raw: bytes) -> tuple[str | None, str | None, bool]:
    """Return (text, error, had_bom)."""
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        return None, "is UTF-16 encoded; save it as UTF-8", False
    if b"\x00" in raw:
        return None, "is binary (contains NUL bytes), not text", False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save it as UTF-8", False
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    return text, None, bom


def undecodable(raw: bytes, python: bool = False) -> tuple[int | None, bool]:
    """(offset of the first byte that is not UTF-8, every such byte is inside a comment) — the
    second only for Python source, read with ``tokenize`` on a surrogate-escaped decoding (CPython
    3.13's tokenizer does not decode comments, so it imports such a file)."""
    if b"\x00" in raw or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, False  # UTF-16 or binary: no byte to point at
    try:
        raw.decode("utf-8")
        return None, False
    except UnicodeDecodeError as exc:
        first = exc.start
    if not python:
        return first, False
    import io
    import tokenize

    text = raw.decode("utf-8", "surrogateescape")
    bad = [i for i, ch in enumerate(text) if "\udc80" <= ch <= "\udcff"]
    starts = line_offsets(text)
    comments = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
            if tok.type == tokenize.ERRORTOKEN:
                return first, False
            if tok.type == tokenize.COMMENT:
                (r1, c1), (r2, c2) = tok.start, tok.end
                comments.append((starts[r1 - 1] + c1, starts[r2 - 1] + c2))
    except (tokenize.TokenError, SyntaxError, IndexError, UnicodeError):
        return first, False
    inside = all(any(a <= i < b for a, b in comments) for i in bad)
    return first, inside


def read_source(path: Path, root: Path, overlays: dict[Path, str] | None = None) -> SourceFile:
    rel = _rel(path, root)
    if overlays and path in overlays:
        text = overlays[path]
        bom = text.startswith(BOM)
        if bom:
            text = text[1:]
        # surrogatepass: an editor buffer may carry a lone surrogate; it must not crash the lint.
        return SourceFile(path, rel, text, text.encode("utf-8", "surrogatepass"), bom=bom, newline=detect_newline(text))
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return SourceFile(path, rel, None, None, f"is too large to lint ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
        raw = path.read_bytes()
    except OSError as exc:
        return SourceFile(path, rel, None, None, f"cannot be read ({exc.strerror or exc})")
    text, error, bom = decode(raw)
    if text is None:
        offset, in_comments = undecodable(raw, python=path.suffix == ".py")
        return SourceFile(path, rel, None, raw, error, error_offset=offset, only_in_comments=in_comments)
    return SourceFile(path, rel, text, raw, bom=bom, newline=detect_newline(text))


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return os.path.relpath(path, root).replace(os.sep, "/")
