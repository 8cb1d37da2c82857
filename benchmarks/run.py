"""pipelint's benchmark: cold, warm, file size, fixes, many models, memory and the editor,
every figure a ratio against a peer measured in the same run.

    python benchmarks/run.py                  # everything (about 15 minutes on 2 cores)
    python benchmarks/run.py --quick          # fewer runs, no 50,000 lines, no 1,000 models
    python benchmarks/run.py --only cold,warm --json results.json
    python benchmarks/run.py --only sizes --sizes 50000 --runs-big 1

Runs from any working directory. pipelint is measured as users run it: an installed command in
a subprocess, never the checkout's ``pipelint/`` (which lacks ``pipelint.rules`` until installed).
The benchmark keeps a virtualenv of its own (``--venv``, default
``~/.cache/pipelint-bench/venv-pyX.Y``), makes it on first use with the peers (fixit, ruff) and
the language server's libraries (pygls, lsprotocol), and reinstalls this checkout into it,
non-editable, at the start of every run (``--no-install`` keeps what is there).

Peers, run in the same venv and interleaved with what they are compared to (one run of each
per round, the order rotated every round, so background load hits them alike):

* ``floor``   ``python -c "import libcst, yaml, packaging.requirements"``: what any run that
              parses Python pays for pipelint's dependencies (rich is not in it: a clean run needs
              no rich);
* ``pass``    ``python -c pass``: the interpreter's start-up, the floor of a cached run;
* ``fixit``   ``fixit lint``, the libcst-based linter;
* ``ruff``    ``ruff check --no-cache --isolated``, for scale.

Each row gives the median wall time with its spread (min–max), the median CPU time (user +
system, the children's included), and the ratio to its peer: the median of the per-round
ratios (each pair ran back to back), with their min–max. Peak RSS comes from ``wait4`` (the
largest process of the run); for a run with worker processes, the sum over the process tree is
sampled too. Targets are those of issue 17; each row says whether it is met.

Not part of the test suite: speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py, beside this file)

FLOOR = "import libcst, yaml, packaging.requirements"
SECTIONS = ("startup", "cold", "warm", "sizes", "diff", "monorepo", "lsp")
PEERS = ("fixit", "ruff", "pygls", "lsprotocol")

# --------------------------------------------------------------------------------------------
# The virtualenv that runs everything


def default_venv() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "pipelint-bench" / f"venv-py{sys.version_info.major}.{sys.version_info.minor}"


def venv_bin(venv: Path, name: str) -> str:
    return str(venv / ("Scripts" if os.name == "nt" else "bin") / name)


def prepare_venv(venv: Path, install: bool, log, source: Path = REPO) -> None:
    """Make the venv (first use), install the peers, and install ``source`` (a checkout) non-editable."""
    python = venv_bin(venv, "python")
    if not Path(python).exists():
        log(f"making the benchmark venv {venv} (once)")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [python, "-m", "pip", "-q", "--disable-pip-version-check"]
    missing = [p for p in PEERS if subprocess.run([python, "-m", "pip", "show", "-q", p],
                                                  capture_output=True).returncode != 0]
    if missing:
        log(f"installing {', '.join(missing)} into the benchmark venv")
        subprocess.run([*pip, "install", *missing], check=True)
    if install:
        # From a copy, so that the build writes nothing into the checkout.
        with tempfile.TemporaryDirectory(prefix="pipelint-bench-src-") as src:
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pipelint_cache")
            for name in ("pipelint", "rules", "docs"):
                if (source / name).is_dir():
                    shutil.copytree(source / name, Path(src) / name, ignore=ignore)
            for name in ("pyproject.toml", "setup.py", "README.md", "LICENSE"):
                if (source / name).exists():
                    shutil.copy2(source / name, Path(src) / name)
            log(f"installing {source} into {venv} (non-editable)")
            subprocess.run([*pip, "install", "--force-reinstall", "--no-deps", src], check=True)
            subprocess.run([*pip, "install", src], check=True)  # its dependencies, if new
    probe = subprocess.run([python, "-c", "import pipelint, pipelint.rules; print(pipelint.__file__)"],
                           capture_output=True, text=True, cwd=tempfile.gettempdir())
    if probe.returncode != 0:
        raise SystemExit(f"pipelint is not installed in {venv}: {probe.stderr.strip()[-500:]}")
    where = Path(probe.stdout.strip()).resolve()
    if source in where.parents:
        log(f"warning: {venv} imports pipelint from the checkout ({where}): an editable install "
            "adds an import hook to every start-up; the figures are not those users see")


# --------------------------------------------------------------------------------------------
# Running and measuring


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float            # the largest process of the run (wait4's ru_maxrss)
    tree_mb: float | None    # the sampled peak of the whole process tree, if sampled
    rc: int
    stdout: str


@dataclass
class Cmd:
    argv: list[str]
    cwd: Path
    ok_rc: tuple[int, ...] = (0, 1)
    sample_tree: bool = False
    capture: bool = False     # keep stdout (else it goes to a scratch file, which costs the same)
    env: dict[str, str] | None = None


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def _rss_bytes(pid: int) -> int:
    """The process's proportional set size (PSS: pages shared with other processes, as forked
    workers share their parent's, count in part), else its RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _tree_sampler(pid: int, stop: threading.Event, out: list[int]) -> None:
    peak = 0
    while not stop.is_set():
        todo, total = [pid], 0
        while todo:
            p = todo.pop()
            total += _rss_bytes(p)
            todo.extend(_children(p))
        peak = max(peak, total)
        stop.wait(0.01)
    out.append(peak)


