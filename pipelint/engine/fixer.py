"""Applying fixes: edits in memory, re-lint, repeat until stable, then write atomically.

A fix's edits are applied together or not at all; fixes whose edits overlap one already
chosen wait for the next round. A file whose result no longer parses is never written.
"""

from __future__ import annotations

from pathlib import Path

from pipelint.core.diagnostics import Applicability, Diagnostic, Edit, Fix
from pipelint.core.records import Record
from pipelint.core.source import BOM
from pipelint.edits.apply import FileChange, Taken, apply_edits, atomic_write, overlaps, parses, spans, unified_diff  # noqa: F401

MAX_ROUNDS = 10




class FixOutcome(Record):
    changes: dict[Path, FileChange]
    applied: list[Diagnostic]  # the diagnostics whose fix was applied
    remaining: list[Diagnostic]
    refused: list[str]  # files left alone, and why
    internal_errors: list[str]
    sources: dict[Path, str | None]  # text of every file read, after fixing

    def __init__(
        self,
        changes: dict[Path, FileChange] | None = None,
        applied: list[Diagnostic] | None = None,
        remaining: list[Diagnostic] | None = None,
        refused: list[str] | None = None,
        internal_errors: list[str] | None = None,
        sources: dict[Path, str | None] | None = None,
    ) -> None:
        self.changes = {} if changes is None else changes
        self.applied = [] if applied is None else applied
        self.remaining = [] if remaining is None else remaining
        self.refused = [] if refused is None else refused
        self.internal_errors = [] if internal_errors is None else internal_errors
        self.sources = {} if sources is None else sources


def allowed(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and (fix.applicability == Applicability.SAFE or unsafe)










def fix_model(root: Path, settings, unsafe: bool = False, lint=None, cache=None) -> FixOutcome:
    """Fix one model folder in memory; ``write_changes`` puts the result on disk.

    Every round re-lints the whole model, though a round changes only the files it fixed:
    without a ``lint`` of the caller's, the lints share a ``ProjectCache`` (one is made when
    ``cache`` is None), so a re-lint parses only the files whose text changed, and the check
    that a fixed file still parses is that parse, handed to the re-lint through the cache.
    A caller's ``lint`` that uses a cache may pass it as ``cache`` for the same saving.
    """
    from pipelint.engine import runner

    if lint is None:
        from functools import partial

        from pipelint.model.project import ProjectCache

        cache = cache if cache is not None else ProjectCache()
        lint = partial(runner.lint, cache=cache)
    outcome = FixOutcome()
    overlays: dict[Path, str] = {}
    originals: dict[Path, FileChange] = {}
    banned: set[tuple] = set()
    result = None
    relint = True
    for _ in range(MAX_ROUNDS):
        # After a refused round the overlays are as the last lint saw them: its result stands.
        # Its internal errors are counted again, as the lint they stand for would have reported them.
        if relint:
            result = lint(root, settings, overlays=overlays)
        relint = True
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
        taken = Taken()
        offsets: dict = {}
        for d in result.diagnostics:
            if not allowed(d.fix, unsafe) or _key(d) in banned:
                continue
            if any(texts.get(e.path) is None for e in d.fix.edits):
                continue
            where = spans(d.fix, texts, offsets)
            if overlaps(where, taken):
                continue
            taken.add(where)
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
            why = _parses(path, new, project, cache)
            if why:
                outcome.refused.append(f"{path}: {why}; fixes for it were not applied")
                for d in chosen:
                    if any(e.path == path for e in d.fix.edits):
                        banned.add(_key(d))
                bad = True
                break
            new_texts[path] = new
        if bad:
            relint = False
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


def _parses(path: Path, text: str, project, cache) -> str | None:
    """``parses(path, text)``, answered from the parse the next lint will reuse when it succeeds.

    The next round's lint parses the fixed file anyway; parsing it here into the cache, as that
    lint's ``Project`` would read it, makes the check free. A file that does not parse cleanly
    (or starts with a BOM, which the lint strips and ``parses`` does not) is judged by
    ``parses`` itself: same verdict, same message, as without a cache.
    """
    if cache is None or project is None or text.startswith(BOM):
        return parses(path, text)
    from pipelint.core.paths import resolve_path

    where = resolve_path(path)  # as the Project keys its files
    if path.suffix == ".py":
        from pipelint.core.source import read_source
        from pipelint.model.project import module_name

        source = read_source(where, project.root, {where: text})
        module = cache.module(source, module_name(source.rel), where.name == "__init__.py")
        if module.tree is not None and module.parse_error is None and module.limit_error is None:
            return None  # CPython and libcst both parsed it, as ``parses`` asks
    elif path.name.endswith((".yaml", ".yml")):
        if not cache.compose(where, text).error:
            return None
    return parses(path, text)


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



