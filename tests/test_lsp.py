"""`pipelint lsp` end to end: a real client talks to the real server process over stdio.

Nothing waits by sleeping: each step waits (with a timeout) for the publishDiagnostics
notification that answers it. Positions are checked with a converter written here, not the
server's, so a conversion bug cannot cancel itself out.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import pytest
from conftest import write_model

pytest.importorskip("pygls")
pytest.importorskip("pytest_lsp")

from lsprotocol import types as lsp  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402
from pytest_lsp.client import (  # noqa: E402
    DEFAULT_CLIENT_FEATURES,
    LanguageClient,
    client_capabilities,
    register_lsp_features,
)

from pipelint.app.lsp import FULL_COLLECTION_EVERY, LineIndex, suppression_edit  # noqa: E402

TIMEOUT = 30.0
COG = 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\npredict: "main.py:run"\n'
COG_GPU = 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\n  gpu: true\npredict: "main.py:run"\n'
REQUIREMENTS = "replicate>=1.1.0b1,<2.0.0a1\n"
# MAIN calls no model: without this, auto-detection would judge the folder as an ordinary cog model.
PIPELINE = {"pipelint.toml": 'target = "pipeline"\n'}
MAIN = "from cog import Input\n\n\ndef run(prompt: str = Input(description='Prompt')) -> str:\n    return prompt\n"


# ---- a client, and LSP text arithmetic done independently of the server ------------------
def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def lsp_lines(text: str) -> list[str]:
    """Lines as LSP counts them: ended by \\n, \\r\\n or \\r only."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def position_of(text: str, needle: str, encoding: str = "utf-16", occurrence: int = 0) -> lsp.Position:
    for i, line in enumerate(lsp_lines(text)):
        col = line.find(needle)
        while col != -1:
            if occurrence == 0:
                return lsp.Position(i, units(line[:col], encoding))
            occurrence -= 1
            col = line.find(needle, col + 1)
    raise AssertionError(f"{needle!r} not in text")


def span_of(text: str, needle: str, encoding: str = "utf-16") -> lsp.Range:
    start = position_of(text, needle, encoding)
    return lsp.Range(start, lsp.Position(start.line, start.character + units(needle, encoding)))


def offset_of(text: str, pos: lsp.Position, encoding: str = "utf-16") -> int:
    assert "\r" not in text, "these tests use \\n line ends"
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: pos.line])
    line, seen, col = lines[pos.line], 0, 0
    while col < len(line) and seen < pos.character:
        seen += units(line[col], encoding)
        col += 1
    assert seen == pos.character, f"position {pos} falls inside a character"
    return offset + col


def apply_text_edits(text: str, edits, encoding: str = "utf-16") -> str:
    spans = sorted(((offset_of(text, e.range.start, encoding), offset_of(text, e.range.end, encoding), e.new_text)
                    for e in edits), reverse=True)
    for a, b, new in spans:
        text = text[:a] + new + text[b:]
    return text