def child_env(venv: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    drop = ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "PYTHONHOME", "PIPELINT_CACHE_DIR", "PIPELINT_JOBS",
            "VIRTUAL_ENV", "PYTHONSTARTUP", "PYTHONPROFILEIMPORTTIME")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PATH"] = str(Path(venv_bin(venv, "python")).parent) + os.pathsep + env.get("PATH", "")
    env["NO_COLOR"] = "1"
    env.update(extra or {})
    return env


class Runner:
    def __init__(self, venv: Path, scratch: Path):
        self.venv = venv
        self.scratch = scratch
        self.sink = scratch / "stdout.txt"

    def run(self, cmd: Cmd) -> Run:
        env = child_env(self.venv, cmd.env)
        with open(self.sink, "w+b") as out:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd.argv, cwd=cmd.cwd, env=env, stdout=out, stderr=subprocess.PIPE,
                                    stdin=subprocess.DEVNULL)
            stop, peak = threading.Event(), []
            sampler = None
            if cmd.sample_tree:
                sampler = threading.Thread(target=_tree_sampler, args=(proc.pid, stop, peak), daemon=True)
                sampler.start()
            stderr = proc.stderr.read()  # a child that writes much to stderr must not block
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            stop.set()
            if sampler:
                sampler.join()
            out.seek(0)
            stdout = out.read().decode("utf-8", "replace") if cmd.capture else ""
        if proc.returncode not in cmd.ok_rc:
            raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd.argv)} (in {cmd.cwd})\n"
                             f"{stderr.decode('utf-8', 'replace')[-2000:]}")
        return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                   peak[0] / 2**20 if peak else None, proc.returncode, stdout)

    def alternate(self, cmds: dict[str, Cmd | None], runs: int, warmup: bool = True,
                  before=None) -> dict[str, list[Run]]:
        """``runs`` rounds of every command, the order rotated each round, after one untimed
        run of each (``warmup``); ``before(name)`` runs untimed before each run."""
        live = {k: v for k, v in cmds.items() if v is not None}
        names = list(live)
        if warmup:
            for name in names:
                if before:
                    before(name)
                self.run(live[name])
        results: dict[str, list[Run]] = {k: [] for k in names}
        for r in range(runs):
            for name in names[r % len(names):] + names[:r % len(names)]:
                if before:
                    before(name)
                results[name].append(self.run(live[name]))
        return results


def med(xs):
    return statistics.median(xs)


def spread(xs) -> tuple[float, float]:
    return min(xs), max(xs)


def iqr(xs) -> tuple[float, float] | None:
    if len(xs) < 4:
        return None
    q = statistics.quantiles(xs, n=4)
    return q[0], q[2]


# --------------------------------------------------------------------------------------------
# The table


@dataclass
class Row:
    section: str
    label: str
    value: float                     # in ``unit``
    unit: str                        # "ms", "s", "MB", "models/s", "×", "ms/1k lines"
    lo: float | None = None          # spread of value (min–max)
    hi: float | None = None
    cpu_ms: float | None = None
    # peer: (median, min, max) of the per-round wall-time ratios, and the median CPU-time ratio
    ratios: dict[str, tuple[float, ...]] = field(default_factory=dict)
    target: str = ""                 # e.g. "≤ 1.1× floor"
    ok: bool | None = None
    note: str = ""
    samples: int = 0


