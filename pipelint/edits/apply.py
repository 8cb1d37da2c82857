"""Edits applied to text, and text written to disk: the mechanics under every fix.

Positions are pipelint's (1-based lines and columns, see ``pipelint.core.diagnostics``); a
write goes through a temporary file in the same folder and a rename, so a file is either the
old text or the new one, never half of each.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from pipelint.core.diagnostics import Edit, Fix
from pipelint.core.records import Record
from pipelint.core.source import line_offsets


class FileChange(Record):
    path: Path
    before: str | None  # None: the file did not exist
    after: str
    bom: bool
    newline: str

    def __init__(
        self,
        path: Path,
        before: str | None,
        after: str,
        bom: bool = False,
        newline: str = "\n",
    ) -> None:
        self.path = path
        self.before = before
        self.after = after
        self.bom = bom
        self.newline = newline


def apply_edits(text: str, edits: list[Edit], newline: str = "\n") -> str:
    """Apply non-overlapping edits (positions in ``text``) in one pass: O(size + edits).

    The result is that of applying them from last to first (edits at one point keep that
    order); the text is assembled once from the pieces between the sorted spans.
    """
    starts = line_offsets(text)
    size = len(text)

    def off(p) -> int:
        if p.line > len(starts):
            return size
        return min(starts[p.line - 1] + p.column - 1, size)

    spans_ = sorted((off(e.start), off(e.end), e.content) for e in edits)
    if any(spans_[i][0] < spans_[i - 1][1] for i in range(1, len(spans_))):
        return _apply_backwards(text, spans_, newline)  # overlapping: as edits always were
    out, at = [], 0
    for a, b, content in spans_:
        if newline != "\n":
            content = content.replace("\r\n", "\n").replace("\n", newline)
        if a > at:
            out.append(text[at:a])
        out.append(content)
        at = max(at, b)
    out.append(text[at:])
    return "".join(out)


def _apply_backwards(text: str, spans_: list, newline: str) -> str:
    for a, b, content in reversed(spans_):
        if newline != "\n":
            content = content.replace("\r\n", "\n").replace("\n", newline)
        text = text[:a] + content + text[b:]
    return text


def spans(fix: Fix, texts: dict[Path, str], offsets: dict | None = None) -> list[tuple[Path, int, int]]:
    """Offsets of a fix's edits; ``offsets`` caches each text's line-offset table across calls."""
    out = []
    for e in fix.edits:
        t = texts.get(e.path, "")
        starts = offsets.get(e.path) if offsets is not None else None
        if starts is None:
            starts = line_offsets(t)
            if offsets is not None:
                offsets[e.path] = starts
        a = starts[min(e.start.line, len(starts)) - 1] + e.start.column - 1
        b = starts[min(e.end.line, len(starts)) - 1] + e.end.column - 1
        out.append((e.path, a, b))
    return out


def overlaps(spans, taken) -> bool:
    if isinstance(taken, Taken):
        return taken.overlaps(spans)
    for path, a, b in spans:
        for p2, c, d in taken:
            if path == p2 and a < d and c < b or (path == p2 and a == b == c == d):
                return True
    return False


class Taken:
    """The spans already chosen in a fixing round, searchable in O(log n + nearby) instead of
    a scan of all of them; same answer as ``overlaps(spans, list)``."""

    def __init__(self):
        self._starts: dict = {}    # path -> sorted [(start, end)]
        self._longest: dict = {}   # path -> the longest span's length
        self._points: set = set()  # zero-width spans: (path, offset)

    def overlaps(self, spans) -> bool:
        import bisect

        for path, a, b in spans:
            if a == b and (path, a) in self._points:
                return True
            items = self._starts.get(path)
            if not items:
                continue
            longest = self._longest[path]
            i = bisect.bisect_left(items, (b, -1)) - 1  # the last span starting before b
            while i >= 0:
                c, d = items[i]
                if c + longest <= a:
                    break  # this span and every earlier one ends at or before a
                if a < d:
                    return True
                i -= 1
        return False

    def add(self, spans) -> None:
        import bisect

        for path, a, b in spans:
            bisect.insort(self._starts.setdefault(path, []), (a, b))
            self._longest[path] = max(self._longest.get(path, 0), b - a)
            if a == b:
                self._points.add((path, a))


def parses(path: Path, text: str) -> str | None:
    """Why ``text`` would not be a valid file of its kind, or None."""
    if path.suffix == ".py":
        import libcst as cst

        from pipelint.model.python import unsafe_to_write

        why = unsafe_to_write(text)  # Python's own parser first: libcst accepts more, and can crash
        if why is not None:
            return f"the fixed {path.name} would not parse ({why})"
        try:
            cst.parse_module(text)
        except Exception as exc:  # any parser failure means: do not write
            return f"the fixed {path.name} would not parse ({str(exc).splitlines()[0]})"
    elif path.name.endswith((".yaml", ".yml")):
        from pipelint.model import yamlnodes

        doc = yamlnodes.compose(text)
        if doc.error:
            return f"the fixed {path.name} would not be valid YAML ({doc.error})"
    return None


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename over the original."""
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    # A FIFO, device or folder where a file is expected is the user's, not ours to replace.
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise IsADirectoryError(21, "not a regular file") if stat.S_ISDIR(st.st_mode) else OSError(
            95, "not a regular file")
    mode = stat.S_IMODE(st.st_mode) if st is not None else None
    # A file nobody may write is left alone even when we could (root): the user made it read-only.
    if mode is not None and (not mode & 0o222 or not os.access(path, os.W_OK)):
        raise PermissionError(13, "the file is read-only")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".pipelint-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def unified_diff(change: FileChange, display: str) -> str:
    import difflib

    before = (change.before or "").splitlines(keepends=True)
    after = change.after.splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, fromfile=f"a/{display}", tofile=f"b/{display}"))
