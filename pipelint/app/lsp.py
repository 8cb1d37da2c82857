"""`pipelint lsp`: a Language Server Protocol server over stdio.

It lints the unsaved buffers, not the files on disk: every open document of a model folder is
an overlay of that model's lint. A change lints the whole model once and publishes for every
file of it, because a verdict on one file may depend on another (renaming ``run`` in main.py
changes what cog.yaml's ``predict:`` means).

Imported only by ``pipelint lsp``, so the CLI never pays for pygls.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import bisect
import difflib
import gc
import logging
import sys
import threading
import time
import traceback
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from pipelint import __version__
from pipelint.core.diagnostics import Applicability, Diagnostic, Edit, Position, Severity
from pipelint.core.records import Record
from pipelint.core.settings import Settings, SettingsError
from pipelint.core.source import BOM, detect_newline, line_offsets
from pipelint.engine.config import CONFIG_NAMES, settings_for_model

log = logging.getLogger("pipelint.app.lsp")

# Long enough for the reader to drain a burst of changes already sent (a paste, a formatter's
# edits: each message takes ~0.1 ms to read), so they cost one lint, not one each; short next to
# the lint itself, so typing sees no delay. Changes that arrive during a lint coalesce anyway.
DEBOUNCE_SECONDS = 0.002
MAX_DEBOUNCE_SECONDS = 0.25  # for a model whose lint takes seconds (see PipelintServer.debounce)
MAX_CURRENT_WAITS = 4  # lints a code action waits for while the user keeps typing
STATS_METHOD = "pipelint/stats"
CANCELLED = "cancelled"  # what _compute returns for a lint stopped midway
FIX_ALL_KIND = f"{lsp.CodeActionKind.SourceFixAll.value}.pipelint"
# A full collection after this many lints (the others collect the two young generations only):
# what lints leave in cycles in the old generation is freed at this pace, and the collector's
# own trigger for a full pass (more than 10 young collections since the last) is never reached.
FULL_COLLECTION_EVERY = 8
# ...and after every lint that took this much CPU time: what a large file's lint leaves in cycles
# is as large as the file's trees, and waiting 8 lints to free it would hold 8 of them.
FULL_COLLECTION_AFTER_SECONDS = 0.1
# How many lines after a diagnostic's own line a suppression comment may go (to the end of
# a statement whose first line ends inside a string, or of a continued requirement).
MAX_SUPPRESSION_SEARCH = 30

SEVERITIES = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}
REQUIREMENTS_LANGUAGES = ("pip-requirements", "requirements")


# ---- positions ---------------------------------------------------------------------------
def _counter(encoding: str):
    if encoding == lsp.PositionEncodingKind.Utf8:
        return lambda s: len(s.encode("utf-8", "surrogatepass"))
    if encoding == lsp.PositionEncodingKind.Utf32:
        return len
    return lambda s: len(s.encode("utf-16-le", "surrogatepass")) // 2


class LineIndex:
    """Converts between pipelint positions and LSP positions for one text.

    pipelint counts 1-based lines and 1-based columns in code points, in the text without its
    BOM; LSP counts 0-based lines and columns in the negotiated code units (UTF-16 unless the
    client offered another). Lines end at \\n, \\r\\n or \\r in both.
    """

    def __init__(self, text: str, encoding: str = lsp.PositionEncodingKind.Utf16):
        self.units = _counter(encoding)
        self.bom_units = self.units(BOM) if text.startswith(BOM) else 0
        self.text = text[1:] if self.bom_units else text
        self.starts = line_offsets(self.text)

    def _line(self, index: int) -> str:
        start = self.starts[index]
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def _shift(self, line: int) -> int:
        return self.bom_units if line == 0 else 0

    def end(self) -> lsp.Position:
        last = len(self.starts) - 1
        return lsp.Position(last, self.units(self._line(last)) + self._shift(last))

    def to_lsp(self, pos: Position) -> lsp.Position:
        line = max(pos.line - 1, 0)
        if line >= len(self.starts):
            return self.end()
        text = self._line(line)
        column = min(max(pos.column - 1, 0), len(text))
        return lsp.Position(line, self.units(text[:column]) + self._shift(line))

    def range(self, start: Position, end: Position) -> lsp.Range:
        return lsp.Range(self.to_lsp(start), self.to_lsp(end))

    def offset_to_lsp(self, offset: int) -> lsp.Position:
        line = bisect.bisect_right(self.starts, offset) - 1
        return self.to_lsp(Position(line + 1, offset - self.starts[line] + 1))

    def from_lsp(self, pos: lsp.Position) -> Position:
        """The pipelint position of an LSP position (a unit inside a character rounds down)."""
        if pos.line >= len(self.starts):
            last = len(self.starts) - 1
            return Position(last + 1, len(self._line(last)) + 1)
        text = self._line(pos.line)
        want, seen, column = pos.character - self._shift(pos.line), 0, 0
        while column < len(text) and seen + self.units(text[column]) <= want:
            seen += self.units(text[column])
            column += 1
        return Position(pos.line + 1, column + 1)

    def line_text(self, line0: int) -> str:
        return self._line(line0) if 0 <= line0 < len(self.starts) else ""


# ---- documents and models ----------------------------------------------------------------
def _encodable(text: str) -> str:
    """The buffer with any lone surrogate (JSON can carry one; UTF-8 cannot) as U+FFFD.

    One code point and one UTF-16 unit for another, so every position stays where it was.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def document_kind(path: Path, language_id: str | None) -> str | None:
    """What pipelint reads a document as, by its name first and then its language id."""
    if path.name == "cog.yaml":
        return "cog"
    if path.suffix == ".py" or (language_id == "python" and path.suffix in ("", ".py")):
        return "python"
    if path.suffix == ".txt" or language_id in REQUIREMENTS_LANGUAGES:
        return "requirements"
    return None


