"""Applying fixes: edits in memory, re-lint, repeat until stable, then write atomically.

A fix's edits are applied together or not at all; fixes whose edits overlap one already
chosen wait for the next round. A file whose result no longer parses is never written.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pipelint.core.diagnostics import Applicability, Diagnostic, Edit, Fix
from pipelint.core.source import BOM, line_offsets

MAX_ROUNDS = 10


@dataclass
class FileChange:
    path: Path
    before: str | None  # None: the file did not exist
    after: str
    bom: bool = False
    newline: str = "\n"


@dataclass
class FixOutcome:
    changes: dict[Path, FileChange] = field(default_factory=dict)
    applied: list[Diagnostic] = field(default_factory=list)  # the diagnostics whose fix was applied
    remaining: list[Diagnostic] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # files left alone, and why
    internal_errors: list[str] = field(default_factory=list)
    sources: dict[Path, str | None] = field(default_factory=dict)  # text of every file read, after fixing


def allowed(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and (fix.applicability == Applicability.SAFE or unsafe)


def apply_edits(text: str, edits: list[Edit], newline: str = "\n") -> str:
    """Apply non-overlapping edits (positions in ``text``) from last to first."""
    starts = line_offsets(text)

    def off(p) -> int:
        if p.line > len(starts):
            return len(text)
        return min(starts[p.line - 1] + p.column - 1, len(text))

    spans = sorted(((off(e.start), off(e.end), e.content) for e in edits), reverse=True)
    for a, b, content in spans:
        if newline != "\n":
            content = content.replace("\r\n", "\n").replace("\n", newline)
        text = text[:a] + content + text[b:]
    return text


def _spans(fix: Fix, texts: dict[Path, str]) -> list[tuple[Path, int, int]]:
    out = []
    for e in fix.edits:
        t = texts.get(e.path, "")
        starts = line_offsets(t)
        a = starts[min(e.start.line, len(starts)) - 1] + e.start.column - 1
        b = starts[min(e.end.line, len(starts)) - 1] + e.end.column - 1
        out.append((e.path, a, b))
    return out


def _overlaps(spans, taken) -> bool:
    for path, a, b in spans:
        for p2, c, d in taken:
            if path == p2 and a < d and c < b or (path == p2 and a == b == c == d):
                return True
    return False


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


def fix_model(root: Path, settings, unsafe: bool = False, lint=None) -> FixOutcome:
    """Fix one model folder in memory; ``write_changes`` puts the result on disk."""
    from pipelint.engine import runner

    lint = lint or runner.lint
    outcome = FixOutcome()
    overlays: dict[Path, str] = {}
    originals: dict[Path, FileChange] = {}
    banned: set[tuple] = set()
    result = None
    for _ in range(MAX_ROUNDS):
        result = lint(root, settings, overlays=overlays)
        outcome.internal_errors += result.internal_errors
        project = result.project
        texts: dict[Path, str] = {}
        for d in result.diagnostics:
            if allowed(d.fix, unsafe):
                for e in d.fix.edits:
                    if e.path not in texts:
                        f = project.file(e.path)
                        texts[e.path] = f.text if f is not None and f.text is not None else ""
                        if e.path not in originals:
                            originals[e.path] = FileChange(
                                e.path, f.text if f is not None else None, "",
                                bom=bool(f and f.bom), newline=f.newline if f else "\n")
        chosen: list[Diagnostic] = []
        taken: list = []
        for d in result.diagnostics:
            if not allowed(d.fix, unsafe) or _key(d) in banned:
                continue
            if any(texts.get(e.path) is None for e in d.fix.edits):
                continue
            spans = _spans(d.fix, texts)
            if _overlaps(spans, taken):
                continue
            taken += spans
            chosen.append(d)
        if not chosen:
            break
        new_texts = dict(texts)
        by_file: dict[Path, list[Edit]] = {}
        for d in chosen:
            for e in d.fix.edits:
                by_file.setdefault(e.path, []).append(e)
        bad = False
        for path, edits in by_file.items():
            new = apply_edits(texts[path], edits, originals[path].newline)
            why = parses(path, new)
            if why:
                outcome.refused.append(f"{path}: {why}; fixes for it were not applied")
                for d in chosen:
                    if any(e.path == path for e in d.fix.edits):
                        banned.add(_key(d))
                bad = True
                break
            new_texts[path] = new
        if bad:
            continue
        for path in by_file:
            overlays[path] = new_texts[path]
        outcome.applied += chosen
    outcome.remaining = result.diagnostics if result else []
    if result is not None:
        outcome.sources = {f.path: f.text for f in result.project.files_read}
    for path, text in overlays.items():
        orig = originals[path]
        if orig.before != text:
            outcome.changes[path] = FileChange(path, orig.before, text, orig.bom, orig.newline)
    return outcome


def _key(d: Diagnostic) -> tuple:
    return (d.code, str(d.path), d.message)


def write_changes(outcome: FixOutcome) -> list[str]:
    """Write every changed file atomically, keeping BOM and mode. Returns errors (file left alone)."""
    errors = []
    for change in outcome.changes.values():
        data = ((BOM if change.bom else "") + change.after).encode("utf-8")
        try:
            atomic_write(change.path, data)
        except OSError as exc:
            errors.append(f"{change.path}: cannot write ({exc.strerror or exc}); file left unchanged")
    return errors


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
