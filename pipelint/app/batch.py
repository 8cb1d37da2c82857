"""Linting many model folders: cached ones first, the rest serially or across cores.

Output order never depends on scheduling: results are put back in the order the models were
found. Workers return plain picklable data (diagnostics and the texts of the files they point
into, for code frames), never a Project or a libcst tree.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pipelint.core.records import Record

# Below this many models to lint, a process pool is not worth starting. Starting two forked
# workers, running tasks and shutting down costs ~15 ms; a typical model takes ~30-60 ms to
# lint, so on two free cores the pool wins from 2 models on. 4 leaves room for a busy machine,
# where a pool cannot win at all. Measured with `python benchmarks/run.py --only threshold`.
PARALLEL_MIN_MODELS = 4


class ModelResult(Record):
    diagnostics: list
    internal_errors: list[str]
    sources: dict[Path, str | None]
    suppressed: list  # engine.suppression.Suppressed (SARIF reports them)
    target: dict | None  # which kind of model it was judged as, and why (TargetDecision.as_json())
    root: Path | None

    def __init__(
        self,
        diagnostics: list | None = None,
        internal_errors: list[str] | None = None,
        sources: dict[Path, str | None] | None = None,
        suppressed: list | None = None,
        target: dict | None = None,
        root: Path | None = None,
    ) -> None:
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.internal_errors = [] if internal_errors is None else internal_errors
        self.sources = {} if sources is None else sources
        self.suppressed = [] if suppressed is None else suppressed
        self.target = target
        self.root = root


def lint_models(models: list[Path], settings_for, cache=None, jobs: int | None = None) -> list[ModelResult]:
    """One result per model, in order. ``settings_for(model)`` gives each model's settings;
    ``cache`` (a ResultCache) is consulted first and filled with what had to be linted."""
    results: list[ModelResult | None] = [None] * len(models)
    todo = []  # (index, model, settings, snapshot)
    for i, model in enumerate(models):
        settings = settings_for(model)
        snap = cache.snapshot(model, settings) if cache is not None else None
        hit = cache.load(snap) if cache is not None else None
        if hit is not None:
            results[i] = ModelResult(hit.diagnostics, [], hit.sources, hit.suppressed, hit.target, model)
        else:
            todo.append((i, model, settings, snap))
    if not todo:
        return results

    workers = _worker_count(jobs, len(todo))
    cache_dir = cache.directory if cache is not None else None
    if workers <= 1:
        _prepare_for_linting(every_rule=False)  # one process: it imports the rules its models need
        for n, (i, model, settings, snap) in enumerate(todo, 1):
            results[i] = lint_one(model, settings, snap, cache_dir)
            if n < len(todo):  # after the last model, a collection frees nothing anyone needs (0.5 s at 10k lines)
                _collect_between_models()
        return results

    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _prepare_for_linting()
    chunks = _chunks(todo, workers)
    # The smallest model is linted here, before the workers fork: what a lint imports and loads
    # on first use (the analysis modules, the runtime's and cog's data) is then inherited, and
    # its memory shared, instead of being loaded again by every worker (~30-50 ms each).
    i, model, settings, snap = chunks[-1].pop()
    results[i] = _lint_packed((model, settings, snap, cache_dir))
    _freeze_what_is_loaded()
    chunks = [c for c in chunks if c]
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context()) as pool:
            futures = [(chunk, pool.submit(_lint_chunk, [(m, s, snap, cache_dir) for _, m, s, snap in chunk]))
                       for chunk in chunks]
            for chunk, future in futures:
                for (i, *_), result in zip(chunk, future.result(), strict=True):
                    results[i] = result
    except (BrokenProcessPool, OSError):
        # A worker died (killed, out of memory) or none could be started: lint what is left
        # here, as a run with one process would have.
        for i, model, settings, snap in todo:
            if results[i] is None:
                results[i] = lint_one(model, settings, snap, cache_dir)
    return results


def _chunks(todo: list, workers: int) -> list[list]:
    """The models to lint as the pool's tasks: the largest models first, in chunks that shrink
    towards the end (guided scheduling), so that no worker is left alone with a long last task
    while the other cores idle. Sending a task costs well under a millisecond; a model takes
    ~30-60 ms, so a chunk of 16 is ~1 s of work and the last ones hold a single small model."""
    order = sorted(todo, key=lambda job: -_size(job[1]))
    out, at = [], 0
    while at < len(order):
        size = max(1, min(MAX_CHUNK, (len(order) - at) // (workers * 4)))
        out.append(order[at:at + size])
        at += size
    return out


MAX_CHUNK = 16


def _size(model: Path) -> int:
    """What a model's lint costs, roughly: the bytes of the Python files at its top level."""
    total = 0
    try:
        with os.scandir(model) as entries:
            for entry in entries:
                if entry.name.endswith(".py"):
                    try:
                        total += entry.stat().st_size
                    except OSError:
                        pass
    except OSError:
        pass
    return total