class Session:
    """One server process and a client that records every publishDiagnostics it receives."""

    def __init__(self, capabilities: lsp.ClientCapabilities | None = None):
        self.capabilities = capabilities or client_capabilities("visual-studio-code")
        self.client = LanguageClient(converter_factory=default_converter)
        self.published: dict[str, lsp.PublishDiagnosticsParams] = {}
        self.arrived = asyncio.Event()
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self.encoding = "utf-16"

        self.registrations: list[lsp.Registration] = []

        self.history: list[tuple[str, int | None]] = []  # (uri, version) of every publish, in order

        def record(client: LanguageClient, params: lsp.PublishDiagnosticsParams):
            self.published[params.uri] = params
            self.history.append((params.uri, params.version))
            self.arrived.set()

        def register(client: LanguageClient, params: lsp.RegistrationParams):
            self.registrations += params.registrations

        register_lsp_features(self.client, {**DEFAULT_CLIENT_FEATURES, lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: record,
                                            lsp.CLIENT_REGISTER_CAPABILITY: register})

    async def __aenter__(self) -> Session:
        await self.client.start_io(sys.executable, "-m", "pipelint", "lsp")
        result = await asyncio.wait_for(
            self.client.initialize_session(lsp.InitializeParams(capabilities=self.capabilities)), TIMEOUT)
        self.encoding = result.capabilities.position_encoding or "utf-16"
        self.server_capabilities = result.capabilities
        return self

    async def __aexit__(self, *exc) -> None:
        try:
            await asyncio.wait_for(self.client.shutdown_session(), TIMEOUT)
        finally:
            await self.client.stop()
        if self.client.error is not None:
            raise self.client.error

    def open(self, path: Path, text: str | None = None, language_id: str | None = None) -> str:
        uri = from_fs_path(str(path))
        text = path.read_text(encoding="utf-8") if text is None else text
        language_id = language_id or {"cog.yaml": "yaml", ".py": "python"}.get(
            path.name, {".py": "python", ".txt": "pip-requirements"}.get(path.suffix, "plaintext"))
        self.texts[uri], self.versions[uri] = text, 1
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, language_id, 1, text)))
        return uri

    def change(self, uri: str, text: str) -> None:
        self.texts[uri] = text
        self.versions[uri] += 1
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            [lsp.TextDocumentContentChangeWholeDocument(text=text)]))

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(uri)))

    async def diagnostics(self, uri: str, until=lambda ds: True, current: bool = True) -> list[lsp.Diagnostic]:
        """Wait for diagnostics of ``uri`` that satisfy ``until`` (of the current buffer version, when open)."""

        def ready():
            p = self.published.get(uri)
            if p is None or (current and uri in self.versions and p.version != self.versions[uri]):
                return None
            return list(p.diagnostics) if until(list(p.diagnostics)) else None

        async def wait():
            while True:
                self.arrived.clear()
                found = ready()
                if found is not None:
                    return found
                await self.arrived.wait()

        try:
            return await asyncio.wait_for(wait(), TIMEOUT)
        except asyncio.TimeoutError:
            last = self.published.get(uri)
            raise AssertionError(f"no matching diagnostics for {uri}; last published: {last}") from None

    async def code_actions(self, uri: str, rng: lsp.Range, only=None, diagnostics=()) -> list[lsp.CodeAction]:
        params = lsp.CodeActionParams(lsp.TextDocumentIdentifier(uri), rng,
                                      lsp.CodeActionContext(diagnostics=list(diagnostics), only=only))
        return list(await asyncio.wait_for(self.client.text_document_code_action_async(params), TIMEOUT) or [])

    def apply(self, edit: lsp.WorkspaceEdit) -> set[str]:
        """Apply a workspace edit to the open buffers (sending didChange); return the URIs it touched."""
        touched = {}
        for change in edit.document_changes or []:
            assert isinstance(change, lsp.TextDocumentEdit), change
            uri = change.text_document.uri
            if change.text_document.version is not None:
                assert change.text_document.version == self.versions[uri], "edit for a stale version"
            touched[uri] = apply_text_edits(touched.get(uri, self.texts[uri]), change.edits, self.encoding)
        for uri, edits in (edit.changes or {}).items():
            touched[uri] = apply_text_edits(touched.get(uri, self.texts[uri]), edits, self.encoding)
        for uri, text in touched.items():
            self.change(uri, text)
        return set(touched)


def codes(diagnostics) -> list[str]:
    return sorted(d.code for d in diagnostics)


def run(coro):
    return asyncio.run(coro)


class SharedServer:
    """One server process for the module's tests (each model folder is its own tmp dir).

    The client lives on an event loop in a thread, so plain synchronous tests can drive it.
    Each test's ``scope()`` closes the documents it opened, leaving the server clean.
    """

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.session = self.run(self._start())

    async def _start(self) -> Session:
        return await Session().__aenter__()

    def run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(TIMEOUT * 4)

    @contextlib.asynccontextmanager
    async def scope(self):
        before = set(self.session.texts)
        try:
            yield self.session
        finally:
            for uri in set(self.session.texts) - before:
                self.session.close(uri)
                del self.session.texts[uri], self.session.versions[uri]

    def stop(self) -> None:
        try:
            self.run(self.session.__aexit__(None, None, None))
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(TIMEOUT)
            self.loop.close()


@pytest.fixture(scope="module")
def server():
    shared = SharedServer()
    yield shared
    shared.stop()


@pytest.fixture
def model(make_model):
    return make_model({"cog.yaml": COG, "requirements.txt": REQUIREMENTS, "main.py": MAIN, **PIPELINE}).resolve()