class Report:
    def __init__(self):
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.header: dict[str, object] = {}

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print("  " + self.line(row), flush=True)
        return row

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}", flush=True)

    @staticmethod
    def fmt(v: float, unit: str) -> str:
        if unit == "ms":
            return f"{v:.0f} ms" if v >= 100 else f"{v:.1f} ms"
        if unit == "s":
            return f"{v:.2f} s"
        if unit == "MB":
            return f"{v:.0f} MB" if v >= 100 else f"{v:.1f} MB"
        if unit == "×":
            return f"{v:.2f}×"
        return f"{v:.1f} {unit}"

    def line(self, r: Row) -> str:
        spread_ = f"{self.fmt(r.lo, r.unit)}–{self.fmt(r.hi, r.unit)}" if r.lo is not None else ""
        cpu = f"{r.cpu_ms:.0f} ms" if r.cpu_ms is not None else ""
        ratios = "; ".join(f"{v[0]:.2f}× {peer}" + (f" ({v[1]:.2f}–{v[2]:.2f})" if v[1] != v[2] else "")
                           + (f", CPU {v[3]:.2f}×" if len(v) > 3 else "") for peer, v in r.ratios.items())
        verdict = "" if r.ok is None else ("PASS" if r.ok else "FAIL")
        return (f"| {r.section} | {r.label} | {self.fmt(r.value, r.unit)} | {spread_} | {cpu} | {ratios} | "
                f"{r.target} | {verdict} | {r.note} |")

    def table(self) -> str:
        h = self.header
        out = [f"{h.get('version')} — {h.get('date')} — {h.get('cores')} cores "
               f"({h.get('cpu')}), load average {h.get('load_before')} before, {h.get('load_after')} after; "
               f"Python {h.get('python')}; {h.get('mode')}"
               + (f"; BEFORE = {h['before']}" if h.get("before") else ""),
               "",
               "| section | measurement | median | spread (min–max) | CPU | ratio to peer: median (min–max) | "
               "target | verdict | note |",
               "|---|---|---|---|---|---|---|---|---|"]
        out += [self.line(r) for r in self.rows]
        if self.notes:
            out += [""] + [f"- {n}" for n in self.notes]
        return "\n".join(out)

    def as_json(self) -> dict:
        return {"header": self.header, "rows": [r.__dict__ for r in self.rows], "notes": self.notes}


def paired(a: list[Run], b: list[Run], attr: str = "wall") -> tuple[float, float, float]:
    ratios = [getattr(x, attr) / getattr(y, attr) for x, y in zip(a, b, strict=False) if getattr(y, attr)]
    return med(ratios), min(ratios), max(ratios)


def ratio(a: list[Run], b: list[Run]) -> tuple[float, float, float, float]:
    """Wall: median, min, max of the per-round ratios; then the ratio of the median CPU times."""
    cpu_b = med([r.cpu for r in b])
    return (*paired(a, b), med([r.cpu for r in a]) / cpu_b if cpu_b else float("nan"))


def time_row(section: str, label: str, runs: list[Run], peers: dict[str, list[Run]] | None = None,
             unit: str = "ms", target: str = "", ok=None, note: str = "") -> Row:
    scale = 1000 if unit == "ms" else 1
    walls = [r.wall * scale for r in runs]
    return Row(section, label, med(walls), unit, min(walls), max(walls), med([r.cpu for r in runs]) * 1000,
               {p: ratio(runs, pr) for p, pr in (peers or {}).items()}, target, ok, note, len(runs))


# --------------------------------------------------------------------------------------------
# The benchmarks


@dataclass
class Ctx:
    rep: Report
    runner: Runner
    venv: Path
    work: Path
    quick: bool
    runs: int
    results: dict = field(default_factory=dict)
    before: Path | None = None  # the venv holding the "before" checkout (--before), if any
    before_max_lines: int = 10_000  # the before peer is skipped beyond (minutes per run)

    def py(self, *args: str) -> list[str]:
        return [venv_bin(self.venv, "python"), *args]

    def pipelint(self, *args: str) -> list[str]:
        return [venv_bin(self.venv, "pipelint"), *args]

    def pipelint_before(self, *args: str) -> list[str] | None:
        return [venv_bin(self.before, "pipelint"), *args] if self.before else None

    def fixit(self, *paths: Path) -> list[str]:
        return [venv_bin(self.venv, "fixit"), "lint", *map(str, paths)]

    def ruff(self, *paths: Path) -> list[str]:
        return [venv_bin(self.venv, "ruff"), "check", "--no-cache", "--isolated", "--exit-zero", *map(str, paths)]


ANY_RC = tuple(range(0, 256))


def before_cmd(ctx: Ctx, cmd: Cmd) -> Cmd | None:
    """The same command run by the "before" checkout's pipelint (--before), else None."""
    if not ctx.before:
        return None
    return Cmd([venv_bin(ctx.before, "pipelint"), *cmd.argv[1:]], cmd.cwd, cmd.ok_rc, cmd.sample_tree, cmd.capture,
               cmd.env)


