"""Editor latency: from `textDocument/didChange` to the `publishDiagnostics` that answers it.

    python benchmarks/lsp_latency.py                  # 300 edits of fixtures/examples/flux-caption
    python benchmarks/lsp_latency.py --edits 1000 --model path/to/model
    python benchmarks/lsp_latency.py --model big --edits 3 --burst 5 --trials 3   # quick keystrokes

Runs from any folder. The server is the `pipelint lsp` of an interpreter that has pipelint
installed: this one, else the venv benchmarks/run.py keeps (``--python`` names another); its
console script beside it, else `python -P -m pipelint lsp`, started in a scratch folder, so the
checkout's `pipelint/` (which lacks `pipelint.rules`) is never imported.

A real `pipelint lsp` process is driven over stdio by pygls's client, as an editor would:
main.py and cog.yaml are open, and each edit types one more character into a string of
`run()` (the file stays valid, so every rule runs). The clock runs from just before the
didChange is written to the arrival of main.py's diagnostics for that version, so it includes
the server's debounce, the lint of the whole model and both JSON-RPC hops. The first edits
warm the server up and are not counted.

``--burst N`` then types N characters ``--burst-gap-ms`` apart without waiting, ``--trials``
times, and measures from the last keystroke to the diagnostics of that last version (median and
p90), and how many lints the server started, cancelled midway and published per burst (asked
with the server's `pipelint/stats` request): the target is one lint after the last keystroke.

Also prints where the server's time went per measured edit (its `pipelint/stats` timings: the
wait before the lint, the lint's wall and CPU time, publishing, the collections between lints),
its resident memory after 100 and 1,000 edits and at the end, and how long the same lint takes
in this process, to show what the server adds.
``--json`` prints the results as one JSON line at the end. Not a test: speed is measured here,
never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = REPO / "fixtures" / "examples" / "flux-caption"
TARGET_MS = 30.0
TIMEOUT_S = 900.0  # for one version's diagnostics: a 5,000-line file took seconds a lint, minutes on a busy machine
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


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process (Linux), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def server_command() -> list[str]:
    """The installed server of this interpreter: its console script, else ``python -P -m``."""
    script = Path(sys.executable).with_name("pipelint")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script), "lsp"]
    return [sys.executable, *(["-P"] if sys.version_info >= (3, 11) else []), "-m", "pipelint", "lsp"]


def missing_packages() -> list[str]:
    """What this interpreter lacks to run the benchmark (pipelint with its rules, pygls, lsprotocol)."""
    import importlib.util

    def found(name: str) -> bool:
        try:
            return importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            return False

    missing = [] if found("pipelint") and found("pipelint.rules") else ["pipelint"]
    return missing + [name for name in ("pygls", "lsprotocol") if not found(name)]


def bench_python() -> Path:
    """The interpreter of the venv benchmarks/run.py keeps (it has pipelint installed, non-editable)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    venv = cache / "pipelint-bench" / f"venv-py{sys.version_info.major}.{sys.version_info.minor}"
    return venv / ("Scripts" if os.name == "nt" else "bin") / ("python.exe" if os.name == "nt" else "python")