# ---- diagnostics -------------------------------------------------------------------------
def test_unsaved_cog_yaml_edit_shows_and_clears_gpu(server, model):
    async def scenario():
        async with server.scope() as s:
            uri = s.open(model / "cog.yaml")
            assert await s.diagnostics(uri) == []
            s.change(uri, COG_GPU)
            [d] = await s.diagnostics(uri, lambda ds: ds != [])
            assert d.code == "PL106"
            assert d.range == span_of(COG_GPU, "gpu")
            assert d.severity == lsp.DiagnosticSeverity.Error
            assert d.source == "pipelint"
            assert d.code_description.href.endswith("/PL106.md")
            assert "GPU is not supported in pipelines runtime" in d.message
            s.change(uri, COG)
            assert await s.diagnostics(uri) == []

    server.run(scenario())
    assert (model / "cog.yaml").read_text() == COG  # the buffer was linted, the file never touched


EMOJI_REQS = "reqs-🎨.txt"
EMOJI_COG = f'build: {{python_version: "3.13", python_requirements: "{EMOJI_REQS}", gpu: true}}\npredict: "main.py:run"\n'


async def check_gpu_after_emoji(s: Session, root: Path) -> None:
    uri = s.open(root / "cog.yaml")
    [d] = await s.diagnostics(uri, lambda ds: ds != [])
    assert d.code == "PL106"
    assert d.range == span_of(EMOJI_COG, "gpu", s.encoding)
    # the emoji is 2 UTF-16 units, 4 UTF-8 bytes and 1 code point before `gpu`
    assert d.range.start.character == {"utf-16": 68, "utf-8": 70, "utf-32": 67}[s.encoding]


def test_positions_after_a_non_bmp_character_in_utf16_by_default(server, make_model):
    root = make_model({"cog.yaml": EMOJI_COG, EMOJI_REQS: REQUIREMENTS, "main.py": MAIN, **PIPELINE}).resolve()

    async def scenario():
        async with server.scope() as s:
            assert s.encoding == "utf-16"
            await check_gpu_after_emoji(s, root)

    server.run(scenario())


@pytest.mark.parametrize("offered", [["utf-8"], ["utf-32", "utf-16"]])
def test_positions_in_the_encoding_the_client_prefers(make_model, offered):
    root = make_model({"cog.yaml": EMOJI_COG, EMOJI_REQS: REQUIREMENTS, "main.py": MAIN, **PIPELINE}).resolve()
    caps = client_capabilities("visual-studio-code")
    caps.general = lsp.GeneralClientCapabilities(position_encodings=offered)

    async def scenario():
        async with Session(caps) as s:
            assert s.encoding == offered[0]
            await check_gpu_after_emoji(s, root)

    run(scenario())


def test_cog_yaml_is_read_as_yaml_whatever_its_language_id(server, model):
    async def scenario():
        async with server.scope() as s:
            uri = s.open(model / "cog.yaml", COG_GPU, language_id="python")
            assert codes(await s.diagnostics(uri, lambda ds: ds != [])) == ["PL106"]

    server.run(scenario())


def test_renaming_the_function_in_main_py_changes_cog_yaml_verdict(server, model):
    async def scenario():
        async with server.scope() as s:
            cog_uri = s.open(model / "cog.yaml")
            main_uri = s.open(model / "main.py")
            assert await s.diagnostics(cog_uri) == []
            assert await s.diagnostics(main_uri) == []
            s.change(main_uri, MAIN.replace("def run(", "def runner("))
            [d] = await s.diagnostics(cog_uri, lambda ds: ds != [], current=False)
            assert d.code == "PL104" and d.range == span_of(COG, '"main.py:run"')
            s.change(main_uri, MAIN)
            assert await s.diagnostics(cog_uri, lambda ds: ds == [], current=False) == []

    server.run(scenario())


def test_closing_an_unsaved_buffer_reverts_to_the_file_on_disk(server, model):
    async def scenario():
        async with server.scope() as s:
            cog_uri = s.open(model / "cog.yaml")
            main_uri = s.open(model / "main.py", MAIN.replace("def run(", "def runner("))
            assert codes(await s.diagnostics(cog_uri, lambda ds: ds != [], current=False)) == ["PL104"]
            s.close(main_uri)  # main.py on disk still defines run
            assert await s.diagnostics(cog_uri, lambda ds: ds == [], current=False) == []

    server.run(scenario())