def before_row(ctx: Ctx, section: str, label: str, t: dict, peers: tuple[str, ...] = (), unit: str = "ms") -> None:
    """The before checkout's row, with the same peers as the after row (the after row has
    ``before`` among its peers: after/before per round)."""
    if "before" in t:
        ctx.rep.add(time_row(section, f"BEFORE: {label}", t["before"], {p: t[p] for p in peers if p in t}, unit=unit))


def assert_whole(ctx: Ctx, model: generate.Model, label: str, output: str | None = None) -> None:
    """The seeded finding in the last function of the entry module is in pipelint's JSON output:
    the entry module was parsed and traversed to its end."""
    if output is None:
        output = ctx.runner.run(Cmd(ctx.pipelint("--no-cache", "--output-format", "json", str(model.folder)),
                                    ctx.work, capture=True)).stdout
    try:
        found = json.loads(output)
    except json.JSONDecodeError as exc:
        raise SystemExit(f"{label}: pipelint's JSON output does not parse ({exc}): {output[:500]}") from None
    hits = [d for d in found if Path(d["filename"]).name == model.entry.name
            and d["location"]["row"] == model.seeded_line]
    if not hits:
        raise SystemExit(f"{label}: the finding seeded at {model.entry.name}:{model.seeded_line} is not in pipelint's "
                         f"output: the entry module was not analysed whole ({len(found)} findings elsewhere)")
    ctx.results.setdefault("analysed_whole", {})[label] = f"{hits[0]['code']} at {model.entry.name}:{model.seeded_line}"


def bench_startup(ctx: Ctx) -> None:
    print("\n## start-up", flush=True)
    w = ctx.work
    t = ctx.runner.alternate({
        "pass": Cmd(ctx.py("-c", "pass"), w),
        "floor": Cmd(ctx.py("-c", FLOOR), w),
        "floor+rich": Cmd(ctx.py("-c", FLOOR + ", rich.console"), w),
        "version": Cmd(ctx.pipelint("--version"), w),
    }, ctx.runs)
    ctx.results["startup"] = t
    ctx.rep.add(time_row("start-up", "`python -c pass`", t["pass"]))
    ctx.rep.add(time_row("start-up", "floor: `import libcst, yaml, packaging.requirements`", t["floor"],
                         {"pass": t["pass"]}))
    ctx.rep.add(time_row("start-up", "floor + `rich.console` (for scale)", t["floor+rich"], {"floor": t["floor"]}))
    ctx.rep.add(time_row("start-up", "`pipelint --version`", t["version"], {"pass": t["pass"]}))


def bench_cold(ctx: Ctx) -> None:
    print("\n## cold: one typical model, no cache", flush=True)
    for kind, make in (("pipeline", generate.typical_pipeline), ("cog", generate.typical_cog)):
        model = make(ctx.work / f"typical-{kind}")
        assert_whole(ctx, model, f"typical {kind} model")
        w = model.folder
        t = ctx.runner.alternate({
            "floor": Cmd(ctx.py("-c", FLOOR), w),
            "pipelint": Cmd(ctx.pipelint("--no-cache", str(model.folder)), w),
            "before": before_cmd(ctx, Cmd(ctx.pipelint("--no-cache", str(model.folder)), w)),
            "fixit": Cmd(ctx.fixit(model.entry), w, ok_rc=ANY_RC),
            "ruff": Cmd(ctx.ruff(model.entry), w, ok_rc=ANY_RC),
        }, ctx.runs)
        ctx.results[f"cold-{kind}"] = t
        label = f"typical {kind} model ({model.lines}-line {model.entry.name})"
        fl, fx = paired(t["pipelint"], t["floor"])[0], paired(t["pipelint"], t["fixit"])[0]
        sec = "cold"
        ctx.rep.add(time_row(sec, f"floor, {kind} model's turn", t["floor"]))
        ctx.rep.add(time_row(sec, f"`fixit lint {model.entry.name}`", t["fixit"], {"floor": t["floor"]}))
        ctx.rep.add(time_row(sec, f"`ruff check {model.entry.name}`", t["ruff"], {"floor": t["floor"]}))
        ctx.rep.add(time_row(sec, f"pipelint --no-cache, {label}", t["pipelint"],
                             {"floor": t["floor"], "fixit": t["fixit"], "ruff": t["ruff"],
                              **({"before": t["before"]} if "before" in t else {})},
                             target="≤ 1.1× floor, ≤ 0.5× fixit", ok=fl <= 1.1 and fx <= 0.5))
        before_row(ctx, sec, f"pipelint --no-cache, {label}", t, ("floor", "fixit"))
        rss = [r.rss_mb for r in t["pipelint"]]
        ctx.rep.add(Row("memory", f"peak RSS, cold, {label}", med(rss), "MB", min(rss), max(rss),
                        ratios={"floor": (med(rss) / med([r.rss_mb for r in t["floor"]]),) * 3},
                        target="≤ 100 MB", ok=med(rss) <= 100, samples=len(rss)))


