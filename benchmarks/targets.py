"""What the two targets cost: detection on a pipeline lint, and a cog lint beside a pipeline lint
of the same size (issues 14 and 15).

    python benchmarks/targets.py              # 120 rounds
    python benchmarks/targets.py --rounds 40

Measured in one process with the installed pipelint (the lint itself, not interpreter start-up,
which is the same for both): each round lints every variant once, in an order rotated every round,
so background load hits them alike. Each row is the median CPU time of ``lint()`` with its spread,
and the median of the per-round ratios to its peer. Every variant is checked to be analysed whole
(the seeded finding in the last function of its entry module is reported).

* ``pipeline, auto``      the typical pipeline, target decided by detection (the default);
* ``pipeline, forced``    the same folder with ``target = "pipeline"`` (detection skipped) — the peer;
* ``cog, auto``           the typical ordinary cog model (detection runs and says cog);
* ``pipeline, same size`` a pipeline with as many lines as the cog model — the cog row's peer;
* ``cog, clean``          the same cog model written for current cog (no finding, no fix to build);
* ``pipeline, clean``     a clean pipeline of its size — its peer: linting against linting, where the
                          rows above also weigh ten findings with fixes against one.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402


def _variants(tmp: Path):
    from pipelint.core.settings import Settings

    pipeline = generate.typical_pipeline(tmp / "pipeline")
    cog = generate.typical_cog(tmp / "cog")
    # The pipeline generator grows by helper functions; pick the count whose size is closest.
    sized = min((generate.typical_pipeline(tmp / f"sized{h}", helpers=h) for h in range(0, 6)),
                key=lambda m: abs(m.lines - cog.lines))
    clean_cog = _migrated(generate.typical_cog(tmp / "cog-clean", seeded=False))
    clean_pipeline = min((generate.typical_pipeline(tmp / f"clean{h}", helpers=h, seeded=False) for h in range(0, 6)),
                         key=lambda m: abs(m.lines - clean_cog.lines))
    return {
        "pipeline, auto": (pipeline, Settings()),
        "pipeline, forced": (pipeline, Settings(target="pipeline")),
        "cog, auto": (cog, Settings()),
        "pipeline, same size": (sized, Settings()),
        "cog, clean": (clean_cog, Settings()),
        "pipeline, clean": (clean_pipeline, Settings()),
    }


def _migrated(model):
    """The typical cog model written for current cog: `run:`/BaseRunner/run(), requirements.txt,
    libgl1 — no finding, so the comparison with a clean pipeline is of linting, not of fixes."""
    cog_yaml = model.folder / "cog.yaml"
    text = cog_yaml.read_text(encoding="utf-8")
    head, packages = text.split("  python_packages:\n")
    packages, rest = packages.split("predict:")
    reqs = [line.strip().strip('- "') for line in packages.splitlines() if line.strip()]
    (model.folder / "requirements.txt").write_text("\n".join(reqs) + "\n", encoding="utf-8")
    cog_yaml.write_text(head.replace("libgl1-mesa-glx", "libgl1") + "  python_requirements: requirements.txt\n"
                        + "run:" + rest.replace("Predictor", "Runner"), encoding="utf-8")
    entry = model.folder / "predict.py"
    code = entry.read_text(encoding="utf-8")
    code = code.replace("BasePredictor", "BaseRunner").replace("class Predictor", "class Runner")
    code = code.replace("scheduler: str = Input(default=", 'scheduler: str = Input(description="Scheduler", default=')
    entry.write_text(code.replace("    def predict(", "    def run("), encoding="utf-8")
    return model


def _check_whole(name, model, settings, lint) -> None:
    result = lint(model.folder, settings)
    lines = {d.start.line for d in result.diagnostics if d.path == model.entry}
    module = result.project.module(model.entry)
    if module is None or module.tree is None:
        raise SystemExit(f"{name}: {model.entry} was not parsed")
    # The seeded token is a pipeline finding (PL602); the cog rule set reports it only if it has
    # a hard-coded-credential rule, so a cog variant needs the parse only.
    if name.startswith("pipeline") and model.seeded_line and model.seeded_line not in lines:
        raise SystemExit(f"{name}: the seeded finding at {model.entry}:{model.seeded_line} was not reported "
                         "(the model was not analysed whole)")
    want = "cog" if name.startswith("cog") else "pipeline"
    if result.target.target != want:
        raise SystemExit(f"{name}: linted as {result.target.target}, expected {want}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=120)
    args = ap.parse_args(argv)
    from pipelint.engine.runner import lint

    with tempfile.TemporaryDirectory() as tmp:
        variants = _variants(Path(tmp))
        for name, (model, settings) in variants.items():
            _check_whole(name, model, settings, lint)
        names = list(variants)
        times: dict[str, list[float]] = {n: [] for n in names}
        for r in range(args.rounds):
            order = names[r % len(names):] + names[:r % len(names)]
            for name in order:
                model, settings = variants[name]
                gc.collect()
                t0 = time.process_time()
                lint(model.folder, settings)
                times[name].append(time.process_time() - t0)
        peers = {"pipeline, auto": "pipeline, forced", "cog, auto": "pipeline, same size",
                 "cog, clean": "pipeline, clean"}
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"{args.rounds} rounds, {os.cpu_count()} cores, load {load:.2f}; CPU ms of lint(), median (min–max)")
        print(f"{'variant':22} {'lines':>6} {'median':>8} {'spread':>15}  ratio to peer (min–max)")
        for name in names:
            model, _ = variants[name]
            ms = [t * 1000 for t in times[name]]
            row = f"{name:22} {model.lines:6d} {statistics.median(ms):8.2f} {min(ms):7.2f}–{max(ms):7.2f}"
            if name in peers:
                ratios = [a / b for a, b in zip(times[name], times[peers[name]], strict=True) if b]
                row += (f"  {statistics.median(ratios):.3f} ({min(ratios):.2f}–{max(ratios):.2f})"
                        f" vs {peers[name]!r}")
            print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