def test_broken_buffers_give_diagnostics_not_internal_errors(server, model):
    async def scenario():
        async with server.scope() as s:
            logged = len(s.client.log_messages)
            main_uri = s.open(model / "main.py", MAIN + 'x = "\ud800"\n')  # a lone surrogate: JSON allows it
            cog_uri = s.open(model / "cog.yaml", "build:\n\tgpu: [true\n")
            assert "PL002" in codes(await s.diagnostics(cog_uri, lambda ds: ds != []))
            await s.diagnostics(main_uri)
            s.change(cog_uri, COG)  # cog.yaml names main.py again: now main.py is read
            s.change(main_uri, "def run(:\n")
            [d] = await s.diagnostics(main_uri, lambda ds: ds != [])
            assert d.code == "PL001" and d.range.start.line == 0
            s.change(main_uri, "")
            await s.diagnostics(main_uri)
            errors = [m.message for m in s.client.log_messages[logged:] if m.type == lsp.MessageType.Error]
            assert errors == []

    server.run(scenario())


def test_files_outside_a_model_get_no_diagnostics(server, tmp_path):
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "main.py").write_text("def broken(:\n")

    async def scenario():
        async with server.scope() as s:
            uri = s.open(loose / "main.py")
            # a model opened afterwards proves the server processed the first document
            other = write_model(tmp_path / "m", {"cog.yaml": COG_GPU, "requirements.txt": REQUIREMENTS, "main.py": MAIN, **PIPELINE})
            cog_uri = s.open(other / "cog.yaml")
            await s.diagnostics(cog_uri, lambda ds: ds != [])
            assert uri not in s.published

    server.run(scenario())


def test_configuration_change_on_disk_applies_without_restart(server, model):
    async def scenario():
        async with server.scope() as s:
            uri = s.open(model / "cog.yaml", COG_GPU)
            assert codes(await s.diagnostics(uri, lambda ds: ds != [])) == ["PL106"]
            assert any(r.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in s.registrations)
            config = model / "pipelint.toml"
            config.write_text('target = "pipeline"\nignore = ["PL106"]\n')
            s.client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
                [lsp.FileEvent(from_fs_path(str(config)), lsp.FileChangeType.Changed)]))
            assert await s.diagnostics(uri, lambda ds: ds == []) == []
            config.write_text('target = "pipeline"\n')
            s.client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
                [lsp.FileEvent(from_fs_path(str(config)), lsp.FileChangeType.Changed)]))
            assert codes(await s.diagnostics(uri, lambda ds: ds != [])) == ["PL106"]
            # an excluded model is not linted, as the CLI skips it when given one of its files
            config = model / "pipelint.toml"
            config.write_text(f'target = "pipeline"\nexclude = ["{model.name}"]\n')
            s.client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
                [lsp.FileEvent(from_fs_path(str(config)), lsp.FileChangeType.Created)]))
            assert await s.diagnostics(uri, lambda ds: ds == []) == []

    server.run(scenario())


# ---- code actions ------------------------------------------------------------------------
def test_quick_fix_edit_removes_the_diagnostic(server, model):
    async def scenario():
        async with server.scope() as s:
            uri = s.open(model / "cog.yaml", COG_GPU)
            [d] = await s.diagnostics(uri, lambda ds: ds != [])
            cursor = lsp.Range(d.range.start, d.range.start)
            actions = await s.code_actions(uri, cursor, only=[lsp.CodeActionKind.QuickFix], diagnostics=[d])
            titles = [a.title for a in actions]
            assert "Fix PL106: Set `gpu: false`" in titles
            assert "Suppress PL106 on this line" in titles
            fix = next(a for a in actions if a.title.startswith("Fix PL106"))
            assert fix.kind == lsp.CodeActionKind.QuickFix and fix.is_preferred
            assert s.apply(fix.edit) == {uri}
            assert s.texts[uri] == COG_GPU.replace("gpu: true", "gpu: false")
            assert await s.diagnostics(uri) == []

    server.run(scenario())


USE_INSIDE_RUN = ('import replicate\nfrom cog import Input\n\n\n'
                  'def run(prompt: str = Input(description="prompt")) -> str:\n'
                  '    llm = replicate.use("openai/gpt-4.1-nano")\n'
                  '    return str(llm(prompt=prompt))\n')