def lint_one(model: Path, settings, snap=None, cache_dir: Path | None = None) -> ModelResult:
    """Lint one model, store it in the cache (when given), keep only what the report needs."""
    from pipelint.engine.runner import lint

    result = lint(model, settings)
    if snap is not None and cache_dir is not None:
        from pipelint.app.cache import ResultCache

        ResultCache(cache_dir).store(snap, result)
    wanted = {d.path for d in result.diagnostics}
    sources = {f.path: f.text for f in result.project.files_read if f.path in wanted} if result.project else {}
    target = result.target.as_json() if result.target is not None else None
    return ModelResult(result.diagnostics, result.internal_errors, sources, result.suppressed, target, model)


def _lint_packed(job) -> ModelResult:
    try:
        return lint_one(*job)
    except Exception:  # an engine bug outside any rule's guard: report it, keep the other models
        import traceback

        return ModelResult(internal_errors=[f"{job[0]}: {traceback.format_exc()}"])
    finally:
        _collect_between_models()


def _lint_chunk(jobs: list) -> list[ModelResult]:
    """One task of the pool: a few models, linted one after the other in a worker."""
    return [_lint_packed(job) for job in jobs]


def _collect_between_models() -> None:
    """With the cyclic GC off for the run (cli.main), free one model's cyclic garbage before
    the next: only the youngest generation, which holds just what was allocated since (the
    objects that outlive it are never scanned again), so memory stays flat across many models
    at a fraction of what automatic collections cost."""
    import gc

    if not gc.isenabled():
        gc.collect(0)


def _worker_count(jobs: int | None, pending: int) -> int:
    """``PIPELINT_JOBS=N`` forces N processes (1: never a pool; 0: a pool whatever the count)."""
    if jobs is None and os.environ.get("PIPELINT_JOBS", "").strip().isdigit():
        jobs = int(os.environ["PIPELINT_JOBS"]) or _cores()
    if jobs is not None:
        return max(1, min(jobs, pending))
    if pending < PARALLEL_MIN_MODELS:
        return 1
    return max(1, min(_cores(), pending))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _mp_context():
    import multiprocessing

    # fork: workers inherit the already imported libcst and rules instead of importing them
    # again (~250 ms each). Only on Linux: macOS's system libraries are not fork-safe.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return None


def _freeze_what_is_loaded() -> None:
    """After a lint in the parent: free its garbage, keep what it loaded out of the collector's
    (and the forked workers' copy-on-write) way."""
    import gc

    gc.collect()
    gc.freeze()


def _prepare_for_linting(every_rule: bool = True) -> None:
    """Import what every lint needs up front (with ``every_rule``, every rule: forked workers then
    inherit them), then move it out of the garbage collector's way.

    Importing libcst creates ~100,000 long-lived objects and no garbage: collecting while it
    runs only walks them again and again (~10% of the import, measured with
    benchmarks/run.py). ``gc.freeze()`` then keeps later collections from walking them, and
    forked workers from touching (and so copying) their memory.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        import libcst  # noqa: F401
        import libcst.metadata  # noqa: F401

        if every_rule:
            from pipelint.engine.registry import all_rules

            all_rules()
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
