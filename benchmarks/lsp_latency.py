"""Editor latency: from `textDocument/didChange` to the `publishDiagnostics` that answers it.

    python benchmarks/lsp_latency.py                  # 300 edits of fixtures/examples/flux-caption
    python benchmarks/lsp_latency.py --edits 1000 --model path/to/model

A real `pipelint lsp` process is driven over stdio by pygls's client, as an editor would:
main.py and cog.yaml are open, and each edit types one more character into a string of
`run()` (the file stays valid, so every rule runs). The clock runs from just before the
didChange is written to the arrival of main.py's diagnostics for that version, so it includes
the server's debounce, the lint of the whole model and both JSON-RPC hops. The first edits
warm the server up and are not counted.

Also prints how long the same lint takes in this process, to show what the server adds.
Not a test: speed is measured here, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = REPO / "fixtures" / "examples" / "flux-caption"
TARGET_MS = 30.0
TYPED = "a watercolour fox in a snowy birch forest at dawn, soft light, "


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def edits_of(text: str, count: int) -> list[str]:
    """``count`` successive buffers, each one more character typed into main.py's first string literal in run()."""
    marker = 'description="'
    at = text.find(marker, text.find("def run"))
    if at == -1:
        at = len(text)
        text += "\n# "
    else:
        at += len(marker)
    out = []
    for i in range(1, count + 1):
        typed = (TYPED * (i // len(TYPED) + 1))[:i]
        out.append(text[:at] + typed + text[at:])
    return out


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux), to tell the server's work from waiting for a CPU."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(model: Path, count: int, warmup: int) -> tuple[list[float], float | None]:
    from lsprotocol import types as lsp
    from pygls.lsp.client import LanguageClient
    from pygls.uris import from_fs_path

    client = LanguageClient("pipelint-lsp-latency", "1")
    arrived: dict[tuple[str, int | None], float] = {}
    waiter: dict[str, asyncio.Future] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: lsp.PublishDiagnosticsParams):
        arrived[(params.uri, params.version)] = time.perf_counter()
        fut = waiter.get("next")
        if fut is not None and not fut.done() and params.uri == main_uri and params.version == expected[0]:
            fut.set_result(None)

    await client.start_io(sys.executable, "-m", "pipelint", "lsp")
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    client.initialized(lsp.InitializedParams())
    main_path, cog_path = model / "main.py", model / "cog.yaml"
    main_uri = from_fs_path(str(main_path))
    text = main_path.read_text(encoding="utf-8")
    expected = [1]
    loop = asyncio.get_running_loop()

    async def until_published(version: int) -> None:
        expected[0] = version
        if (main_uri, version) in arrived:
            return
        waiter["next"] = loop.create_future()
        await asyncio.wait_for(waiter["next"], 60)

    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(
        from_fs_path(str(cog_path)), "yaml", 1, cog_path.read_text(encoding="utf-8"))))
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(main_uri, "python", 1, text)))
    await until_published(1)

    latencies = []
    cpu_before = None
    for version, buffer in enumerate(edits_of(text, warmup + count), start=2):
        if version - 1 == warmup + 1:
            cpu_before = cpu_seconds(client._server.pid)
        sent = time.perf_counter()
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=main_uri, version=version),
            [lsp.TextDocumentContentChangeWholeDocument(text=buffer)]))
        await until_published(version)
        if version - 1 > warmup:
            latencies.append((arrived[(main_uri, version)] - sent) * 1000)

    cpu_after = cpu_seconds(client._server.pid)
    cpu_per_edit = (cpu_after - cpu_before) * 1000 / count if cpu_before is not None and cpu_after is not None else None
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return latencies, cpu_per_edit


def in_process_lint_ms(model: Path, count: int) -> float:
    """The median time of the lint alone (same overlays, same settings), for comparison."""
    from pipelint.engine.config import settings_for_model
    from pipelint.engine.runner import lint

    main_path = model / "main.py"
    text = main_path.read_text(encoding="utf-8")
    buffers = edits_of(text, count)
    lint(model.resolve(), settings_for_model(model), overlays={main_path: text})  # imports, rule discovery
    times = []
    for buffer in buffers:
        start = time.perf_counter()
        lint(model.resolve(), settings_for_model(model), overlays={main_path.resolve(): buffer})
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="a model folder (default: flux-caption)")
    parser.add_argument("--edits", type=int, default=300, help="edits measured (default: 300)")
    parser.add_argument("--warmup", type=int, default=20, help="edits before measuring (default: 20)")
    args = parser.parse_args([] if argv is None else argv)
    model = args.model.resolve()

    latencies, cpu_per_edit = asyncio.run(measure(model, args.edits, args.warmup))
    lint_ms = in_process_lint_ms(model, min(args.edits, 100))
    result = {
        "median_ms": statistics.median(latencies),
        "p90_ms": percentile(latencies, 0.90),
        "p99_ms": percentile(latencies, 0.99),
        "min_ms": min(latencies),
        "max_ms": max(latencies),
        "lint_only_median_ms": lint_ms,
        "server_cpu_per_edit_ms": cpu_per_edit,
        "edits": len(latencies),
    }
    print(f"pipelint lsp: didChange → publishDiagnostics on {model.name}/main.py over {len(latencies)} edits")
    print(f"  median {result['median_ms']:.1f} ms   p90 {result['p90_ms']:.1f} ms   p99 {result['p99_ms']:.1f} ms"
          f"   (min {result['min_ms']:.1f}, max {result['max_ms']:.1f}; target: median ≤ {TARGET_MS:.0f} ms)")
    print(f"  the lint alone, in process: median {lint_ms:.1f} ms")
    if cpu_per_edit is not None:
        busy = " (latency far above it: the machine is busy, edits wait for a CPU)" if (
            result["median_ms"] > 1.5 * cpu_per_edit) else ""
        print(f"  server CPU time per edit: {cpu_per_edit:.1f} ms{busy}")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