def test_use_inside_run_is_reported_where_it_is_and_hoisted_by_the_quick_fix(server, model):
    # an emoji before the call on the same line: the range is in UTF-16 units
    emoji = USE_INSIDE_RUN.replace('    llm = replicate', '    tag = "🎨"; llm = replicate')

    async def scenario():
        async with server.scope() as s:
            uri = s.open(model / "main.py", emoji)
            [d] = [d for d in await s.diagnostics(uri, lambda ds: "PL501" in codes(ds)) if d.code == "PL501"]
            assert d.range == span_of(emoji, 'replicate.use("openai/gpt-4.1-nano")')
            assert d.range.start.character == len('    tag = "🎨"; llm = ') + 1
            assert "must be in global scope" in d.message
            s.change(uri, USE_INSIDE_RUN)
            [d] = [d for d in await s.diagnostics(uri, lambda ds: "PL501" in codes(ds)) if d.code == "PL501"]
            assert d.range == span_of(USE_INSIDE_RUN, 'replicate.use("openai/gpt-4.1-nano")')
            actions = await s.code_actions(uri, d.range, only=[lsp.CodeActionKind.QuickFix], diagnostics=[d])
            fix = next(a for a in actions if a.title.startswith("Fix PL501"))
            s.apply(fix.edit)
            assert 'llm = replicate.use("openai/gpt-4.1-nano")\n' in s.texts[uri].split("def run")[0]
            assert "PL501" not in codes(await s.diagnostics(uri))

    server.run(scenario())


def test_suppress_action_adds_a_comment_that_silences_the_diagnostic(server, model):
    async def scenario():
        async with server.scope() as s:
            uri = s.open(model / "cog.yaml", COG_GPU)
            [d] = await s.diagnostics(uri, lambda ds: ds != [])
            actions = await s.code_actions(uri, d.range)
            suppress = next(a for a in actions if a.title == "Suppress PL106 on this line")
            s.apply(suppress.edit)
            assert s.texts[uri] == COG_GPU.replace("gpu: true\n", "gpu: true  # pipelint: ignore[PL106]\n")
            assert await s.diagnostics(uri) == []

    server.run(scenario())


def test_fix_all_applies_every_safe_fix_of_the_document(server, model):
    cog = 'build:\n  python_version: "3.12"\n  python_requirements: requirements.txt\n  gpu: true\n  cuda: "12.1"\npredict: "main.py:run"\n'

    async def scenario():
        async with server.scope() as s:
            uri = s.open(model / "cog.yaml", cog)
            found = await s.diagnostics(uri, lambda ds: len(ds) >= 3)
            assert {"PL106", "PL107", "PL111"} <= set(codes(found))
            whole = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
            actions = await s.code_actions(uri, whole, only=[lsp.CodeActionKind.SourceFixAll])
            [fix_all] = actions
            assert fix_all.kind == "source.fixAll.pipelint"
            if fix_all.edit is None:  # the client advertised resolve support: the edit comes on demand
                fix_all = await asyncio.wait_for(s.client.code_action_resolve_async(fix_all), TIMEOUT)
            s.apply(fix_all.edit)
            assert s.texts[uri] == 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\n  gpu: false\npredict: "main.py:run"\n'
            assert await s.diagnostics(uri) == []

    server.run(scenario())


def test_a_client_without_resolve_or_document_changes_gets_plain_edits(model):
    cog = COG_GPU.replace('"3.13"', '"3.12"')

    async def scenario():
        async with Session(lsp.ClientCapabilities()) as s:
            uri = s.open(model / "cog.yaml", cog)
            await s.diagnostics(uri, lambda ds: len(ds) >= 2)
            start = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
            [fix_all] = await s.code_actions(uri, start, only=[lsp.CodeActionKind.SourceFixAll])
            assert fix_all.edit.document_changes is None and list(fix_all.edit.changes) == [uri]
            s.apply(fix_all.edit)
            assert s.texts[uri] == COG_GPU.replace("gpu: true", "gpu: false")
            assert await s.diagnostics(uri) == []

    run(scenario())


def test_unsafe_fix_spanning_two_files_is_one_labelled_edit(server, model):
    cog = COG.replace("  python_requirements: requirements.txt\n",
                      '  python_requirements: requirements.txt\n  python_packages:\n    - "requests==2.32.3"\n')
    reqs = REQUIREMENTS + "pydantic>=2\n"
    main = MAIN.replace("from cog import Input", "from cog import File, Input")

    async def scenario():
        async with server.scope() as s:
            cog_uri = s.open(model / "cog.yaml", cog)
            reqs_uri = s.open(model / "requirements.txt", reqs)
            main_uri = s.open(model / "main.py", main)
            [pl203] = await s.diagnostics(reqs_uri, lambda ds: ds != [])
            assert pl203.code == "PL203" and pl203.range == span_of(reqs, "pydantic>=2")
            assert codes(await s.diagnostics(main_uri, lambda ds: ds != [])) == ["PL409"]
            [pl109] = await s.diagnostics(cog_uri, lambda ds: ds != [])
            [fix] = [a for a in await s.code_actions(cog_uri, pl109.range) if a.title.startswith("Fix PL109")]
            assert fix.title.endswith("(unsafe)") and not fix.is_preferred
            assert s.apply(fix.edit) == {cog_uri, reqs_uri}
            assert "python_packages" not in s.texts[cog_uri] and "requests==2.32.3" in s.texts[reqs_uri]
            assert await s.diagnostics(cog_uri) == []
            # PL409's fix is unsafe: fix-all, which applies safe fixes only, has nothing to offer
            start = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
            assert await s.code_actions(main_uri, start, only=[lsp.CodeActionKind.SourceFixAll]) == []

    server.run(scenario())