class OpenDocument(Record):
    uri: str
    path: Path
    version: int | None
    text: str

    def __init__(self, uri: str, path: Path, version: int | None, text: str) -> None:
        self.uri = uri
        self.path = path
        self.version = version
        self.text = text


class ModelState(Record):
    """The last lint of one model folder, as published."""

    texts: dict[Path, str]  # the text each diagnostic's positions refer to
    versions: dict[Path, int | None]  # of the open documents that were linted
    diagnostics: dict[str, list[tuple[lsp.Diagnostic, Diagnostic]]]  # by URI
    published: set[str]

    def __init__(
        self,
        texts: dict[Path, str],
        versions: dict[Path, int | None],
        diagnostics: dict[str, list[tuple[lsp.Diagnostic, Diagnostic]]] | None = None,
        published: set[str] | None = None,
    ) -> None:
        self.texts = texts
        self.versions = versions
        self.diagnostics = {} if diagnostics is None else diagnostics
        self.published = set() if published is None else published


class _Lint(Record):
    """One lint in the worker: the buffers it lints, and the flag that tells it to stop."""

    future: asyncio.Future
    docs: list[OpenDocument]
    stop: threading.Event
    started: float  # perf_counter when it was handed to the worker

    def __init__(
        self,
        future: asyncio.Future,
        docs: list[OpenDocument],
        stop: threading.Event,
        started: float = 0.0,
    ) -> None:
        self.future = future
        self.docs = docs
        self.stop = stop
        self.started = started


