"""Linting many models: the process pool gives the serial run's results, in the same order,
and a worker that dies does not lose any model."""

from __future__ import annotations

import os
import shutil
import sys

import pytest
from conftest import FIXTURES

from pipelint.app import batch
from pipelint.core.settings import Settings

SOURCES = [FIXTURES / "cog_yaml" / "gpu_template_everything_wrong", FIXTURES / "examples" / "flux-caption",
           FIXTURES / "reading" / "syntax_error_keeps_linting_cog_yaml", FIXTURES / "cog_yaml" / "gpu_flow_style"]


def models(tmp_path, count: int):
    out = []
    for i in range(count):
        target = tmp_path / f"m{i:02d}"
        shutil.copytree(SOURCES[i % len(SOURCES)], target, ignore=shutil.ignore_patterns(".pipelint_cache"))
        out.append(target.resolve())
    return out


def summary(results):
    return [[(d.code, d.path.name, d.start.line, d.start.column) for d in r.diagnostics] for r in results]


def test_pool_results_equal_serial_results_in_order(tmp_path):
    folders = models(tmp_path, 6)
    serial = batch.lint_models(folders, lambda m: Settings(), jobs=1)
    pooled = batch.lint_models(folders, lambda m: Settings(), jobs=2)
    assert summary(pooled) == summary(serial)
    assert all(r.diagnostics for r in serial[::4])  # not vacuous: the broken models report
    assert not any(r.internal_errors for r in pooled)
    # code frames need the text of the files diagnostics point into, and only those
    first = pooled[0]
    assert set(first.sources) == {d.path for d in first.diagnostics}


_REAL_LINT_PACKED = batch._lint_packed


def _dies_on_doomed(job):
    """A worker task that kills its process on one model, as a crash in native code would."""
    if str(job[0]) == os.environ.get("PIPELINT_TEST_DOOMED"):
        os._exit(3)
    return _REAL_LINT_PACKED(job)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pool forks only on Linux")
def test_a_dying_worker_loses_no_model(tmp_path, monkeypatch):
    folders = models(tmp_path, 4)
    monkeypatch.setenv("PIPELINT_TEST_DOOMED", str(folders[1]))
    monkeypatch.setattr(batch, "_lint_packed", _dies_on_doomed)  # forked workers inherit it
    results = batch.lint_models(folders, lambda m: Settings(), jobs=2)
    expected = batch.lint_models(folders, lambda m: Settings(), jobs=1)
    assert summary(results) == summary(expected)


def test_tasks_put_the_largest_models_first_and_shrink_to_single_models(tmp_path):
    folders = []
    for i in range(200):
        folder = tmp_path / f"m{i:03d}"
        folder.mkdir()
        (folder / "main.py").write_text("x = 1\n" * (1 + (i * 37) % 101), encoding="utf-8")
        folders.append(folder)
    todo = [(i, f, None, None) for i, f in enumerate(folders)]
    chunks = batch._chunks(todo, 2)
    flat = [job for chunk in chunks for job in chunk]
    assert sorted(flat) == sorted(todo)  # every model once
    sizes = [batch._size(job[1]) for job in flat]
    assert sizes == sorted(sizes, reverse=True)
    lengths = [len(c) for c in chunks]
    assert lengths == sorted(lengths, reverse=True) and lengths[-1] == 1 and max(lengths) <= batch.MAX_CHUNK


def _everything(results):
    """All a report reads from a result, pickled or not: diagnostics (with their fixes),
    suppressions, internal errors, the file texts for code frames, the target decision."""
    return [(r.root, r.diagnostics, [(s.diagnostic, s.kind, s.justification) for s in r.suppressed],
             r.internal_errors, r.sources, r.target) for r in results]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pool forks only on Linux")
def test_pool_gives_the_serial_results_on_every_fixture_model(tmp_path):
    """Every model folder of fixtures/, each under its own configuration: what a worker sends
    back (through pickling) is exactly what a serial lint keeps, in the order of the models."""
    from pipelint.core.settings import SettingsError
    from pipelint.engine.config import settings_for_model

    settings = {}
    for folder in sorted({p.parent.resolve() for p in FIXTURES.rglob("cog.yaml")}):
        try:
            settings[folder] = settings_for_model(folder)
        except SettingsError:  # a broken configuration file stops the run before any lint
            pass
    folders = list(settings)
    assert len(folders) > 100
    serial = batch.lint_models(folders, settings.__getitem__, jobs=1)
    pooled = batch.lint_models(folders, settings.__getitem__, jobs=2)
    assert [r.root for r in pooled] == folders
    assert _everything(pooled) == _everything(serial)
    assert sum(len(r.diagnostics) for r in serial) > 100  # not vacuous