def bench_warm(ctx: Ctx) -> None:
    print("\n## warm: nothing changed, result cached", flush=True)
    clean = generate.typical_pipeline(ctx.work / "warm-clean", seed=1, seeded=False)
    dirty = generate.typical_pipeline(ctx.work / "warm-findings", seed=2, seeded=True)
    cog = generate.typical_cog(ctx.work / "warm-cog", seed=3)
    cmds = {"pass": Cmd(ctx.py("-c", "pass"), ctx.work)}
    for name, model in (("clean", clean), ("findings", dirty), ("cog", cog)):
        cache = ctx.work / f"cache-{name}"
        cmds[name] = Cmd(ctx.pipelint("--cache-dir", str(cache), str(model.folder)), model.folder)
        ctx.runner.run(cmds[name])  # fills the cache
        if ctx.before:
            old = ctx.work / f"cache-before-{name}"
            cmds[f"before-{name}"] = before_cmd(ctx, Cmd(ctx.pipelint("--cache-dir", str(old), str(model.folder)),
                                                         model.folder))
            ctx.runner.run(cmds[f"before-{name}"])
    t = ctx.runner.alternate(cmds, ctx.runs)
    ctx.results["warm"] = t
    ctx.rep.add(time_row("warm", "`python -c pass`", t["pass"]))
    for name, label in (("clean", "typical pipeline model, no findings"),
                        ("findings", "typical pipeline model, 1 finding (full output)"),
                        ("cog", "typical cog model, 10 findings (full output)")):
        r = paired(t[name], t["pass"])[0]
        old = {"before": t[f"before-{name}"]} if f"before-{name}" in t else {}
        ctx.rep.add(time_row("warm", f"pipelint, cached: {label}", t[name], {"pass": t["pass"], **old},
                             target="≤ 2.5× pass", ok=r <= 2.5))
        if old:
            ctx.rep.add(time_row("warm", f"BEFORE: pipelint, cached: {label}", old["before"], {"pass": t["pass"]}))


def bench_sizes(ctx: Ctx, sizes: list[int], runs_for) -> None:
    print("\n## one main.py of growing size, cold", flush=True)
    per_size, per_size_lines = {}, {}
    for lines in sizes:
        model = generate.big_model(ctx.work / f"size-{lines}", lines)
        w = model.folder
        runs = runs_for(lines)
        fixit_ok = lines <= 10_000  # fixit takes minutes and GBs beyond
        t = ctx.runner.alternate({
            "pipelint": Cmd(ctx.pipelint("--no-cache", "--output-format", "json", str(model.folder)), w, capture=True),
            "before": before_cmd(ctx, Cmd(ctx.pipelint("--no-cache", "--output-format", "json", str(model.folder)), w))
            if lines <= ctx.before_max_lines else None,
            "fixit": Cmd(ctx.fixit(model.entry), w, ok_rc=ANY_RC) if fixit_ok else None,
            "ruff": Cmd(ctx.ruff(model.entry), w, ok_rc=ANY_RC),
        }, runs, warmup=lines <= 1000)
        assert_whole(ctx, model, f"{lines:,}-line main.py", t["pipelint"][0].stdout)
        ctx.results[f"size-{lines}"] = t
        per_size[lines] = t
        peers = {k: v for k, v in t.items() if k != "pipelint"}
        wall = med([r.wall for r in t["pipelint"]])
        target, ok = ("≤ 3 s", wall <= 3.0) if lines == 10_000 else ("", None)
        unit = "s" if wall >= 1 else "ms"
        def growth(name: str, lines=lines, t=t) -> str:
            # CPU per 1,000 lines beyond the smallest file: constant when the cost is linear.
            small = min(per_size)
            if small == lines or name not in per_size[small]:
                return ""
            extra = med([r.cpu for r in t[name]]) - med([r.cpu for r in per_size[small][name]])
            return f"{extra / ((lines - per_size_lines[small]) / 1000) * 1000:.0f} ms CPU per 1,000 lines beyond {small:,}"

        per_size_lines[lines] = model.lines
        ctx.rep.add(time_row("size", f"pipelint --no-cache, {model.lines:,}-line main.py", t["pipelint"], peers,
                             unit=unit, target=target, ok=ok,
                             note="; ".join(x for x in (growth("pipelint"), "" if fixit_ok else "fixit skipped "
                                                        "(minutes and GBs at this size)") if x)))
        for peer in peers:
            pw = med([r.wall for r in t[peer]])
            ctx.rep.add(time_row("size", f"`{peer}` on the same file", t[peer], unit="s" if pw >= 1 else "ms",
                                 note=growth(peer)))
        rss = [r.rss_mb for r in t["pipelint"]]
        ctx.rep.add(Row("memory", f"peak RSS, {model.lines:,}-line main.py", med(rss), "MB", min(rss), max(rss),
                        ratios={p: (med(rss) / med([r.rss_mb for r in t[p]]),) * 3 for p in peers},
                        samples=len(rss)))
    small = min(per_size)
    for lines in per_size:
        if lines >= 10 * small and lines >= 10_000:
            grow = (med([r.rss_mb for r in per_size[lines]["pipelint"]])
                    - med([r.rss_mb for r in per_size[small]["pipelint"]])) / ((lines - small) / 1000)
            ctx.rep.add(Row("memory", f"RSS growth per 1,000 lines ({small:,} → {lines:,} lines)", grow, "MB",
                            target="≤ 15 MB", ok=grow <= 15))
    grown = [x for x in sorted(per_size) if x > min(per_size)]
    if len(grown) >= 2:
        small = min(per_size)
        per_k = {x: (med([r.cpu for r in per_size[x]["pipelint"]]) - med([r.cpu for r in per_size[small]["pipelint"]]))
                 / ((per_size_lines[x] - per_size_lines[small]) / 1000) * 1000 for x in grown}
        ctx.rep.note("pipelint's CPU per 1,000 lines beyond the smallest file (constant if linear): "
                     + " → ".join(f"{v:.0f} ms at {x:,}" for x, v in per_k.items()))