def _ranges_overlap(a: lsp.Range, b: lsp.Range) -> bool:
    def key(p: lsp.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _wanted(kind: str, only) -> bool:
    """Whether a code action of ``kind`` answers a request restricted to ``only`` kinds."""
    if not only:
        return True
    return any(kind == k or kind.startswith(f"{k}.") for k in only)


def _capability(obj, *names, default=None):
    for name in names:
        obj = getattr(obj, name, None)
        if obj is None:
            return default
    return obj


class PipelintServer(LanguageServer):
    def __init__(self):
        # Full sync: pipeline files are small, and whole texts keep positions exact (pygls splits
        # incremental changes on every Unicode line break, LSP only on \n, \r\n and \r).
        super().__init__("pipelint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
        self.models: dict[Path, ModelState] = {}
        self.model_of_uri: dict[str, Path] = {}
        self.pending: dict[Path, asyncio.TimerHandle] = {}
        self.reported_config_errors: set[str] = set()
        # Lints run off the event loop, one at a time, in a worker thread: the server answers
        # requests while a large file is linted, and never lints on the event loop. A change
        # tells the running lint of its model to stop (cooperatively: runner.lint checks between
        # phases, rules and modules); a lint whose buffers changed meanwhile is never published,
        # and the model is linted once more with the buffers as they are then: only the last
        # state is linted to the end and published.
        self._executor = None
        self.running: dict[Path, _Lint] = {}  # model -> its lint in the worker
        self.rerun: set[Path] = set()
        self.lint_seconds: dict[Path, float] = {}  # CPU time of the last lint that ran to its end
        self.caches: dict = {}  # model -> model.project.ProjectCache: unchanged files are not parsed again
        # How many lints were started, cancelled midway, finished but dropped (a newer state
        # waited), published, failed: `pipelint/stats` answers them (benchmarks/lsp_latency.py).
        self.stats: dict[str, int] = dict.fromkeys(("started", "cancelled", "dropped", "published", "failed"), 0)
        # Where an edit's time goes, summed over the server's life (`pipelint/stats`, in ms).
        self.timings: dict[str, float] = dict.fromkeys(
            ("waited_ms", "lint_wall_ms", "lint_cpu_ms", "publish_ms", "collect_ms"), 0.0)
        self.collections = {"young": 0, "full": 0}
        self.frozen = False
        self.since_full = 0  # young collections since the last full one
        self.slow_lint_since_collection = False  # a lint since the last collection took FULL_COLLECTION_AFTER_SECONDS
        self.collecting: asyncio.Future | None = None
        self.scheduled_at: dict[Path, float] = {}

    # ---- which documents ----------------------------------------------------------------
    def track(self, uri: str) -> Path | None:
        """The model folder of an open document that pipelint lints, remembered; else None."""
        if uri in self.model_of_uri:
            return self.model_of_uri[uri]
        from pipelint.app.discovery import enclosing_model

        doc = self.workspace.get_text_document(uri)
        fs_path = to_fs_path(uri) if uri.startswith("file:") else None
        if fs_path is None:
            return None
        path = Path(fs_path)
        if document_kind(path, doc.language_id) is None:
            return None
        try:
            model = enclosing_model(path.resolve())
        except OSError:
            return None
        if model is None:
            return None
        model = model.resolve()
        self.model_of_uri[uri] = model
        return model

    def open_documents(self, model: Path) -> list[OpenDocument]:
        docs = []
        for uri, m in self.model_of_uri.items():
            if m != model:
                continue
            doc = self.workspace.text_documents.get(uri)
            if doc is not None:
                docs.append(OpenDocument(uri, Path(to_fs_path(uri)).resolve(), doc.version, _encodable(doc.source)))
        return docs

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or lsp.PositionEncodingKind.Utf16

    # ---- linting ------------------------------------------------------------------------
    def debounce(self, model: Path) -> float:
        """How long to wait for the next change before linting ``model``.

        ``DEBOUNCE_SECONDS`` for a model that lints quickly; for a slow one (a 5,000-line
        main.py takes seconds) up to a sixteenth of its last lint's CPU time (not its wall
        time, which a busy machine stretches), at most
        ``MAX_DEBOUNCE_SECONDS``: a burst of keystrokes then costs one lint of its last state,
        not a lint started (and cancelled) per keystroke, for a wait small next to the lint.
        """
        return min(MAX_DEBOUNCE_SECONDS, max(DEBOUNCE_SECONDS, self.lint_seconds.get(model, 0.0) / 16))

    def schedule(self, model: Path, delay: float | None = None) -> None:
        """A buffer of ``model`` changed (or its files on disk): lint its last state soon.

        A lint of an older state still running is told to stop at once (it checks between
        phases, rules and modules); its result would not be published anyway.
        """
        handle = self.pending.pop(model, None)
        if handle is not None:
            handle.cancel()
        job = self.running.get(model)
        if job is not None:
            job.stop.set()
        delay = self.debounce(model) if delay is None else delay
        self.scheduled_at.setdefault(model, time.perf_counter())
        self.pending[model] = asyncio.get_running_loop().call_later(delay, self.lint_background, model)

    async def current(self, model: Path) -> ModelState | None:
        """The model's diagnostics for the buffers as they are now: a change that waits is
        linted at once, and this waits for the worker (never linting on the event loop)."""
        for _ in range(MAX_CURRENT_WAITS):
            if model in self.pending or (model not in self.models and model not in self.running):
                self.lint_background(model)
            job = self.running.get(model)
            if job is None:
                break
            await asyncio.wait([job.future])
            await asyncio.sleep(0)  # the lint's done callback (publishing, or the rerun) runs first
        return self.models.get(model)

    def settings_for(self, model: Path):
        """The same settings the CLI would use for this folder, read afresh (config edits apply at once)."""
        try:
            settings = settings_for_model(model)
        except SettingsError as exc:
            message = f"pipelint: {exc}; using the default settings for {model}"
            if message not in self.reported_config_errors:
                self.reported_config_errors.add(message)
                self.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Warning, message))
            return Settings()
        self.reported_config_errors.clear()  # a mistake made again after a repair is shown again
        return settings

    def worker(self):
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor

            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pipelint-lint")
        return self._executor

    def cache_for(self, model: Path):
        """What the lints of ``model`` parsed, kept by file text (used in the worker only)."""
        if model not in self.caches:
            from pipelint.model.project import ProjectCache

            self.caches[model] = ProjectCache()
        return self.caches[model]

    def lint_background(self, model: Path) -> None:
        """Lint the buffers of ``model`` as they are now in the worker thread; publish when done."""
        handle = self.pending.pop(model, None)
        if handle is not None:
            handle.cancel()
        if model in self.running:  # an older state is being linted: lint again when it ends
            self.running[model].stop.set()
            self.rerun.add(model)
            return
        docs = self.open_documents(model)
        if not docs:
            self.forget(model)
            return
        settings = self.settings_for(model)  # here: it may show a message
        stop = threading.Event()
        if not self.frozen:
            self.frozen = True
            self.worker().submit(_load_and_freeze)  # the worker runs it before this lint
        # The collector is off from here until the lint is published (see collect_garbage).
        gc.disable()
        future = asyncio.get_running_loop().run_in_executor(
            self.worker(), _compute, model, docs, settings, self.cache_for(model), stop.is_set)
        job = self.running[model] = _Lint(future, docs, stop, time.perf_counter())
        self.stats["started"] += 1
        future.add_done_callback(lambda f: self._finished(model, job))

    def _finished(self, model: Path, job: _Lint) -> None:
        try:
            self._conclude(model, job)
        finally:
            self.collect_garbage()

    def _conclude(self, model: Path, job: _Lint) -> None:
        if self.running.get(model) is job:
            del self.running[model]
        self.timings["lint_wall_ms"] += (time.perf_counter() - job.started) * 1000
        future = job.future
        outcome = None
        if not future.cancelled():
            try:
                outcome = future.result()
            except Exception:  # a bug in pipelint must not take the editor's server down
                self.window_log_message(lsp.LogMessageParams(
                    lsp.MessageType.Error, f"pipelint: internal error linting {model}:\n{traceback.format_exc()}"))
                self.stats["failed"] += 1
        if future.cancelled() or outcome is CANCELLED:
            self.stats["cancelled"] += 1
        elif outcome is not None:
            self.lint_seconds[model] = outcome[3]
            self.slow_lint_since_collection |= outcome[3] >= FULL_COLLECTION_AFTER_SECONDS
            self.timings["lint_cpu_ms"] += outcome[3] * 1000
        if model in self.rerun or job.stop.is_set():  # the buffers changed meanwhile: not the last state
            self.rerun.discard(model)
            if outcome is not None and outcome is not CANCELLED:
                self.stats["dropped"] += 1
            if model not in self.pending:  # else the debounce timer starts it
                self.lint_background(model)
            return
        if outcome is None or outcome is CANCELLED:
            return
        self.stats["published"] += 1
        published = time.perf_counter()
        self._publish(model, job.docs, *outcome[:3])
        self.timings["publish_ms"] += (time.perf_counter() - published) * 1000
        scheduled = self.scheduled_at.pop(model, None)
        if scheduled is not None:
            self.timings["waited_ms"] += (job.started - scheduled) * 1000

    def collect_garbage(self) -> None:
        """Once no lint is running or waiting: collect what the lints left, in the worker, then
        let the collector run by itself again until the next lint.

        The collector is paused while a lint runs and is published: a lint allocates hundreds of
        thousands of objects and frees almost all of them by reference counting, so the
        collections it would trigger (a full one, over every cached tree, every ~10 lints: ~0.1 s
        on the typical model) are overhead inside the edit's latency. Here, after the
        diagnostics are out, the two young generations hold only what lints allocated since the
        last collection; a full collection every ``FULL_COLLECTION_EVERY`` lints, and after a
        slow one, frees the cycles that outlived them, so memory stays flat over any number of
        edits.
        """
        if self.running or self.pending or self.collecting is not None:
            return
        self.forget_finished_notifications()
        # The lints since the last collection, not every model's last one: a large model linted
        # once must not make every later collection of a small model's edits a full one.
        full = self.slow_lint_since_collection or self.since_full + 1 >= FULL_COLLECTION_EVERY
        self.slow_lint_since_collection = False

        def collect() -> float:
            cpu = time.thread_time()
            gc.collect(2 if full else 1)
            return (time.thread_time() - cpu) * 1000

        self.since_full = 0 if full else self.since_full + 1
        self.collections["full" if full else "young"] += 1
        self.collecting = asyncio.get_running_loop().run_in_executor(self.worker(), collect)
        self.collecting.add_done_callback(self._collected)

    def forget_finished_notifications(self) -> None:
        """Drop what pygls keeps of the notifications it has handled.

        pygls 2.1 runs its own handler of didOpen, didChange, didSave and didClose as a
        generator, and files that handler's future under a fresh id among the futures of
        requests in flight, from which only a request's response removes one: a future (with its
        lock and condition, ~1.5 KB) stayed for every edit. A finished one has nothing left to
        answer or cancel, so removing it changes nothing else.
        """
        futures = getattr(self.protocol, "_request_futures", None)
        if isinstance(futures, dict):
            for key in [k for k, f in futures.items() if f.done()]:
                del futures[key]

    def _collected(self, future: asyncio.Future) -> None:
        self.collecting = None
        if not future.cancelled() and future.exception() is None:
            self.timings["collect_ms"] += future.result()
        if not self.running:  # else a lint started meanwhile: it keeps the collector off
            gc.enable()

    def _publish(self, model: Path, docs: list[OpenDocument], diagnostics, errors, texts) -> None:
        for error in errors:
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, f"pipelint: internal error: {error}"))
        uri_of = {d.path: d.uri for d in docs}
        previous = self.models.get(model)
        state = ModelState(texts, {d.path: d.version for d in docs})
        indexes: dict[Path, LineIndex] = {}
        for d in diagnostics:
            uri = uri_of.get(d.path) or from_fs_path(str(d.path))
            if d.path not in indexes:
                indexes[d.path] = LineIndex(texts.get(d.path, ""), self.encoding)
            state.diagnostics.setdefault(uri, []).append((self.to_lsp(d, indexes[d.path]), d))
        self.models[model] = state
        versions = {d.uri: d.version for d in docs}
        stale = (previous.published if previous else set()) | set(versions)
        for uri in sorted(set(state.diagnostics) | stale):
            pairs = state.diagnostics.get(uri, [])
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                uri=uri, diagnostics=[p[0] for p in pairs], version=versions.get(uri)))
        state.published = set(state.diagnostics)

    def relint_all(self) -> None:
        """Files changed on disk (config, a new cog.yaml, a checkout): re-place and re-lint every open document."""
        before = set(self.model_of_uri.values())
        self.model_of_uri.clear()
        for uri in list(self.workspace.text_documents):
            self.track(uri)
        for model in sorted(before | set(self.model_of_uri.values())):
            self.schedule(model)

    def forget(self, model: Path) -> None:
        """Clear everything published for a model none of whose documents is open any more."""
        self.caches.pop(model, None)
        self.lint_seconds.pop(model, None)
        state = self.models.pop(model, None)
        for uri in sorted(state.published if state else ()):
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @staticmethod
    def to_lsp(d: Diagnostic, index: LineIndex) -> lsp.Diagnostic:
        message = d.message if not d.help else f"{d.message}\nhelp: {d.help}"
        return lsp.Diagnostic(
            range=index.range(d.start, d.end),
            message=message,
            severity=SEVERITIES.get(d.severity, lsp.DiagnosticSeverity.Error),
            code=d.code,
            code_description=lsp.CodeDescription(href=d.url),
            source="pipelint",
            data={"target": d.target} if d.target else None,  # the kind of model folder it was judged as
        )

    # ---- edits --------------------------------------------------------------------------
    def workspace_edit(self, model: Path, edits: dict[Path, list[lsp.TextEdit]]) -> lsp.WorkspaceEdit | None:
        """A WorkspaceEdit for text edits in several files, versioned for the open ones.

        None when the client cannot apply it (a fix that creates a file, for a client without
        resource operations).
        """
        caps = self.client_capabilities
        document_changes = _capability(caps, "workspace", "workspace_edit", "document_changes", default=False)
        can_create = lsp.ResourceOperationKind.Create in (
            _capability(caps, "workspace", "workspace_edit", "resource_operations", default=()) or ())
        state = self.models.get(model)
        open_uris = {p: u for u, m in self.model_of_uri.items() if m == model
                     for p in [Path(to_fs_path(u)).resolve()]}
        changes, operations = {}, []
        for path, text_edits in edits.items():
            uri = open_uris.get(path) or from_fs_path(str(path))
            missing = path not in open_uris and not path.exists()
            if missing:
                if not (document_changes and can_create):
                    return None
                operations.append(lsp.CreateFile(uri=uri, options=lsp.CreateFileOptions(ignore_if_exists=True)))
            changes[uri] = text_edits
            version = state.versions.get(path) if state and path in open_uris else None
            operations.append(lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                edits=text_edits))
        if document_changes:
            return lsp.WorkspaceEdit(document_changes=operations)
        return lsp.WorkspaceEdit(changes=changes)

    def text_edits(self, state: ModelState, fix_edits) -> dict[Path, list[lsp.TextEdit]]:
        out: dict[Path, list[lsp.TextEdit]] = {}
        for e in fix_edits:
            text = state.texts.get(e.path, "")
            index = LineIndex(text, self.encoding)
            content = e.content
            newline = detect_newline(text)
            if newline != "\n":
                content = content.replace("\r\n", "\n").replace("\n", newline)
            out.setdefault(e.path, []).append(lsp.TextEdit(range=index.range(e.start, e.end), new_text=content))
        return out

    def diff_edits(self, before: str, after: str, bom: str = "") -> list[lsp.TextEdit]:
        """The changed line runs between two texts, as edits (whole-file replacement moves the cursor).

        ``bom`` is the BOM the buffer starts with (the fix engine's texts do not have it).
        """
        index = LineIndex(bom + before, self.encoding)
        old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
        starts = [0]
        for line in old:
            starts.append(starts[-1] + len(line))
        edits = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if op != "equal":
                edits.append(lsp.TextEdit(
                    range=lsp.Range(index.offset_to_lsp(starts[i1]), index.offset_to_lsp(starts[i2])),
                    new_text="".join(new[j1:j2])))
        return edits

    # ---- code actions -------------------------------------------------------------------
    async def code_actions(self, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        uri = params.text_document.uri
        model = self.model_of_uri.get(uri)
        if model is None:
            return None
        state = await self.current(model)
        if state is None:
            return None
        only = params.context.only
        here = [(ld, d) for ld, d in state.diagnostics.get(uri, []) if _ranges_overlap(ld.range, params.range)]
        actions: list[lsp.CodeAction] = []
        if _wanted(lsp.CodeActionKind.QuickFix, only):
            for ld, d in here:
                if d.fix is not None:
                    action = self.fix_action(model, state, ld, d)
                    if action is not None:
                        actions.append(action)
            for ld, d in here:
                action = self.suppress_action(model, state, uri, ld, d)
                if action is not None:
                    actions.append(action)
        if _wanted(FIX_ALL_KIND, only) and any(
                d.fix is not None and d.fix.applicability == Applicability.SAFE for _, d in state.diagnostics.get(uri, [])):
            action = lsp.CodeAction(title="pipelint: fix all safe fixes", kind=FIX_ALL_KIND, data={"uri": uri})
            if not self.can_resolve_edits():
                action = await self.resolve_code_action(action)
            if action is not None:
                actions.append(action)
        return actions

    def can_resolve_edits(self) -> bool:
        props = _capability(self.client_capabilities, "text_document", "code_action", "resolve_support",
                            "properties", default=()) or ()
        return "edit" in props

    def fix_action(self, model, state, ld: lsp.Diagnostic, d: Diagnostic) -> lsp.CodeAction | None:
        unsafe = d.fix.applicability == Applicability.UNSAFE
        edit = self.workspace_edit(model, self.text_edits(state, d.fix.edits))
        if edit is None:
            return None
        return lsp.CodeAction(
            title=f"Fix {d.code}: {d.fix.message}" + (" (unsafe)" if unsafe else ""),
            kind=lsp.CodeActionKind.QuickFix, diagnostics=[ld], is_preferred=not unsafe, edit=edit)

    def suppress_action(self, model, state, uri: str, ld: lsp.Diagnostic, d: Diagnostic) -> lsp.CodeAction | None:
        if d.path not in state.texts:
            return None
        edit = suppression_edit(d, state.texts[d.path])
        if edit is None:
            return None
        workspace_edit = self.workspace_edit(model, self.text_edits(state, [edit]))
        if workspace_edit is None:
            return None
        return lsp.CodeAction(title=f"Suppress {d.code} on this line", kind=lsp.CodeActionKind.QuickFix,
                              diagnostics=[ld], edit=workspace_edit)

    async def resolve_code_action(self, action: lsp.CodeAction) -> lsp.CodeAction:
        """Compute fix-all's edit (lazily: clients ask for code actions on every cursor move)."""
        if action.kind != FIX_ALL_KIND or not isinstance(action.data, dict):
            return action
        uri = action.data.get("uri")
        model = self.model_of_uri.get(uri)
        if model is None:
            return action
        await self.current(model)
        changes = await self.fix_all(model, uri)
        action.edit = self.workspace_edit(model, changes) if changes else lsp.WorkspaceEdit(changes={})
        return action

    async def fix_all(self, model: Path, uri: str) -> dict[Path, list[lsp.TextEdit]]:
        """Apply every safe fix of the diagnostics in one document (their edits may reach other
        files). The fixer's lints run in the worker, as every lint does."""
        from pipelint.engine import runner
        from pipelint.engine.fixer import fix_model

        docs = self.open_documents(model)
        buffers = {d.path: d.text for d in docs}
        target = Path(to_fs_path(uri)).resolve()
        cache = self.cache_for(model)

        def lint_buffers(root, settings, overlays=None):
            result = runner.lint(root, settings, overlays={**buffers, **(overlays or {})}, cache=cache)
            result.diagnostics = [d for d in result.diagnostics if d.path == target]
            return result

        settings = self.settings_for(model)
        outcome = await asyncio.get_running_loop().run_in_executor(
            self.worker(), lambda: fix_model(model, settings, unsafe=False, lint=lint_buffers, cache=cache))
        for reason in outcome.refused:
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Warning, f"pipelint: {reason}"))
        out = {}
        for path, change in outcome.changes.items():
            bom = BOM if buffers.get(path, "").startswith(BOM) else ""
            edits = self.diff_edits(change.before or "", change.after, bom)
            if edits:
                out[path] = edits
        return out

    # ---- hover --------------------------------------------------------------------------
    def hover(self, params: lsp.HoverParams) -> lsp.Hover | None:
        """The docs of the rule named under the cursor in a suppression comment."""
        from pipelint.engine import suppression
        from pipelint.engine.registry import rule_by_code

        uri = params.text_document.uri
        doc = self.workspace.get_text_document(uri)
        path = Path(to_fs_path(uri) or "")
        if not uri.startswith("file:") or document_kind(path, doc.language_id) is None:
            return None
        index = LineIndex(doc.source, self.encoding)
        at = index.from_lsp(params.position)
        text = index.text
        lines = suppression.split_lines(text)
        if at.line > len(lines) or "pipelint" not in lines[at.line - 1]:
            return None
        column = at.column - 1
        for directive in suppression.directives_in(path, text)[0]:
            if directive.line != at.line or not directive.start <= column <= directive.end:
                continue
            under = [c for c in directive.codes if c.start <= column <= c.end] or directive.codes
            sections = [_rule_markdown(rule) for c in under if (rule := rule_by_code(c.code)) is not None]
            if not sections:
                return None
            lo, hi = (under[0].start, under[0].end) if len(under) == 1 else (directive.start, directive.end)
            return lsp.Hover(
                contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(sections)),
                range=index.range(Position(at.line, lo + 1), Position(at.line, hi + 1)))
        return None


