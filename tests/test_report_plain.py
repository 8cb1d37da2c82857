"""The full report without rich (``report.render_full_plain``) is, byte for byte, what rich
prints on a console that is no terminal: for every fixture, and for text built to trip it up
(control codes, tabs, newlines, wide characters, markup, lines longer than the console)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from conftest import FIXTURES

from pipelint.app import cli, report
from pipelint.core.diagnostics import Applicability, Diagnostic, Fix, Position, Severity
from pipelint.core.settings import Settings
from pipelint.engine.runner import lint


def rich_text(diags, sources, after=(), summary=None) -> str:
    """What the CLI printed with rich before the plain renderer existed (cli._console, no colour)."""
    out = io.StringIO()
    console = cli._console(True, file=out)
    report.print_full(console, diags, sources)
    for line in after:
        console.print(line, highlight=False, markup=False)
    if summary is not None:
        console.print(summary)
    return out.getvalue()


def check(diags, sources, after=(), summary=None) -> str | None:
    plain = report.render_full_plain(diags, sources, list(after), summary)
    if plain is not None:
        assert plain == rich_text(diags, sources, after, summary)
    return plain


def fixture_dirs():
    return sorted(p.parent for p in FIXTURES.glob("**/expected.txt"))


@pytest.mark.parametrize("folder", fixture_dirs(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_every_fixture_renders_as_rich_does(folder, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    result = lint(folder, Settings())
    sources = {f.path: f.text for f in result.project.files_read}
    after = [report.target_line(result.project.root, result.target.as_json())] if result.diagnostics else []
    summary = report.summary_line(result.diagnostics, fixable=2, hidden_unsafe=1)
    assert check(result.diagnostics, sources, after, summary) is not None


def diag(message="bad", help=None, fix=None, line=2, col=1, end=(2, 4), path=Path("m/main.py")) -> Diagnostic:
    return Diagnostic("PL999", Severity.WARNING, message, path, Position(line, col), Position(*end), help=help,
                      fix=fix, name="x")


SOURCE = "import os\nx = 1\n"


@pytest.mark.parametrize("message", [
    "plain", "with [bold]markup[/bold] and [link=x]", "bell\a back\b vt\v ff\f cr\r end", "two\nlines",
    "ends with a newline\n", "\n", "wide: 日本語の文字 and emoji \U0001f600", "x" * 250, "trailing spaces " + " " * 240,
    ":smile: :red_circle:", "nul\x00 esc\x1b[31m red", "\u200b zero width \u0301 combining",
])
def test_tricky_messages(message):
    fix = Fix("do it \r\n[now]", (), Applicability.UNSAFE)
    d = diag(message, help=f"help {message}", fix=fix)
    assert check([d], {d.path: SOURCE}) is not None


@pytest.mark.parametrize("source", [
    "a\tb\nx\t= 1\n", "é = 1\n日本 = 2\n", "x = 1\r\ny = 2\r\n", "\n" * 12 + "x = 1\n", " " * 300 + "x\n" + "y" * 300 + "   \n",
    "\x0cform = 1\n\x0bv = 2\n",
])
def test_tricky_sources(source):
    lines = source.splitlines()
    for n in range(1, len(lines) + 1):
        d = diag(line=n, col=1, end=(n, 3))
        check([d], {d.path: source})
        d = diag(line=n, col=2, end=(n + 1, 1))  # a span running onto the next line
        check([d], {d.path: source})


def test_big_line_numbers_and_missing_sources():
    d = diag(line=12345, end=(12345, 2))
    assert check([d], {d.path: "x\n" * 12345}) is not None
    assert check([d], {d.path: None}) is not None
    assert check([d], {}) is not None
    assert check([diag(line=50, end=(50, 2))], {Path("m/main.py"): SOURCE}) is not None


def test_what_only_rich_lays_out_falls_back():
    d = diag("a\ttab")
    assert report.render_full_plain([d], {}) is None  # rich expands tabs by cell width
    long = "x" * 250
    assert check([diag()], {}, after=[long]) is None  # rich wraps a target line at the console width
    assert check([diag()], {}, after=["ok"], summary="[bold]x[/bold]") is None  # rich reads it as markup
    assert check([diag()], {}, after=["é"]) is None
    assert check([diag()], {}, after=["a" * 200], summary="Found 1 warning.") is not None


@pytest.mark.parametrize("env,no_color,plain", [
    ({}, False, True), ({"NO_COLOR": "1"}, False, True), ({}, True, True), ({"FORCE_COLOR": "1"}, False, False),
    ({"FORCE_COLOR": ""}, False, True), ({"FORCE_COLOR": "1"}, True, True), ({"TTY_COMPATIBLE": "1"}, False, False),
    ({"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, False, True), ({"TTY_COMPATIBLE": "1"}, True, True),
    ({"TTY_COMPATIBLE": "2", "FORCE_COLOR": "1"}, False, False),
])
def test_plain_console_is_when_rich_draws_no_style(env, no_color, plain):
    from rich.console import Console

    out = io.StringIO()
    assert report.plain_console(out, no_color, env) is plain
    nc = no_color or bool(env.get("NO_COLOR"))
    console = Console(file=out, no_color=nc, highlight=False, emoji=False, force_terminal=None if not nc else False,
                      width=200, _environ=env)
    assert (console.color_system is None) is plain


def test_a_terminal_gets_rich(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert report.plain_console(Tty(), True, {}) is False
    assert report.plain_console(Tty(), False, {}) is False


def test_the_cli_prints_without_importing_rich(tmp_path):
    import subprocess
    import sys

    model = tmp_path / "m"
    model.mkdir()
    (model / "cog.yaml").write_text('build:\n  python_version: "3.13"\npredict: "main.py:run"\n')
    (model / "main.py").write_text("import os\n\ndef run() -> str:\n    return os.environ['X']\n")
    code = ("import sys\nfrom pipelint.app.cli import main\nrc = main(['--no-cache', 'm'])\n"
            "print('RICH' if any(m.startswith('rich') for m in sys.modules) else 'NO-RICH', file=sys.stderr)\n")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "NO-RICH" in done.stderr, done.stderr
    assert "Found" in done.stdout