def bench_diff(ctx: Ctx, runs: int) -> None:
    print("\n## --diff: 5,000-line main.py with ~700 fixes", flush=True)
    model, fixes = generate.fixes_model(ctx.work / "diff-5k", 5000, 700)
    w = model.folder
    t = ctx.runner.alternate({
        "diff": Cmd(ctx.pipelint("--no-cache", "--diff", str(model.folder)), w, capture=True),
        "before": before_cmd(ctx, Cmd(ctx.pipelint("--no-cache", "--diff", str(model.folder)), w)),
        "lint": Cmd(ctx.pipelint("--no-cache", str(model.folder)), w),
    }, runs, warmup=False)
    out = t["diff"][0].stdout
    removed = sum(1 for line in out.splitlines() if line.startswith("-") and "pipelint: ignore" in line
                  and not line.startswith("---"))
    if removed != fixes:
        raise SystemExit(f"--diff removed {removed} of the {fixes} dead suppression comments")
    ctx.results["diff"] = t
    wall = med([r.wall for r in t["diff"]])
    ctx.rep.add(time_row("fixes", f"pipelint --diff, {model.lines:,} lines, {fixes} fixes", t["diff"],
                         {"lint alone": t["lint"], **({"before": t["before"]} if "before" in t else {})},
                         unit="s", target="≤ 3 s", ok=wall <= 3.0))
    if "before" in t:
        ctx.rep.add(time_row("fixes", f"BEFORE: pipelint --diff, {model.lines:,} lines, {fixes} fixes", t["before"],
                             {"lint alone": t["lint"]}, unit="s"))
    ctx.rep.add(time_row("fixes", "pipelint, same file, lint alone", t["lint"], unit="s"))


