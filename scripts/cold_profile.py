#!/usr/bin/env python3
"""Where a cold ``pipelint --no-cache MODEL`` spends its CPU, phase by phase, beside its import floor.

    python scripts/cold_profile.py MODEL [--runs 7] [--python PY] [-- extra pipelint flags]

Each run is a fresh interpreter (``PY``, default: this one; use a venv with a non-editable
install, and ``PYTHONDONTWRITEBYTECODE`` is dropped so that .pyc files are used) that times, with
``time.process_time()``: the interpreter's start, the import floor (``libcst``, ``yaml``,
``packaging.requirements``), pipelint's own modules, then ``cli.main`` split into settings,
discovery, the lint (the target decision, the rules' import and checks, the traversal, suppression)
and the output. Prints the minimum and the median of each phase over the runs (alternate with
another checkout's interpreter by hand to compare: CPU times of one minute only compare with
each other). Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

PROBE = r'''
import sys, time, io, json
T0 = time.process_time()
import libcst, yaml, packaging.requirements
T1 = time.process_time()
import pipelint.app.fastpath, pipelint.app.cli as cli, pipelint.app.batch as batch
import pipelint.engine.registry as registry, pipelint.engine.runner as runner
T2 = time.process_time()
acc = {}
def wrap(mod, name, label):
    f = getattr(mod, name, None)
    if f is None:
        return
    def timed(*a, **k):
        t = time.process_time()
        try:
            return f(*a, **k)
        finally:
            acc[label] = acc.get(label, 0.0) + time.process_time() - t
    setattr(mod, name, timed)
wrap(cli, "_settings_resolver", "settings"); wrap(cli, "_discover", "discovery")
wrap(batch, "lint_one", "lint"); wrap(runner, "decide", "lint: target")
wrap(runner, "load_rules", "lint: import rules"); wrap(runner, "_visit_modules", "lint: traversal")
wrap(runner, "finalize", "lint: suppression"); wrap(cli, "_write_output", "output")
sys.argv = ["pipelint"] + sys.argv[1:]
out, sys.stdout = sys.stdout, io.StringIO()
try:
    pipelint.app.fastpath.main()
except SystemExit:
    pass
sys.stdout = out
T3 = time.process_time()
acc.update({"start": T0, "floor": T1 - T0, "pipelint modules": T2 - T1, "main": T3 - T2, "total": T3})
print(json.dumps({k: v * 1000 for k, v in acc.items()}))
'''

ORDER = ("start", "floor", "pipelint modules", "settings", "discovery", "lint", "lint: target",
         "lint: import rules", "lint: traversal", "lint: suppression", "output", "main", "total")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("extra", nargs="*", help="more pipelint flags (after --)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    rows = []
    for _ in range(args.runs):
        done = subprocess.run([args.python, "-c", PROBE, "--no-cache", *args.extra, args.model],
                              capture_output=True, text=True, env=env)
        if done.returncode != 0 or not done.stdout.strip():
            print(done.stderr, file=sys.stderr)
            return 2
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{'phase':<22} {'min':>8} {'median':>8}  (ms CPU, {args.runs} runs; load {os.getloadavg()[0]:.1f})")
    for key in ORDER:
        values = [r.get(key, 0.0) for r in rows]
        print(f"{key:<22} {min(values):8.1f} {statistics.median(values):8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
