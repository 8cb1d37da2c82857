from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"


def write_model(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Create a model folder from {relative path: content}; None means: no such file."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        if content is None:
            continue
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_bytes(content.encode("utf-8"))
    return root


@pytest.fixture
def make_model(tmp_path):
    def make(files, name="model"):
        return write_model(tmp_path / name, files)

    return make


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None):
    import os
    import subprocess

    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "pipelint", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def cli(capsys, monkeypatch):
    """The CLI run in this process (a subprocess costs ~0.5 s): a CompletedProcess with its
    exit code and what it printed."""
    import subprocess

    from pipelint.app.cli import main

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        monkeypatch.setenv("NO_COLOR", "1")
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out, err)

    return run


def pytest_addoption(parser):
    parser.addoption("--update-snapshots", action="store_true",
                     help="rewrite each fixture's snapshot (tests/snapshots/) from pipelint's current output")


# Markers of tests that need what an offline `python -m pytest` must not: the network (PyPI),
# virtualenvs of the runtime's real packages, a real editor. Opt in with `-m NAME` (.ci/run does).
OPT_IN = ("network", "differential", "editor")


def pytest_collection_modifyitems(config, items):
    expr = config.getoption("markexpr") or ""
    chosen = {m for m in OPT_IN if m in expr and f"not {m}" not in expr}
    for item in items:
        needs = [m for m in OPT_IN if item.get_closest_marker(m) is not None]
        missing = [m for m in needs if m not in chosen]
        if missing:
            item.add_marker(pytest.mark.skip(reason=f"opt-in ({', '.join(missing)}): python -m pytest -m {missing[0]}"))
