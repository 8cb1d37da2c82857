"""Reporters: how diagnostics are printed. Each takes the run's results and a text stream."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

from pipelint.core.diagnostics import Diagnostic, Severity


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def summary_line(diags: list[Diagnostic], fixable: int = 0, hidden_unsafe: int = 0, fixed: int = 0) -> str:
    counts = Counter(d.severity for d in diags)
    parts = []
    for sev, word in ((Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "info")):
        n = counts.get(sev, 0)
        if n:
            parts.append(f"{n} {word}{'' if n == 1 or word == 'info' else 's'}")
    text = "Found " + ", ".join(parts) + "." if parts else "All checks passed!"
    if fixed:
        text = f"Fixed {fixed} issue{'s' if fixed != 1 else ''}. " + (text if parts else "No issues remain.")
    # The hint names the command line that applies the fixes: `--unsafe-fixes` alone fixes nothing.
    extras = []
    if fixable:
        extras.append(f"{fixable} fixable with --fix")
    if hidden_unsafe:
        more = "more " if fixable else ""
        extras.append(f"{hidden_unsafe} {more}fixable with --fix --unsafe-fixes")
    if extras and parts:
        text = text[:-1] + f" ({'; '.join(extras)})."
    return text


def target_line(root: Path, target: dict) -> str:
    """One line saying how a model folder was judged and why (and how to change it)."""
    kind = {"pipeline": "a Replicate pipeline", "cog": "an ordinary cog model"}.get(target["target"], target["target"])
    if target.get("automatic", True):
        return (f"{display_path(root)}: linted as {kind}: {target['reason']} "
                f"(set `target` in pipelint.toml or pass --target to change it)")
    return f"{display_path(root)}: linted as {kind} ({target['reason']})"


def render_json(diags: list[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in diags], indent=2) + "\n"


def fixable(d: Diagnostic, unsafe: bool = False) -> bool:
    """Whether ``--fix`` (with ``--unsafe-fixes`` when ``unsafe``) would apply the diagnostic's fix."""
    return d.fix is not None and (unsafe or d.fix.applicability.value == "safe")


def render_concise(diags: list[Diagnostic], unsafe: bool = False) -> str:
    """One line per diagnostic; ``[*]`` after the code marks what ``--fix`` fixes, as ruff does."""
    return "".join(
        f"{display_path(d.path)}:{d.start.line}:{d.start.column}: {d.code}{' [*]' if fixable(d, unsafe) else ''} "
        f"[{d.severity.value}] {d.message}\n"
        for d in diags
    )


_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold cyan"}


def print_full(console, diags: list[Diagnostic], sources: dict[Path, str | None]) -> None:
    """ruff-style: location, code and message, a code frame with the span underlined, help."""
    from rich.text import Text

    for d in diags:
        head = Text()
        head.append(display_path(d.path), style="bold")
        head.append(f":{d.start.line}:{d.start.column}: ")
        head.append(d.code, style=_SEVERITY_STYLE[d.severity])
        head.append(f" [{d.severity.value}] ")
        head.append(d.message)
        console.print(head, soft_wrap=True)
        text = sources.get(d.path)
        if text is not None:
            _print_frame(console, d, text.splitlines())
        if d.help:
            console.print(Text.assemble(("  = help: ", "bold cyan"), d.help), soft_wrap=True)
        if d.fix:
            label = "fix" if d.fix.applicability.value == "safe" else "unsafe fix"
            console.print(Text.assemble((f"  = {label}: ", "bold green"), d.fix.message), soft_wrap=True)
        console.print(Text.assemble(("  = docs: ", "dim"), (d.url, "dim")), soft_wrap=True)
        console.print()


def _print_frame(console, d: Diagnostic, lines: list[str]) -> None:
    """The line before, the offending line with its span underlined (to its end, if multi-line)."""
    from rich.text import Text

    if not lines or d.start.line > len(lines):
        return
    n = d.start.line
    width = len(str(n))
    gutter = " " * width
    console.print(Text(f"{gutter} |", style="blue"))
    if n > 1 and lines[n - 2].strip():
        console.print(Text.assemble((f"{n - 1:>{width}} | ", "blue"), lines[n - 2].expandtabs(1)), soft_wrap=True)
    line = lines[n - 1].expandtabs(1)
    console.print(Text.assemble((f"{n:>{width}} | ", "blue"), line), soft_wrap=True)
    a = d.start.column - 1
    b = d.end.column - 1 if d.end.line == n else len(line)
    marks = " " * a + "^" * max(1, b - a)
    console.print(Text.assemble((f"{gutter} | ", "blue"), (f"{marks} {d.code}", _SEVERITY_STYLE[d.severity])), soft_wrap=True)
    console.print(Text(f"{gutter} |", style="blue"))