def _reexec(python: Path) -> None:
    """Run this script again under ``python``, without a PYTHONPATH (a checkout on it would
    shadow the installed pipelint)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PIPELINT_LSP_BENCH_REEXEC"] = "1"
    os.execve(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]], env)


def check_installed(python: Path | None) -> None:
    """Run under an interpreter that has what the benchmark needs, or fail at once (rather than
    wait for a server that died at start-up)."""
    # Compared unresolved: a venv's python is a symlink to the interpreter it was made from.
    if python is not None and os.path.abspath(sys.executable) != os.path.abspath(python):
        _reexec(python)
    missing = missing_packages()
    if not missing:
        return
    fallback = bench_python()
    if python is None and fallback.is_file() and not os.environ.get("PIPELINT_LSP_BENCH_REEXEC"):
        _reexec(fallback)
    raise SystemExit(f"{', '.join(missing)} not installed for {sys.executable}: `pip install .[lsp]` "
                     "(pipelint with its rules, not the bare checkout), `--python` another interpreter, "
                     "or run benchmarks/run.py once, which makes a venv this script then uses")


async def measure(model: Path, count: int, warmup: int, burst: int = 0, gap_ms: float = 50.0,
                  trials: int = 0) -> dict:
    from lsprotocol import types as lsp
    from pygls.lsp.client import LanguageClient
    from pygls.uris import from_fs_path

    client = LanguageClient("pipelint-lsp-latency", "1")
    arrived: dict[tuple[str, int | None], float] = {}
    waiter: dict[str, asyncio.Future] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_published(params: lsp.PublishDiagnosticsParams):
        arrived[(params.uri, params.version)] = time.perf_counter()
        fut = waiter.get("next")
        if fut is not None and not fut.done() and params.uri == main_uri and params.version == expected[0]:
            fut.set_result(None)

    scratch = tempfile.mkdtemp(prefix="pipelint-lsp-bench-")
    cmd = server_command()
    # The server imports the installed pipelint only: no PYTHONPATH (a checkout on it lacks
    # pipelint.rules), started in a scratch folder.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    await client.start_io(*cmd, cwd=scratch, env=env)
    server = client._server
    stderr_tail = bytearray()

    async def drain_stderr() -> None:
        # pygls's client pipes the server's stderr and never reads it: a server that logs more
        # than the pipe holds (64 KB) would block in a write, and the benchmark wait forever.
        while chunk := await server.stderr.read(65536):
            stderr_tail.extend(chunk)
            del stderr_tail[:-4000]

    drainer = asyncio.ensure_future(drain_stderr())
    exited = asyncio.ensure_future(server.wait())
    try:
        await asyncio.wait_for(client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities())), 60)
    except asyncio.TimeoutError:
        raise SystemExit(f"`{' '.join(cmd)}` did not answer initialize within 60 s") from None
    client.initialized(lsp.InitializedParams())
    main_path, cog_path = model / "main.py", model / "cog.yaml"
    main_uri = from_fs_path(str(main_path))
    text = main_path.read_text(encoding="utf-8")
    expected = [1]
    loop = asyncio.get_running_loop()

    def fail(why: str) -> None:
        tail = stderr_tail.decode("utf-8", "replace").strip()
        raise SystemExit(f"`{' '.join(cmd)}`: {why}" + (f"\nits stderr ends:\n{tail}" if tail else ""))

    async def until_published(version: int) -> None:
        """Until main.py's diagnostics for ``version`` arrive; fails (never hangs) when the server
        exits, reports an internal error or takes longer than TIMEOUT_S."""
        expected[0] = version
        if (main_uri, version) in arrived:
            return
        waiter["next"] = loop.create_future()
        done, _ = await asyncio.wait({waiter["next"], exited}, timeout=TIMEOUT_S,
                                     return_when=asyncio.FIRST_COMPLETED)
        if waiter["next"] in done:
            waiter["next"].result()
        elif exited in done:
            fail(f"exited ({server.returncode}) before publishing version {version}")
        else:
            fail(f"published no diagnostics for version {version} within {TIMEOUT_S:.0f} s")

    @client.feature(lsp.WINDOW_LOG_MESSAGE)
    def on_log(params: lsp.LogMessageParams):
        fut = waiter.get("next")
        if params.type == lsp.MessageType.Error and fut is not None and not fut.done():
            fut.set_exception(SystemExit(f"the server reported an error: {params.message[-2000:]}"))

    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(
        from_fs_path(str(cog_path)), "yaml", 1, cog_path.read_text(encoding="utf-8"))))
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(main_uri, "python", 1, text)))
    await until_published(1)

    def change(version: int, buffer: str) -> None:
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=main_uri, version=version),
            [lsp.TextDocumentContentChangeWholeDocument(text=buffer)]))

    async def stats() -> dict:
        """The server's lint counters (`pipelint/stats`); empty for a server without them."""
        try:
            answer = await asyncio.wait_for(client.protocol.send_request_async("pipelint/stats", None), 30)
        except Exception:
            return {}
        if isinstance(answer, dict):
            return answer
        return dict(answer._asdict()) if hasattr(answer, "_asdict") else {}  # pygls's namedtuple for a custom result

    buffers = edits_of(text, warmup + count + burst * trials)
    latencies = []
    cpu_before = None
    rss = {}
    version = 1
    for i in range(warmup + count):
        version += 1
        if i == warmup:
            cpu_before = cpu_seconds(client._server.pid)
            stats_before = await stats()
        sent = time.perf_counter()
        change(version, buffers[version - 2])
        await until_published(version)
        if i >= warmup:
            latencies.append((arrived[(main_uri, version)] - sent) * 1000)
            done = i - warmup + 1
            if done in (100, 1000) or done == count:
                rss[done] = rss_mb(client._server.pid)
    cpu_after = cpu_seconds(client._server.pid)
    cpu_per_edit = (cpu_after - cpu_before) * 1000 / count if cpu_before is not None and cpu_after is not None else None
    stats_after = await stats()
    # Where the server's time went per measured edit (servers that report it: `pipelint/stats`).
    breakdown = {k: (stats_after[k] - stats_before.get(k, 0)) / count for k in stats_after
                 if k.endswith("_ms") and isinstance(stats_after[k], (int, float))}
    breakdown.update({k: stats_after[k] - stats_before.get(k, 0) for k in ("young_collections", "full_collections")
                      if isinstance(stats_after.get(k), int)})

    bursts, published, lints = [], [], []
    for _ in range(trials):
        first = version + 1
        before = await stats()
        for k in range(burst):
            version += 1
            if k:
                await asyncio.sleep(gap_ms / 1000)
            sent = time.perf_counter()
            change(version, buffers[version - 2])
        await until_published(version)
        bursts.append((arrived[(main_uri, version)] - sent) * 1000)
        published.append(sum((main_uri, v) in arrived for v in range(first, version + 1)))
        after = await stats()
        lints.append({k: after[k] - before.get(k, 0) for k in ("started", "cancelled", "dropped", "published")
                      if isinstance(after.get(k), int)})

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    drainer.cancel()
    exited.cancel()
    shutil.rmtree(scratch, ignore_errors=True)
    return {"latencies": latencies, "cpu_per_edit": cpu_per_edit, "breakdown": breakdown, "rss_mb": rss,
            "bursts": bursts, "published": published,
            "lints": lints, "server": " ".join(cmd)}