def _load_and_freeze() -> None:
    """Import what every lint needs (libcst, the rules), then keep it out of the collector's way:
    ``gc.freeze()`` moves the ~100,000 long-lived objects loaded so far where later collections
    never walk them again. Before the first lint, so no lint's trees are frozen (they could not be
    freed when the buffer changes)."""
    import libcst  # noqa: F401
    import libcst.metadata  # noqa: F401

    from pipelint.engine import runner  # noqa: F401
    from pipelint.engine.registry import all_rules

    all_rules()
    gc.collect()
    gc.freeze()


def _compute(model: Path, docs: list[OpenDocument], settings, cache=None, cancelled=None):
    """One lint of ``model`` with the open buffers as overlays: (diagnostics, internal errors,
    the texts the diagnostics point into, the CPU time it took), or ``CANCELLED`` when
    ``cancelled()`` said so midway. Touches no server state but ``cache`` (the model's own): it runs in the worker."""
    from pipelint.app.discovery import find_models
    from pipelint.engine import runner

    cpu = time.thread_time()
    texts = {d.path: d.text for d in docs}
    # An excluded model is not linted, as the CLI skips it even when given one of its files.
    if not find_models([str(model / "cog.yaml")], settings.exclude + settings.extend_exclude).models:
        return [], [], texts, 0.0
    try:
        result = runner.lint(model, settings, overlays=texts, cache=cache, cancelled=cancelled)
    except runner.Cancelled:
        return CANCELLED
    texts = {**{f.path: f.text for f in result.project.files_read if f.text is not None}, **texts}
    return result.diagnostics, list(result.internal_errors), texts, time.thread_time() - cpu