def bench_monorepo(ctx: Ctx, counts: list[int], runs_for) -> None:
    print("\n## many models: distinct model folders, cold", flush=True)
    for count in counts:
        top = generate.monorepo(ctx.work / f"mono-{count}", count)
        runs = runs_for(count)
        fixit_ok = count <= 10 or (count <= 100 and not ctx.quick)
        t = ctx.runner.alternate({
            "pipelint": Cmd(ctx.pipelint("--no-cache", "--output-format", "concise", str(top)), top, sample_tree=True),
            "before": before_cmd(ctx, Cmd(ctx.pipelint("--no-cache", "--output-format", "concise", str(top)), top)),
            "fixit": Cmd(ctx.fixit(top), top, ok_rc=ANY_RC) if fixit_ok else None,
            "ruff": Cmd(ctx.ruff(top), top, ok_rc=ANY_RC),
        }, runs, warmup=count <= 100)
        ctx.results[f"mono-{count}"] = t
        rate = count / med([r.wall for r in t["pipelint"]])
        cpu_per = med([r.cpu for r in t["pipelint"]]) / count * 1000
        target, ok = ("≥ 80 models/s", rate >= 80) if count == 1000 else ("", None)
        peers = {k: v for k, v in t.items() if k != "pipelint"}
        ctx.rep.add(time_row("models", f"pipelint --no-cache, {count:,} models", t["pipelint"], peers, unit="s",
                             target=target, ok=ok, note=f"{rate:.0f} models/s; {cpu_per:.0f} ms CPU a model"
                             + ("" if fixit_ok else "; fixit skipped (about 0.35 s a file)")))
        for peer in peers:
            ctx.rep.add(time_row("models", f"`{peer}` on the same tree", t[peer], unit="s",
                                 note=f"{count / med([r.wall for r in t[peer]]):.0f} models/s"))
        tree = [r.tree_mb for r in t["pipelint"] if r.tree_mb is not None]
        big = [r.rss_mb for r in t["pipelint"]]
        ctx.rep.add(Row("memory", f"peak memory, {count:,} models: all processes together (PSS, sampled)", med(tree), "MB",
                        min(tree), max(tree), target="≤ 100 MB", ok=med(tree) <= 100,
                        note=f"largest single process {med(big):.0f} MB (RSS)", samples=len(tree)))
        if count == max(counts):
            cache = ctx.work / f"mono-cache-{count}"
            warm = Cmd(ctx.pipelint("--cache-dir", str(cache), "--output-format", "concise", str(top)), top)
            ctx.runner.run(warm)
            tw = ctx.runner.alternate({"warm": warm, "ruff": Cmd(ctx.ruff(top), top, ok_rc=ANY_RC)},
                                      max(3, runs), warmup=False)
            ctx.rep.add(time_row("models", f"pipelint, cached, {count:,} models", tw["warm"], {"ruff": tw["ruff"]},
                                 unit="s"))