def in_process_lint_ms(model: Path, count: int) -> float | None:
    """The median time of the lint alone (same overlays, same settings), for comparison; None
    when pipelint's internals have moved."""
    try:
        from pipelint.engine.config import settings_for_model
        from pipelint.engine.runner import lint
    except ImportError:
        return None

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
    parser.add_argument("--burst", type=int, default=0, help="then type this many characters without waiting")
    parser.add_argument("--burst-gap-ms", type=float, default=50.0, help="between the keystrokes of a burst")
    parser.add_argument("--trials", type=int, default=3, help="bursts measured (default: 3)")
    parser.add_argument("--no-in-process", action="store_true", help="skip the in-process lint timing")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON line at the end")
    parser.add_argument("--python", type=Path, default=None,
                        help="the interpreter whose installed pipelint to measure (default: this one, else "
                             "benchmarks/run.py's venv)")
    args = parser.parse_args([] if argv is None else argv)
    model = args.model.resolve()
    check_installed(args.python)

    measured = asyncio.run(measure(model, args.edits, args.warmup, args.burst, args.burst_gap_ms,
                                   args.trials if args.burst else 0))
    latencies, cpu_per_edit = measured["latencies"], measured["cpu_per_edit"]
    lint_ms = None if args.no_in_process else in_process_lint_ms(model, min(args.edits, 100))
    result = {
        "median_ms": statistics.median(latencies),
        "p90_ms": percentile(latencies, 0.90),
        "p99_ms": percentile(latencies, 0.99),
        "min_ms": min(latencies),
        "max_ms": max(latencies),
        "lint_only_median_ms": lint_ms,
        "server_cpu_per_edit_ms": cpu_per_edit,
        "edits": len(latencies),
        "server_breakdown": measured["breakdown"],
        "rss_mb": measured["rss_mb"],
        "server": measured["server"],
    }
    if measured["bursts"]:
        b = measured["bursts"]
        result.update(burst=args.burst, burst_gap_ms=args.burst_gap_ms, burst_median_ms=statistics.median(b),
                      burst_p90_ms=percentile(b, 0.90), burst_min_ms=min(b), burst_max_ms=max(b),
                      burst_published=measured["published"], burst_lints=measured["lints"],
                      burst_lints_started=[x.get("started") for x in measured["lints"]])
    print(f"pipelint lsp ({result['server']}): didChange → publishDiagnostics on {model.name}/main.py "
          f"over {len(latencies)} edits")
    print(f"  median {result['median_ms']:.1f} ms   p90 {result['p90_ms']:.1f} ms   p99 {result['p99_ms']:.1f} ms"
          f"   (min {result['min_ms']:.1f}, max {result['max_ms']:.1f}; target: median ≤ {TARGET_MS:.0f} ms)")
    if lint_ms is not None:
        print(f"  the lint alone, in process: median {lint_ms:.1f} ms")
    if measured["bursts"]:
        print(f"  last of {args.burst} keystrokes {args.burst_gap_ms:.0f} ms apart → its diagnostics: median "
              f"{result['burst_median_ms']:.0f} ms   p90 {result['burst_p90_ms']:.0f} ms (min "
              f"{result['burst_min_ms']:.0f}, max {result['burst_max_ms']:.0f}; one edit alone: median "
              f"{result['median_ms']:.0f} ms, ratio {result['burst_median_ms'] / result['median_ms']:.2f})")
        print(f"  versions published per burst: {measured['published']}")
        if any(measured["lints"]):
            print("  lints per burst (started / cancelled midway / finished but dropped / published): "
                  + ", ".join(f"{x.get('started')}/{x.get('cancelled')}/{x.get('dropped')}/{x.get('published')}"
                              for x in measured["lints"]))
    if measured["breakdown"]:
        print("  in the server, per edit: " + ", ".join(
            f"{k.removesuffix('_ms')} {v:.2f} ms" if k.endswith("_ms") else f"{k} {v}"
            for k, v in measured["breakdown"].items()))
    if any(v is not None for v in measured["rss_mb"].values()):
        print("  server RSS: " + ", ".join(f"{v:.1f} MB after {k} edits" for k, v in measured["rss_mb"].items()
                                           if v is not None))
    if cpu_per_edit is not None:
        busy = " (latency far above it: the machine is busy, edits wait for a CPU)" if (
            result["median_ms"] > 1.5 * cpu_per_edit) else ""
        print(f"  server CPU time per edit: {cpu_per_edit:.1f} ms{busy}")
    if args.json:
        print(json.dumps(result))
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
