"""Start-up stays lean: commands that parse no Python never import libcst, and nothing but the
language server imports pygls. Behaviour, not timing: what a fresh interpreter imported.
"""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys

import pytest
from conftest import FIXTURES, REPO

LIBCST = "libcst"
LSP_PACKAGES = ("pygls", "lsprotocol")


def imported_modules(*args: str, cwd=None, env=None) -> tuple[set[str], subprocess.CompletedProcess]:
    """The modules a fresh ``python -X importtime -m pipelint ARGS`` imported."""
    env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "pipelint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name)
    return names, proc


def top_packages(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["rule", "PL106"], ["rule", "--all"],
                                  ["rule", "--all", "--output-format", "json"]], ids=" ".join)
def test_commands_that_parse_nothing_do_not_import_libcst_or_pygls(args):
    names, proc = imported_modules(*args)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert names, "no -X importtime output to judge"
    found = top_packages(names)
    assert LIBCST not in found
    assert not found & set(LSP_PACKAGES)


def test_linting_python_does_import_libcst():
    """The control for the tests above: the same probe does see libcst when a file is parsed."""
    names, proc = imported_modules("--no-cache", str(FIXTURES / "examples" / "flux-caption"))
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    assert LIBCST in top_packages(names)
    assert not top_packages(names) & set(LSP_PACKAGES)


def _modules_importing(prefixes: tuple[str, ...], modules: list[str]) -> dict[str, list[str]]:
    """Import each module in turn in a fresh interpreter; report which pulled in ``prefixes``.

    Once a module has pulled one in, later modules can no longer be judged in that process,
    so each offender is reported and the probe restarts after it.
    """
    probe = (
        "import importlib, json, sys\n"
        "prefixes = tuple(json.loads(sys.argv[1]))\n"
        "def loaded():\n"
        "    return sorted(m for m in sys.modules if m.split('.')[0] in prefixes)\n"
        "for name in json.loads(sys.argv[2]):\n"
        "    importlib.import_module(name)\n"
        "    if loaded():\n"
        "        print(json.dumps([name, loaded()]))\n"
        "        break\n"
    )
    import json

    offenders: dict[str, list[str]] = {}
    pending = list(modules)
    while pending:
        proc = subprocess.run([sys.executable, "-c", probe, json.dumps(prefixes), json.dumps(pending)],
                              capture_output=True, text=True, timeout=120, cwd=REPO)
        assert proc.returncode == 0, proc.stderr[-3000:]
        if not proc.stdout.strip():
            break
        name, loaded = json.loads(proc.stdout)
        offenders[name] = loaded
        pending = pending[pending.index(name) + 1:]
    return offenders


def _rule_modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages([str(REPO / "rules")], prefix="pipelint.rules.") if not m.ispkg]


def _engine_modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages([str(REPO / "pipelint")], prefix="pipelint.")
            if m.name not in ("pipelint.__main__", "pipelint.app.lsp")]


def test_every_rule_module_imports_without_libcst():
    modules = _rule_modules()
    assert len(modules) >= 4
    assert _modules_importing((LIBCST,), modules) == {}


def test_engine_modules_import_without_libcst_or_pygls():
    """Engine modules import libcst (and libcst.matchers) only inside the functions that parse;
    only the language server may import pygls."""
    modules = _engine_modules()
    assert "pipelint.engine.runner" in modules and "pipelint.app.cache" in modules
    assert _modules_importing((LIBCST, *LSP_PACKAGES), modules) == {}


WITH_DIAGNOSTICS = str(FIXTURES / "cog_yaml" / "gpu_flow_style")


@pytest.mark.parametrize("fmt", ["concise", "json", "github", "sarif", "junit"])
def test_rich_only_for_the_full_format(fmt):
    names, proc = imported_modules("--no-cache", "--output-format", fmt, WITH_DIAGNOSTICS)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "rich" not in top_packages(names)


def test_full_format_off_a_terminal_draws_frames_without_rich():
    """Off a terminal (or without colours) rich would draw no style: the same text is written
    without it (tests/test_report_plain.py compares the two)."""
    names, proc = imported_modules("--no-cache", WITH_DIAGNOSTICS)
    assert proc.returncode == 1 and "^" in proc.stdout
    assert "rich" not in top_packages(names)


def test_full_format_in_colour_does_import_rich(monkeypatch):
    """The control for the tests above: coloured code frames are drawn with rich."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    names, proc = imported_modules("--no-cache", WITH_DIAGNOSTICS, env={"NO_COLOR": ""})
    assert proc.returncode == 1 and "^" in proc.stdout
    assert "rich" in top_packages(names)


def test_worth_walking_by_mro_equals_issubclass_on_every_libcst_class():
    """calls._worth_walking reads the MRO instead of asking ABCMeta (slow on a first "no"); the
    answers must be issubclass()'s on every class libcst defines, and on the leaves' plain types."""
    import libcst as cst

    from pipelint.analysis import calls

    unworthy = tuple(calls._unworthy())
    kinds = {v for v in vars(cst).values() if isinstance(v, type)} | {str, int, list, tuple, type(None), bytes}
    assert len(kinds) > 150
    for kind in kinds:
        expected = issubclass(kind, cst.CSTNode) and not issubclass(kind, unworthy)
        assert calls._worth_walking(kind) is expected, kind


def test_a_lint_without_misspelt_names_does_not_import_difflib():
    """difflib (and heapq) serve only the "did you mean" of a misspelt name: imported where it is
    asked, not by the rule modules and suppression at import."""
    names, proc = imported_modules("--no-cache", str(FIXTURES / "examples" / "flux-caption"))
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "pipelint.engine.suppression" in names
    assert "difflib" not in names
