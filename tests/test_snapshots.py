"""What a user sees, per fixture: the `full` report, byte for byte, in ``tests/snapshots/``.

``expected.txt`` pins codes and start positions; the snapshot pins everything else a user reads
(messages, help, end positions, the rendered frames, the fix hints, the summary), so a change in
wording or a column shows up in review. After a deliberate change, update them all with

    python -m pytest tests/test_snapshots.py --update-snapshots

and review the diff. The default base of the links (``docs: …``) depends on where pipelint is
(see ``pipelint.core.meta``): it is written ``<docs>/``.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest
from conftest import FIXTURES

from pipelint.app.cli import main
from pipelint.core import meta

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def fixture_dirs():
    return sorted(p.parent for p in FIXTURES.glob("**/expected.txt"))


def render(folder) -> str:
    out = io.StringIO()
    old = os.getcwd()
    os.chdir(FIXTURES)  # paths in the report are relative to the fixtures folder
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = main([folder.relative_to(FIXTURES).as_posix(), "--output-format", "full",
                         "--no-color", "--no-cache", "--show-fixes"])
    finally:
        os.chdir(old)
    # The links' default base is where this checkout (or installation) keeps the pages.
    return f"exit code: {code}\n{out.getvalue()}".replace(meta.default_docs_base(), "<docs>/")


@pytest.mark.parametrize("folder", fixture_dirs(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_snapshot(folder, request, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    got = render(folder)
    path = SNAPSHOTS / (folder.relative_to(FIXTURES).as_posix() + ".txt")
    if request.config.getoption("--update-snapshots"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(got.encode("utf-8"))
        return
    assert path.exists(), f"no snapshot {path}: run python -m pytest tests/test_snapshots.py --update-snapshots"
    assert got == path.read_bytes().decode("utf-8")