def test_fix_all_is_not_offered_for_quick_fix_requests_or_clean_files(server, model):
    async def scenario():
        async with server.scope() as s:
            uri = s.open(model / "cog.yaml", COG_GPU)
            await s.diagnostics(uri, lambda ds: ds != [])
            start = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
            assert await s.code_actions(uri, start, only=[lsp.CodeActionKind.QuickFix]) == []
            s.change(uri, COG)
            await s.diagnostics(uri)
            assert await s.code_actions(uri, start) == []

    server.run(scenario())


# ---- hover -------------------------------------------------------------------------------
def test_hover_on_a_suppression_comment_shows_the_rule_docs(server, model):
    text = COG_GPU.replace("gpu: true\n", "gpu: true  # pipelint: ignore[PL106, PL107]\n")

    async def scenario():
        async with server.scope() as s:
            uri = s.open(model / "cog.yaml", text)
            params = lsp.HoverParams(lsp.TextDocumentIdentifier(uri), position_of(text, "PL107"))
            hover = await asyncio.wait_for(s.client.text_document_hover_async(params), TIMEOUT)
            assert hover.contents.kind == lsp.MarkupKind.Markdown
            assert "PL107" in hover.contents.value and "cuda-set" in hover.contents.value
            assert "## Why is this bad?" in hover.contents.value
            assert "PL106" not in hover.contents.value
            assert hover.range == span_of(text, "PL107")
            elsewhere = lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(0, 1))
            assert await asyncio.wait_for(s.client.text_document_hover_async(elsewhere), TIMEOUT) is None

    server.run(scenario())


# ---- pieces that need no server ----------------------------------------------------------
def test_line_index_round_trips_non_bmp_and_crlf():
    text = "a = '🎨'; b = 1\r\nc = 2\rd\n"
    for encoding in ("utf-8", "utf-16", "utf-32"):
        index = LineIndex(text, encoding)
        from pipelint.core.diagnostics import Position

        b = Position(1, text.index("b") + 1)
        assert index.to_lsp(b) == lsp.Position(0, units(text[: text.index("b")], encoding))
        assert index.from_lsp(index.to_lsp(b)) == b
        assert index.to_lsp(Position(3, 1)) == lsp.Position(2, 0)  # a lone \r ends a line
        assert index.to_lsp(Position(9, 1)) == index.end()


@pytest.mark.parametrize("name,text,line,expected", [
    ("main.py", "x = 1\n", 1, "x = 1  # pipelint: ignore[PL999]\n"),
    ("main.py", "x = 1  # pipelint: ignore[PL1]\n", 1, "x = 1  # pipelint: ignore[PL1, PL999]\n"),
    # the end of line 1 is inside a string: the comment goes on the statement's last line
    # A comment covers its physical line only: where the line cannot end in one (inside a
    # string, before a backslash continuation), it goes on a line of its own above.
    ("main.py", 'x = f("""a\nb""")\ny = 2\n', 1, '# pipelint: ignore[PL999]\nx = f("""a\nb""")\ny = 2\n'),
    ("main.py", "x = 1 + \\\n    2\n", 1, "# pipelint: ignore[PL999]\nx = 1 + \\\n    2\n"),
    ("main.py", "def run(\n    a,\n    b,\n) -> str:\n    return ''\n", 3,
     "def run(\n    a,\n    b,  # pipelint: ignore[PL999]\n) -> str:\n    return ''\n"),
    ("main.py", "def broken(:\n", 1, None),  # cannot tell what a comment would do
    ("cog.yaml", "gpu: true\n", 1, "gpu: true  # pipelint: ignore[PL999]\n"),
    ("cog.yaml", "run: |\n  echo hi\n", 2, None),  # inside a block scalar
    ("requirements.txt", "torch\n", 1, "torch  # pipelint: ignore[PL999]\n"),
    ("requirements.txt", "torch \\\n  --hash=sha256:00\n", 1,
     "torch \\\n  --hash=sha256:00  # pipelint: ignore[PL999]\n"),
])
def test_suppression_comment_goes_where_it_stays_a_comment_and_covers_the_line(name, text, line, expected):
    from pipelint.core.diagnostics import Diagnostic, Position, Severity
    from pipelint.edits.apply import apply_edits

    diag = Diagnostic("PL999", Severity.ERROR, "m", Path(name), Position(line, 1), Position(line, 2))
    edit = suppression_edit(diag, text)
    assert (apply_edits(text, [edit]) if edit else None) == expected