def bench_lsp(ctx: Ctx) -> None:
    print("\n## language server: didChange → publishDiagnostics (the installed `pipelint lsp`)", flush=True)
    typical = generate.typical_pipeline(ctx.work / "lsp-typical", seed=5)
    big = generate.big_model(ctx.work / "lsp-5k", 5000)
    script = str(HERE / "lsp_latency.py")
    edits, trials = (60, 2) if ctx.quick else (200, 3)

    def drive(*args: str) -> dict:
        # Run from the scratch folder by the venv's interpreter: the script's folder
        # (benchmarks/) heads sys.path, never the repository root, so the installed pipelint
        # is the one imported, and the server is started as `pipelint lsp` from the venv.
        res = ctx.runner.run(Cmd(ctx.py(script, "--json", *args), ctx.work, ok_rc=(0,), capture=True))
        return json.loads(res.stdout.strip().splitlines()[-1])

    a = drive("--model", str(typical.folder), "--edits", str(edits), "--warmup", "10")
    ctx.results["lsp-typical"] = a
    ctx.rep.add(Row("editor", f"LSP per edit, typical pipeline model ({typical.lines} lines)", a["median_ms"], "ms",
                    a["min_ms"], a["max_ms"], cpu_ms=a.get("server_cpu_per_edit_ms"), target="≤ 30 ms",
                    ok=a["median_ms"] <= 30, note=f"p90 {a['p90_ms']:.0f} ms; lint alone in process "
                                                   f"{a['lint_only_median_ms']:.0f} ms" if a.get("lint_only_median_ms")
                    else f"p90 {a['p90_ms']:.0f} ms", samples=a["edits"]))
    b = drive("--model", str(big.folder), "--edits", "3", "--warmup", "1", "--burst", "5", "--burst-gap-ms", "50",
              "--trials", str(trials), "--no-in-process")
    ctx.results["lsp-5k"] = b
    single = b["median_ms"]
    last = b["burst_median_ms"]
    ctx.rep.add(Row("editor", f"LSP one edit, {big.lines:,}-line main.py", single, "ms", b["min_ms"], b["max_ms"],
                    cpu_ms=b.get("server_cpu_per_edit_ms"), samples=b["edits"]))
    ctx.rep.add(Row("editor", f"LSP last of 5 quick keystrokes (50 ms apart), {big.lines:,}-line main.py", last, "ms",
                    b["burst_min_ms"], b["burst_max_ms"], ratios={"one edit": (last / single,) * 3},
                    target="≤ 1 lint after the last keystroke (≤ 1.0× one edit)", ok=last <= single,
                    note=f"versions published per burst: {b['burst_published']}", samples=trials))


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="fewer runs; no 50,000 lines, no 1,000 models")
    p.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of: {', '.join(SECTIONS)}")
    p.add_argument("--runs", type=int, default=None, help="rounds per small figure (default: 11; --quick: 5)")
    p.add_argument("--runs-big", type=int, default=None,
                   help="rounds for 10,000+ lines, --diff and 1,000 models (default: 3; --quick: 3)")
    p.add_argument("--sizes", default=None, help="main.py sizes in lines (default: 100,1000,10000,50000; "
                                                 "--quick: 100,1000,10000)")
    p.add_argument("--models", default=None, help="monorepo sizes (default: 10,100,1000; --quick: 10,100)")
    p.add_argument("--venv", type=Path, default=None, help=f"the benchmark venv (default: {default_venv()})")
    p.add_argument("--no-install", action="store_true", help="do not reinstall this checkout into the venv")
    p.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the results as JSON")
    p.add_argument("--markdown", type=Path, default=None, metavar="FILE", help="also write the table as Markdown")
    p.add_argument("--keep", action="store_true", help="keep the generated models (their folder is printed)")
    p.add_argument("--before", type=Path, default=None, metavar="CHECKOUT",
                   help="also measure this checkout (e.g. a worktree of main: `git worktree add /tmp/before main`), "
                        "installed in a venv of its own, alternated round by round with this one: every row "
                        "gets its BEFORE twin and an after/before ratio")
    p.add_argument("--before-max-lines", type=int, default=10_000,
                   help="skip the before peer on files larger than this (default: 10000)")
    args = p.parse_args(argv)

    only = [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        p.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    runs = args.runs or (5 if args.quick else 11)
    runs_big = args.runs_big or 3
    sizes = [int(x) for x in (args.sizes or ("100,1000,10000" if args.quick else "100,1000,10000,50000")).split(",")]
    counts = [int(x) for x in (args.models or ("10,100" if args.quick else "10,100,1000")).split(",")]

    def runs_for_size(lines: int) -> int:
        return runs if lines <= 1000 else runs_big

    def runs_for_count(count: int) -> int:
        return runs if count <= 10 else (max(3, runs // 2) if count <= 100 else runs_big)

    venv = (args.venv or default_venv()).absolute()
    prepare_venv(venv, not args.no_install, lambda m: print(m, flush=True))
    work = Path(tempfile.mkdtemp(prefix="pipelint-bench-"))
    rep = Report()
    version = subprocess.run([venv_bin(venv, "pipelint"), "--version"], capture_output=True, text=True,
                             cwd=work).stdout.strip()
    cpu_model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    rep.header = {"version": version, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cores": cores,
                  "cpu": cpu_model, "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
                  "python": platform.python_version(), "venv": str(venv),
                  "mode": f"{'--quick' if args.quick else 'full'}: {runs} rounds (big: {runs_big}); sections "
                          f"{','.join(only)}"}
    print(f"pipelint benchmark: {version}; {cores} cores, load {rep.header['load_before']}; venv {venv}; "
          f"work {work}", flush=True)
    ctx = Ctx(rep, Runner(venv, work), venv, work, args.quick, runs)
    if args.before:
        ctx.before = venv.with_name(venv.name + "-before")
        prepare_venv(ctx.before, not args.no_install, lambda m: print(m, flush=True), args.before.resolve())
        ctx.before_max_lines = args.before_max_lines
        before_version = subprocess.run([venv_bin(ctx.before, "pipelint"), "--version"], capture_output=True,
                                        text=True, cwd=work).stdout.strip()
        rep.header["before"] = f"{before_version} from {args.before.resolve()}"
        print(f"before peer: {rep.header['before']}", flush=True)
    started = time.perf_counter()
    try:
        if "startup" in only:
            bench_startup(ctx)
        if "cold" in only:
            bench_cold(ctx)
        if "warm" in only:
            bench_warm(ctx)
        if "sizes" in only:
            bench_sizes(ctx, sizes, runs_for_size)
        if "diff" in only:
            bench_diff(ctx, runs_big)
        if "monorepo" in only:
            bench_monorepo(ctx, counts, runs_for_count)
        if "lsp" in only:
            bench_lsp(ctx)
    finally:
        if args.keep:
            print(f"\nkept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    rep.header["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    rep.header["duration_s"] = round(time.perf_counter() - started)
    if ctx.results.get("analysed_whole"):
        rep.note("analysed whole (seeded finding found): "
                 + "; ".join(f"{k}: {v}" for k, v in ctx.results["analysed_whole"].items()))
    rep.note("ratio: the median (min–max) of the per-round wall-time ratios (each pair ran back to back), then "
             "the ratio of the median CPU times; verdicts judge the wall-time medians; CPU is user + system time "
             "of the process and its workers")
    table = rep.table()
    print("\n" + table)
    print(f"\n{sum(r.ok is True for r in rep.rows)} targets met, {sum(r.ok is False for r in rep.rows)} missed; "
          f"{rep.header['duration_s']} s")
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")
    if args.json:
        data = rep.as_json()
        data["lsp"] = {k: v for k, v in ctx.results.items() if k.startswith("lsp")}
        args.json.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
