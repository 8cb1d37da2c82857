#!/usr/bin/env python3
"""Print what rules report on their own INVALID cases, as ``Case(expect=[...])`` entries.

    python scripts/case_expectations.py PL501 [PL502 ...]   # or --all

For writing a new case, or checking an old one: read each entry (does it start and end where a
user would want the squiggle? does the message say the right thing?) before pasting it into the
rule's file; the test suite then holds the rule to it. The text covered by each report is shown
in a comment.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))


def reports(rule, case, tmp: Path) -> list[tuple]:
    """(file, line, column, end line, end column, message, covered text) of each report of ``rule``."""
    from conftest import write_model

    from pipelint.core.settings import Settings
    from pipelint.engine.runner import lint

    root = write_model(tmp, case.model_files()).resolve()
    result = lint(root, Settings(select=[rule.code], target=rule.targets[0], cog_version=case.cog_version))
    out = []
    for d in sorted(result.diagnostics, key=lambda d: (str(d.path), d.start.line, d.start.column,
                                                       d.end.line, d.end.column)):
        if d.code != rule.code:
            continue
        try:
            lines = d.path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True) or [""]
        except OSError:
            lines = [""]
        covered = _covered(lines, d.start, d.end)
        out.append((d.path.relative_to(root).as_posix(), d.start.line, d.start.column, d.end.line, d.end.column,
                    d.message, covered))
    return out


def _covered(lines, start, end) -> str:
    if start.line > len(lines):
        return ""
    if start.line == end.line:
        return lines[start.line - 1][start.column - 1:end.column - 1]
    tail = lines[end.line - 1][:end.column - 1] if end.line <= len(lines) else ""
    return lines[start.line - 1][start.column - 1:] + "…" + tail


def entry(report) -> str:
    file, line, column, end_line, end_column, message, _ = report
    prefix = "" if file == "main.py" else f"{file!r}, "
    return f"({prefix}{line}, {column}, {end_line}, {end_column}, {message!r})"


def main(argv=None) -> int:
    from pipelint.engine.registry import all_rules, rule_by_code

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("codes", nargs="*")
    parser.add_argument("--all", action="store_true")
    args = parser.parse_args(argv)
    rules = list(all_rules()) if args.all else [rule_by_code(c) for c in args.codes]
    if not rules or None in rules:
        parser.error("name rule codes, or --all")
    with tempfile.TemporaryDirectory() as tmp:
        for rule in rules:
            print(f"# {rule.code} {rule.name}")
            for i, case in enumerate(rule.INVALID):
                print(f"INVALID[{i}] expect=[")
                for report in reports(rule, case, Path(tmp) / f"{rule.code}-{i}"):
                    print(f"    {entry(report)},  # {report[-1]!r}")
                print("]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