def _rule_markdown(rule) -> str:
    from pipelint.core.diagnostics import DOCS_BASE_URL

    return (f"**{rule.code}** `{rule.name}` ({rule.severity.value})\n\n{rule.docs()}\n\n"
            f"[Documentation]({DOCS_BASE_URL}{rule.code}.md)")


# ---- suppression comments ----------------------------------------------------------------
def suppression_edit(diag: Diagnostic, text: str) -> Edit | None:
    """An edit adding a ``# pipelint: ignore[CODE]`` comment that silences ``diag``, or None.

    The comment goes at the end of the diagnostic's line (a Python comment covers its physical
    line only, as ruff's ``noqa``), or of a later line of the same requirement or YAML entry
    when the first continues; where a Python line cannot end in a comment (inside a string,
    before a backslash), on a line of its own above it. Each candidate must leave the file
    meaning the same and must actually cover the diagnostic (checked with the suppression
    module's own reading of comments).
    """
    from pipelint.engine import suppression
    from pipelint.engine.registry import rule_by_code

    text = text[1:] if text.startswith(BOM) else text  # pipelint's positions do not count it
    lines = suppression.split_lines(text)
    rule_cls = rule_by_code(diag.code)
    if (rule_cls is not None and not rule_cls.suppressible) or not 1 <= diag.start.line <= len(lines):
        return None
    starts = line_offsets(text)
    directives = suppression.directives_in(diag.path, text)[0]
    meaning = _meaning(diag.path, text)
    if meaning is None:
        return None
    for line in range(diag.start.line, min(diag.start.line + MAX_SUPPRESSION_SEARCH, len(lines)) + 1):
        existing = next((d for d in directives if d.line == line and d.kind == "ignore" and not d.malformed
                         and d.codes_span is not None), None)
        if existing is not None:
            at = existing.codes[-1].end if existing.codes else existing.codes_span[0]
            content = f", {diag.code}" if existing.codes else diag.code
        else:
            at = len(lines[line - 1])
            content = f"  # pipelint: ignore[{diag.code}]"
        offset = starts[line - 1] + at
        after = text[:offset] + content + text[offset:]
        if _meaning(diag.path, after) == meaning and any(
                d.applies_to(diag) for d in suppression.directives_in(diag.path, after)[0]):
            return Edit(diag.path, Position(line, at + 1), Position(line, at + 1), content)
    # A comment on a line of its own above covers the next line of code.
    first = lines[diag.start.line - 1]
    content = f"{first[:len(first) - len(first.lstrip())]}# pipelint: ignore[{diag.code}]\n"
    offset = starts[diag.start.line - 1]
    after = text[:offset] + content + text[offset:]
    moved = diag.replace(start=Position(diag.start.line + 1, diag.start.column),
                         end=Position(diag.end.line + 1, diag.end.column))
    if _meaning(diag.path, after) == meaning and any(
            d.applies_to(moved) for d in suppression.directives_in(diag.path, after)[0]):
        return Edit(diag.path, Position(diag.start.line, 1), Position(diag.start.line, 1), content)
    return None