# ---- the full report without rich ------------------------------------------------------------
#
# On a stream that is no terminal, or without colours, rich prints the full report as plain text:
# no style is drawn, nothing printed with ``soft_wrap=True`` is wrapped or cropped, and the other
# lines are laid out at the console's width (200 off a terminal, see ``cli._console``). The
# functions below write that same text without importing rich (~15 ms of a cold run). What
# they cannot lay out as rich would without rich's own tables (a tab, which rich expands by cell
# width; a line that rich would wrap; text that rich would read as markup) makes them answer
# None, and the caller prints with rich. tests/test_report_plain.py compares both, byte for byte.

PLAIN_WIDTH = 200  # the console width cli._console gives rich off a terminal
# The control codes rich's Text drops (rich.control.STRIP_CONTROL_CODES): bell, backspace,
# vertical tab, form feed, carriage return.
_RICH_STRIPPED = dict.fromkeys((7, 8, 11, 12, 13))


class _NeedsRich(Exception):
    """The text holds something only rich itself lays out exactly."""


def plain_console(out, no_color: bool, environ=None) -> bool:
    """Whether rich, given ``cli._console``'s settings for ``out``, would print no style and lay
    lines out at ``PLAIN_WIDTH``: ``out`` is no terminal and rich would not treat it as one."""
    environ = os.environ if environ is None else environ
    if sys.platform == "win32":  # legacy Windows consoles change rich's width by one
        return False
    import builtins

    if hasattr(builtins, "get_ipython"):  # rich draws colours in Jupyter whatever the stream
        return False
    try:
        if out.isatty():
            return False
    except (AttributeError, ValueError, OSError):
        return False
    if no_color or environ.get("NO_COLOR"):
        return True  # cli._console forces rich off the terminal
    # rich's Console.is_terminal for a stream that is not a tty
    tty_compatible = environ.get("TTY_COMPATIBLE", "")
    if tty_compatible in ("0", "1"):
        return tty_compatible == "0"
    force_color = environ.get("FORCE_COLOR")
    if force_color is not None:
        return force_color == ""
    return True


def _soft(text: str) -> str:
    """A line rich prints with ``soft_wrap=True``: as it is, less the control codes it drops."""
    if "\t" in text:
        raise _NeedsRich
    return text.translate(_RICH_STRIPPED)


def _laid_out(text: str, markup: bool = False) -> str:
    """A line rich prints without ``soft_wrap`` (wrapped at the console's width): only one that
    surely fits, is printable ASCII and, for ``markup``, holds no markup."""
    if len(text) > PLAIN_WIDTH or not (text.isascii() and text.isprintable()) or (markup and "[" in text):
        raise _NeedsRich
    return text


def render_full_plain(diags: list[Diagnostic], sources: dict[Path, str | None], after: list[str] = (),
                      summary: str | None = None) -> str | None:
    """The text ``print_full`` prints on a plain console (``plain_console``), then the lines
    ``after`` (printed without markup) and the ``summary`` (printed with markup); None when
    only rich can print it exactly."""
    out: list[str] = []
    put = out.append
    try:
        for d in diags:
            put(_soft(f"{display_path(d.path)}:{d.start.line}:{d.start.column}: {d.code} [{d.severity.value}] "
                      f"{d.message}") + "\n")
            text = sources.get(d.path)
            if text is not None:
                _plain_frame(put, d, text.splitlines())
            if d.help:
                put(_soft(f"  = help: {d.help}") + "\n")
            if d.fix:
                label = "fix" if d.fix.applicability.value == "safe" else "unsafe fix"
                put(_soft(f"  = {label}: {d.fix.message}") + "\n")
            put(_soft(f"  = docs: {d.url}") + "\n")
            put("\n")
        for line in after:
            put(_laid_out(line) + "\n")
        if summary is not None:
            put(_laid_out(summary, markup=True) + "\n")
    except _NeedsRich:
        return None
    return "".join(out)


def _plain_frame(put, d: Diagnostic, lines: list[str]) -> None:
    """``_print_frame`` on a plain console."""
    if not lines or d.start.line > len(lines):
        return
    n = d.start.line
    width = len(str(n))
    gutter = " " * width
    put(_laid_out(f"{gutter} |") + "\n")
    if n > 1 and lines[n - 2].strip():
        put(_soft(f"{n - 1:>{width}} | " + lines[n - 2].expandtabs(1)) + "\n")
    line = lines[n - 1].expandtabs(1)
    put(_soft(f"{n:>{width}} | " + line) + "\n")
    a = d.start.column - 1
    b = d.end.column - 1 if d.end.line == n else len(line)
    marks = " " * a + "^" * max(1, b - a)
    put(_soft(f"{gutter} | {marks} {d.code}") + "\n")
    put(_laid_out(f"{gutter} |") + "\n")
