"""pipelint's benchmark suite: start-up, cold and cached runs, a monorepo, memory, the editor.

    python benchmarks/run.py                    # everything (a few minutes)
    python benchmarks/run.py --only typical,warm --runs 21
    python benchmarks/run.py --fixit /tmp/fixit-venv/bin/fixit

Every figure is the median wall time of repeated runs of a fresh process, measured side by
side (interleaved) with what it is compared to, so background load hits both alike:

* floor   ``python -c "import libcst, yaml, rich.console, packaging.requirements"``: what any
          run that parses Python pays for pipelint's dependencies.
* fixit   ``fixit lint`` on the same file (Fixit is the libcst-based peer). Found via
          ``--fixit PATH``, ``$PIPELINT_BENCH_FIXIT`` or ``fixit`` on PATH; install it apart, e.g.
          ``python -m venv /tmp/fixit-venv && /tmp/fixit-venv/bin/pip install fixit``.

Child processes run without PYTHONDONTWRITEBYTECODE, so pipelint's own modules are loaded
from bytecode as in an installed wheel rather than compiled on every run. Not part of the
test suite: speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

TYPICAL = REPO / "fixtures" / "examples" / "flux-caption"
FLOOR_IMPORTS = "import libcst, yaml, rich.console, packaging.requirements"
ALL = ("startup", "typical", "warm", "big", "memory", "monorepo", "threshold", "lsp")

# The targets of issue 9, checked at the end of a run.
TARGETS = {
    "cold / floor": 1.15,
    "cold / fixit": 0.5,
    "warm (ms)": 60.0,
    "warm / python -c pass": 4.0,
    "monorepo cold (models/s, at least)": 40.0,
    "monorepo warm (s)": 1.5,
    "lsp didChange→diagnostics (ms)": 30.0,
    "peak memory (MB)": 100.0,
}


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PIPELINT_CACHE_DIR")}
    env.update(NO_COLOR="1", **extra)
    return env


# CPU seconds (user + system) of every timed run, by command: less sensitive than wall time
# to other processes on a busy machine, so printed beside it.
CPU: dict[tuple, list[float]] = {}


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_once(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> float:
    cpu = _children_cpu()
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or child_env(), cwd=cwd)
    elapsed = time.perf_counter() - t
    CPU.setdefault(tuple(cmd), []).append(_children_cpu() - cpu)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode()[-2000:]}")
    return elapsed


def side_by_side(commands: dict[str, list[str] | None], runs: int, before=None) -> dict[str, list[float]]:
    """Interleave the commands ``runs`` times after one warm-up each; ``before(name)`` runs
    untimed before every timed run (to empty a cache, say)."""
    live = {k: v for k, v in commands.items() if v}
    for name, cmd in live.items():
        if before:
            before(name)
        run_once(cmd)
    times: dict[str, list[float]] = {k: [] for k in live}
    cpu: dict[str, list[float]] = {k: [] for k in live}
    for _ in range(runs):
        for name, cmd in live.items():
            if before:
                before(name)
            times[name].append(run_once(cmd))
            cpu[name].append(CPU[tuple(cmd)][-1])
    LAST_CPU.clear()
    LAST_CPU.update({k: med(v) for k, v in cpu.items()})
    return times


LAST_CPU: dict[str, float] = {}  # median CPU seconds of each command of the last side_by_side()


def med(xs: list[float]) -> float:
    return statistics.median(xs)


class Report:
    def __init__(self):
        self.results: dict[str, float] = {}
        self.notes: list[str] = []

    def section(self, title: str) -> None:
        print(f"\n## {title}")

    def row(self, label: str, seconds: list[float] | float, ratio_to: dict[str, float] | None = None,
            cpu: float | None = None) -> None:
        m = med(seconds) if isinstance(seconds, list) else seconds
        spread = f"  (min {min(seconds) * 1000:7.1f}, n={len(seconds)})" if isinstance(seconds, list) else ""
        cpu_text = f"  cpu {cpu * 1000:7.1f} ms" if cpu is not None else ""
        ratios = "".join(f"   {r:5.2f}× {name}" for name, r in (ratio_to or {}).items())
        print(f"  {label:<44} {m * 1000:8.1f} ms{spread}{cpu_text}{ratios}")

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}")


def find_fixit(explicit: str | None) -> str | None:
    for candidate in (explicit, os.environ.get("PIPELINT_BENCH_FIXIT"), shutil.which("fixit")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


# The interpreter that runs pipelint, the floor and ``python -c pass`` (--python).
PYTHON = sys.executable


def pipelint(*args: str) -> list[str]:
    return [PYTHON, "-m", "pipelint", *args]


def bench_startup(rep: Report, runs: int, work: Path) -> None:
    rep.section("start-up (no linting)")
    t = side_by_side({
        "pass": [PYTHON, "-c", "pass"],
        "floor": [PYTHON, "-c", FLOOR_IMPORTS],
        "version": pipelint("--version"),
        "rule": pipelint("rule", "PL106"),
    }, runs)
    rep.results["pass"] = med(t["pass"])
    rep.results["floor"] = med(t["floor"])
    rep.row("python -c pass", t["pass"], cpu=LAST_CPU.get("pass"))
    rep.row("floor: import libcst, yaml, rich, packaging", t["floor"], cpu=LAST_CPU.get("floor"))
    rep.row("pipelint --version", t["version"], {"pass": med(t["version"]) / med(t["pass"])}, LAST_CPU.get("version"))
    rep.row("pipelint rule PL106", t["rule"], {"pass": med(t["rule"]) / med(t["pass"])}, LAST_CPU.get("rule"))


def bench_cold(rep: Report, runs: int, model: Path, fixit: str | None, label: str, key: str) -> None:
    rep.section(f"cold run: {label}")
    t = side_by_side({
        "floor": [PYTHON, "-c", FLOOR_IMPORTS],
        "pipelint": pipelint("--no-cache", str(model)),
        "fixit": [fixit, "lint", str(model / "main.py")] if fixit else None,
    }, runs)
    floor, cold = med(t["floor"]), med(t["pipelint"])
    rep.results[f"{key} cold"] = cold
    rep.results[f"{key} floor"] = floor
    ratios = {"floor": cold / floor}
    rep.row("floor", t["floor"], cpu=LAST_CPU.get("floor"))
    if "fixit" in t:
        rep.results[f"{key} fixit"] = med(t["fixit"])
        rep.row("fixit lint main.py", t["fixit"], {"floor": med(t["fixit"]) / floor}, LAST_CPU.get("fixit"))
        ratios["fixit"] = cold / med(t["fixit"])
    else:
        rep.note("fixit not found: pass --fixit PATH or set PIPELINT_BENCH_FIXIT (the fixit column is skipped)")
    rep.row("pipelint --no-cache", t["pipelint"], ratios, LAST_CPU.get("pipelint"))
    if key == "typical":
        rep.results["cold / floor"] = cold / floor
        if "fixit" in t:
            rep.results["cold / fixit"] = cold / med(t["fixit"])


def bench_warm(rep: Report, runs: int, model: Path, work: Path) -> None:
    rep.section("warm run: unchanged typical model, result cached")
    cache = work / "warm-cache"
    run_once(pipelint("--cache-dir", str(cache), str(model)))  # fills the cache
    t = side_by_side({
        "pass": [PYTHON, "-c", "pass"],
        "warm": pipelint("--cache-dir", str(cache), str(model)),
    }, runs)
    warm = med(t["warm"])
    rep.results["warm (ms)"] = warm * 1000
    rep.results["warm / python -c pass"] = warm / med(t["pass"])
    rep.row("python -c pass", t["pass"], cpu=LAST_CPU.get("pass"))
    rep.row("pipelint (cached)", t["warm"], {"pass": warm / med(t["pass"])}, LAST_CPU.get("warm"))


def max_rss_mb(model: Path) -> float:
    """Peak resident memory of one cold run, read in a parent of its own so that no other
    child of this script counts (RUSAGE_CHILDREN is the maximum over all waited-for children)."""
    probe = (
        "import resource, subprocess; "
        f"subprocess.run({pipelint('--no-cache', str(model))!r}, stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, env=child_env(), check=True)
    return int(out.stdout.strip()) / 1024  # ru_maxrss is in KiB on Linux


def bench_memory(rep: Report, models: dict[str, Path]) -> None:
    rep.section("peak memory: cold single-model run")
    for label, model in models.items():
        mb = max_rss_mb(model)
        if label == "typical":
            rep.results["peak memory (MB)"] = mb
        print(f"  {'max RSS, ' + label:<44} {mb:8.1f} MB")


def bench_monorepo(rep: Report, runs: int, top: Path, count: int, work: Path) -> None:
    rep.section(f"monorepo: {count} model folders")
    cache = work / "mono-cache"

    def fresh_cache(name: str) -> None:
        shutil.rmtree(cache, ignore_errors=True)

    cold = side_by_side({"cold": pipelint("--cache-dir", str(cache), "--output-format", "concise", str(top))},
                        runs, before=fresh_cache)["cold"]
    cold_cpu = LAST_CPU["cold"]  # the workers' CPU time included: pipelint waits for them
    run_once(pipelint("--cache-dir", str(cache), str(top)))
    warm = side_by_side({"warm": pipelint("--cache-dir", str(cache), "--output-format", "concise", str(top))},
                        runs)["warm"]
    rep.results["monorepo cold (models/s, at least)"] = count / med(cold)
    rep.results["monorepo warm (s)"] = med(warm)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    rep.row(f"cold (empty cache), {cores} cores", cold, cpu=cold_cpu)
    print(f"  {'':<44} {count / med(cold):8.1f} models/s   ({cold_cpu / count * 1000:.1f} ms of CPU a model)")
    rep.row("warm (all cached)", warm, cpu=LAST_CPU["warm"])


def bench_threshold(rep: Report, runs: int, work: Path) -> None:
    """When does the process pool pay? Lint k models serially and with the pool."""
    rep.section("parallel threshold: serial vs process pool (PIPELINT_JOBS)")
    for k in (2, 4, 8, 16):
        top = generate.monorepo(work / f"threshold-{k}", k)
        serial = pipelint("--no-cache", "--output-format", "concise", str(top))
        t_serial, t_pool = [], []
        for _ in range(runs):
            t_serial.append(timed(serial, PIPELINT_JOBS="1"))
            t_pool.append(timed(serial, PIPELINT_JOBS="0"))
        print(f"  {k:>3} models: serial {med(t_serial) * 1000:7.1f} ms   pool {med(t_pool) * 1000:7.1f} ms")


def timed(cmd: list[str], **env: str) -> float:
    return run_once(cmd, env=child_env(**env))


def bench_lsp(rep: Report) -> None:
    rep.section("language server: didChange → publishDiagnostics")
    script = HERE / "lsp_latency.py"
    if not script.is_file():
        rep.note("benchmarks/lsp_latency.py is not there yet: no editor latency figure")
        return
    import importlib.util

    spec = importlib.util.spec_from_file_location("lsp_latency", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not hasattr(module, "main"):
        rep.note("benchmarks/lsp_latency.py has no main(): skipped")
        return
    result = module.main([])  # its own defaults: the typical model, a few hundred edits
    if isinstance(result, (int, float)):
        rep.results["lsp didChange→diagnostics (ms)"] = float(result)
    elif isinstance(result, dict):
        for key in ("median_ms", "median", "p50_ms"):
            if key in result:
                rep.results["lsp didChange→diagnostics (ms)"] = float(result[key])
                break


def verdicts(rep: Report) -> None:
    rep.section("targets (issue 9)")
    for name, limit in TARGETS.items():
        if name not in rep.results:
            continue
        value = rep.results[name]
        ok = value >= limit if "at least" in name else value <= limit
        print(f"  {'PASS' if ok else 'MISS'}  {name:<40} {value:8.2f}   (target {'≥' if 'at least' in name else '≤'} {limit})")
    for note in rep.notes:
        print(f"  note: {note}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=11, help="timed runs per single-model figure (default: 11)")
    p.add_argument("--monorepo-runs", type=int, default=3, help="timed runs of the monorepo (default: 3)")
    p.add_argument("--models", type=int, default=500, help="model folders in the generated monorepo (default: 500)")
    p.add_argument("--only", default=",".join(a for a in ALL if a != "threshold"),
                   help=f"comma-separated subset of: {', '.join(ALL)} (threshold is opt-in)")
    p.add_argument("--fixit", default=None, help="path to a fixit executable (default: $PIPELINT_BENCH_FIXIT, PATH)")
    p.add_argument("--keep", action="store_true", help="keep the generated models (their folder is printed)")
    p.add_argument("--python", default=sys.executable,
                   help="interpreter with pipelint installed (default: this one). An editable install adds "
                        "its import hook to every start-up, `python -c pass` included: for figures a user "
                        "would see, point this at a venv with a regular `pip install .`")
    args = p.parse_args(argv)
    global PYTHON
    PYTHON = args.python
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    unknown = only - set(ALL)
    if unknown:
        p.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    fixit = find_fixit(args.fixit)
    work = Path(tempfile.mkdtemp(prefix="pipelint-bench-"))
    rep = Report()
    print(f"pipelint benchmarks: {PYTHON}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.2f}; fixit: {fixit or 'not found'}; work: {work}")
    # Children run from the scratch folder: from the repository, `python -m pipelint` would
    # import the checkout rather than the interpreter's installed pipelint (--python).
    here = os.getcwd()
    os.chdir(work)
    try:
        typical = work / "flux-caption"
        shutil.copytree(TYPICAL, typical, ignore=shutil.ignore_patterns(".pipelint_cache", "expected.txt"))
        if "startup" in only:
            bench_startup(rep, args.runs, work)
        if "typical" in only:
            bench_cold(rep, args.runs, typical, fixit, "typical model (fixtures/examples/flux-caption)", "typical")
        if "warm" in only:
            bench_warm(rep, args.runs, typical, work)
        if "big" in only:
            big = generate.big_model(work / "big")
            bench_cold(rep, max(3, args.runs // 2), big, fixit, "2,000-line main.py", "big")
        if "memory" in only:
            bench_memory(rep, {"typical": typical, "2,000-line main.py": generate.big_model(work / "big")})
        if "monorepo" in only:
            top = generate.monorepo(work / "monorepo", args.models)
            bench_monorepo(rep, args.monorepo_runs, top, args.models, work)
        if "threshold" in only:
            bench_threshold(rep, max(3, args.runs // 2), work)
        if "lsp" in only:
            bench_lsp(rep)
        verdicts(rep)
    finally:
        os.chdir(here)
        if args.keep:
            print(f"\nkept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
