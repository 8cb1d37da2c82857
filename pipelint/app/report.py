"""Reporters: how diagnostics are printed. Each takes the run's results and a text stream."""

from __future__ import annotations

import json
import os
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