def _meaning(path: Path, text: str):
    """What a file says with its comments left out, or None when that cannot be told."""
    kind = document_kind(path, None)
    if kind == "python":
        return _python_shape(text)
    if kind == "cog":
        return _yaml_tokens(text)
    if kind == "requirements":
        from pipelint.model.requirements import logical_lines, parse

        # pip stops joining at a line that does not end in a backslash: a comment after one
        # would cut the requirement short, so how lines join is part of the meaning.
        return [r.text for r in parse(text).lines], logical_lines(text.splitlines())
    return None


def _python_shape(text: str) -> str | None:
    """The syntax tree without comments (``ast.parse`` only parses), or None."""
    try:
        return ast.dump(ast.parse(text))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _yaml_tokens(text: str):
    """The YAML token stream without comments (PyYAML's scanner drops them), or None."""
    import yaml

    try:
        return [(type(t).__name__, getattr(t, "value", None), getattr(t, "style", None))
                for t in yaml.scan(text, Loader=yaml.SafeLoader)]
    except (yaml.YAMLError, RecursionError):
        return None


# ---- the server --------------------------------------------------------------------------
def build_server() -> PipelintServer:
    server = PipelintServer()

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: PipelintServer, params: lsp.InitializedParams):
        dynamic = _capability(ls.client_capabilities, "workspace", "did_change_watched_files",
                              "dynamic_registration", default=False)
        if not dynamic:
            return
        watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}")
                    for name in (*CONFIG_NAMES, "cog.yaml", "*.py", "*.txt")]
        try:
            await ls.client_register_capability_async(lsp.RegistrationParams(registrations=[lsp.Registration(
                id="pipelint-watched-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))
        except Exception:  # the client refused: config edits still apply on the next change
            log.debug("file watcher registration refused", exc_info=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PipelintServer, params: lsp.DidOpenTextDocumentParams):
        model = ls.track(params.text_document.uri)
        if model is not None:
            ls.schedule(model)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PipelintServer, params: lsp.DidChangeTextDocumentParams):
        model = ls.track(params.text_document.uri)
        if model is not None:
            ls.schedule(model)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: PipelintServer, params: lsp.DidSaveTextDocumentParams):
        if Path(to_fs_path(params.text_document.uri) or "").name in CONFIG_NAMES:
            ls.relint_all()

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PipelintServer, params: lsp.DidCloseTextDocumentParams):
        model = ls.model_of_uri.pop(params.text_document.uri, None)
        if model is not None:
            # The closed buffer reverts to the file on disk, which may change the other files' verdicts.
            ls.schedule(model, 0)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: PipelintServer, params: lsp.DidChangeWatchedFilesParams):
        ls.relint_all()

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=True))
    async def code_action(ls: PipelintServer, params: lsp.CodeActionParams):
        return await ls.code_actions(params)

    @server.feature(lsp.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: PipelintServer, action: lsp.CodeAction):
        return await ls.resolve_code_action(action)

    @server.feature(STATS_METHOD)
    def stats(ls: PipelintServer, params):
        """How many lints the server started, cancelled, dropped and published (for benchmarks)."""
        return {**ls.stats, **ls.timings, "young_collections": ls.collections["young"],
                "full_collections": ls.collections["full"], "frozen_objects": gc.get_freeze_count(),
                "tracked_objects": len(gc.get_objects()), "gc_enabled": gc.isenabled()}

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: PipelintServer, params: lsp.HoverParams):
        return ls.hover(params)

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: PipelintServer, params):
        for handle in ls.pending.values():
            handle.cancel()
        ls.pending.clear()
        for job in ls.running.values():
            job.stop.set()
            job.future.cancel()
        if ls._executor is not None:
            ls._executor.shutdown(wait=False, cancel_futures=True)

    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pipelint lsp", description="Run pipelint's language server over stdio.")
    parser.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default and only transport)")
    parser.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                        help="what the server logs to stderr (default: WARNING)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, stream=sys.stderr, format="pipelint-lsp %(levelname)s %(message)s")
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # stdout carries the protocol: a stray print anywhere must not corrupt it.
    sys.stdout = sys.stderr
    build_server().start_io(stdin, stdout)
    return 0