def test_lsp_without_pygls_says_how_to_install_it():
    code = ("import sys; sys.modules['pygls'] = None; sys.modules['lsprotocol'] = None\n"
            "from pipelint.app.cli import main; raise SystemExit(main(['lsp']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    # The command that works for this installation (tests/test_release.py checks each case).
    assert f"{sys.executable} -m pip install" in done.stderr and "lsp" in done.stderr


# ---- the lint runs off the event loop; only the last buffer state is published -------------
def _big_main(lines: int, token: str = "") -> str:
    body = "".join(f"\n\ndef step_{i}(x: int) -> int:\n    y = x + {i}\n    return y * 2\n" for i in range(lines // 5))
    return MAIN + body + token


def test_server_answers_while_a_lint_runs_and_publishes_only_the_last_state(server, make_model):
    root = make_model({"cog.yaml": COG, "requirements.txt": REQUIREMENTS, "main.py": _big_main(1200), **PIPELINE})

    async def body():
        async with server.scope() as s:
            uri = s.open(root.resolve() / "main.py")
            await s.diagnostics(uri)  # the first state, linted
            start = len(s.history)
            s.change(uri, _big_main(1200) + "\n# 1\n")  # a lint of a 1,200-line file starts in the worker
            loop = asyncio.get_running_loop()
            asked = loop.time()
            hover = s.client.text_document_hover_async(lsp.HoverParams(lsp.TextDocumentIdentifier(uri),
                                                                       lsp.Position(0, 0)))
            await asyncio.wait_for(hover, TIMEOUT)
            answered = loop.time()
            published_meanwhile = [v for u, v in s.history[start:] if u == uri]
            for i in range(2, 6):  # quick keystrokes while it runs
                s.change(uri, _big_main(1200) + f"\n# {i}\n")
            last = s.versions[uri]
            await s.diagnostics(uri)  # of the last version
            versions = [v for u, v in s.history[start:] if u == uri]
            return answered - asked, published_meanwhile, versions, last

    waited, meanwhile, versions, last = server.run(body())
    # The hover was answered before the lint of the changed buffer was published: it did not wait for it.
    assert meanwhile == [], (waited, meanwhile)
    # Versions 2..5 arrived while a lint ran: none of the states between is published, only the last.
    assert versions[-1] == last and set(versions) <= {last - 4, last}, versions


# A hard-coded bearer token: found only when the state that holds it is linted.
TOKEN = ('\n\ndef notify(url: str) -> int:\n'
         '    headers = {"Authorization": "Bearer Xq7pLm2vRt9sKw4nZb8cHd3f", "Content-Type": "application/json"}\n'
         '    return len(url) + len(headers)\n')


async def _stats(s: Session) -> dict:
    answer = await asyncio.wait_for(s.client.protocol.send_request_async("pipelint/stats", None), TIMEOUT)
    return answer if isinstance(answer, dict) else dict(answer._asdict())  # pygls's namedtuple for a custom result


def test_a_running_lint_of_an_older_state_is_cancelled(server, make_model):
    big = _big_main(2500)
    root = make_model({"cog.yaml": COG, "requirements.txt": REQUIREMENTS, "main.py": big, **PIPELINE})

    async def body():
        async with server.scope() as s:
            uri = s.open(root.resolve() / "main.py")
            await s.diagnostics(uri)
            before = await _stats(s)
            start = len(s.history)
            s.change(uri, big + "\n# 1\n")
            while (await _stats(s))["started"] == before["started"]:  # until its lint runs in the worker
                await asyncio.sleep(0.005)
            s.change(uri, big + "\n# 2\n" + TOKEN)  # the running lint's state is not the last any more
            found = await s.diagnostics(uri)
            after = await _stats(s)
            return before, after, [v for u, v in s.history[start:] if u == uri], s.versions[uri], found

    before, after, versions, last, found = server.run(body())
    assert after["cancelled"] - before["cancelled"] == 1, (before, after)  # stopped midway, not run to its end
    assert after["published"] - before["published"] == 1
    assert versions == [last]  # the cancelled state was never published
    assert "PL602" in codes(found)  # the last state's diagnostics


def test_only_the_last_of_quick_changes_is_linted(server, make_model):
    root = make_model({"cog.yaml": COG, "requirements.txt": REQUIREMENTS, "main.py": MAIN, **PIPELINE})

    async def body():
        async with server.scope() as s:
            uri = s.open(root.resolve() / "main.py")
            await s.diagnostics(uri)
            before = await _stats(s)
            start = len(s.history)
            for i in range(5):  # written back to back: the server reads them before any lint ends
                s.change(uri, MAIN + f"# {i}\n" + (TOKEN if i == 4 else ""))
            found = await s.diagnostics(uri)
            after = await _stats(s)
            return before, after, [v for u, v in s.history[start:] if u == uri], s.versions[uri], found

    before, after, versions, last, found = server.run(body())
    assert versions == [last]
    assert "PL602" in codes(found)
    delta = {k: after[k] - before[k] for k in after}
    assert delta["published"] == 1, delta
    # Every lint started for an intermediate state was stopped or dropped, never published.
    assert delta["started"] == delta["published"] + delta["cancelled"] + delta["dropped"], delta


async def _idle_stats(s: Session) -> dict:
    """The stats once the collection that follows the last lint has run (the collector is back on)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while not (found := await _stats(s))["gc_enabled"]:
        assert loop.time() < deadline, found
        await asyncio.sleep(0.005)
    return found


def test_memory_stays_flat_over_many_edits_and_the_collector_runs_between_lints(make_model):
    root = make_model({"cog.yaml": COG, "requirements.txt": REQUIREMENTS, "main.py": _big_main(150), **PIPELINE})

    async def body():
        async with Session() as s:  # its own server: no other test's models in its heap
            uri = s.open(root.resolve() / "main.py")
            await s.diagnostics(uri)
            seen = [await _idle_stats(s)]
            for i in range(1, 65):
                s.change(uri, _big_main(150) + f"\n# {'x' * i}\n")
                await s.diagnostics(uri)
                seen.append(await _idle_stats(s))
            return seen

    # A leak (an object kept per edit, as pygls did) raises the floor on every run; one run in a
    # few of the full suite (xdist, 2 busy cores) saw the floor rise by a lint's leftovers per
    # full collection for reasons not found yet, and not again on a fresh server: such a run is
    # reported as a warning and the scenario repeated once, so a real leak still fails.
    for attempt in (1, 2):
        after_full = _collections_and_floors(run(body()))
        half = len(after_full) // 2
        if min(after_full[half:]) - min(after_full[:half]) < 64 // 2:
            break
        assert attempt == 1, after_full
        warnings.warn(f"the server's heap floor rose on one run, not yet on its repeat: {after_full}", stacklevel=1)


def _collections_and_floors(seen: list[dict]) -> list[int]:
    """Checks the collections made around 64 edits; the tracked objects right after each full one."""
    first, last = seen[0], seen[-1]
    # One collection after each lint, with the collector off during it and back on once it is done.
    assert (last["young_collections"] + last["full_collections"]
            - first["young_collections"] - first["full_collections"]) == last["published"] - first["published"] == 64
    assert last["full_collections"] - first["full_collections"] == 64 // FULL_COLLECTION_EVERY
    assert last["frozen_objects"] > 0  # what the server imported before its first lint
    # What each lint leaves in cycles (a few thousand objects here) waits for the next full
    # collection, which frees it: right after one, the heap is back at its floor. The floor
    # must not rise, by as little as an object an edit (pygls kept one future for every
    # didChange); a caller's cache may hold a lint's objects for a while above it.
    pairs = list(zip(seen, seen[1:], strict=False))
    after_full = [b["tracked_objects"] for a, b in pairs if b["full_collections"] > a["full_collections"]]
    left = sorted(b["tracked_objects"] - a["tracked_objects"] for a, b in pairs
                  if b["full_collections"] == a["full_collections"])
    left_per_lint = left[len(left) // 2]
    assert len(after_full) == 64 // FULL_COLLECTION_EVERY and left_per_lint > 1000, (after_full, left_per_lint)
    return after_full
