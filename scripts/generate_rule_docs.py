#!/usr/bin/env python3
"""Regenerate docs/rules/ (one page per rule and the README index) and the rule index
(pipelint/data/rule-index.json, see scripts/generate_rule_index.py) from the rules themselves.

    python scripts/generate_rule_docs.py          # write the pages
    python scripts/generate_rule_docs.py --check  # exit 1 if any page is stale (what the tests do)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "rules"


def stale(docs_dir: Path = DOCS) -> list[str]:
    """Generated files whose content differs, is missing, or belongs to no rule any more."""
    from pipelint.app.ruledocs import generate

    wanted = generate(docs_dir)
    problems = []
    for path, text in wanted.items():
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != text:
            problems.append(f"{_shown(path)} is {'missing' if current is None else 'out of date'}")
    if docs_dir.is_dir():
        for path in sorted(docs_dir.glob("*.md")):
            if path not in wanted:
                problems.append(f"{_shown(path)} documents no rule")
    return problems


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


def main() -> int:
    sys.path.insert(0, str(REPO))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="report stale pages and write nothing")
    args = parser.parse_args()
    if args.check:
        problems = stale() + _stale_index()
        for p in problems:
            print(p)
        return 1 if problems else 0
    from pipelint.app.ruledocs import generate

    DOCS.mkdir(parents=True, exist_ok=True)
    wanted = generate(DOCS)
    for path in DOCS.glob("*.md"):
        if path not in wanted:
            path.unlink()
    for path, text in wanted.items():
        path.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {len(wanted)} files to {DOCS.relative_to(REPO)}/")
    # The rule index (what choosing a run's rules reads) is regenerated with the pages: both
    # follow from the rules (scripts/generate_rule_index.py writes it alone).
    from pipelint.engine.registry import INDEX_PATH, build_index

    index = build_index()
    if not INDEX_PATH.is_file() or INDEX_PATH.read_text(encoding="utf-8") != index:
        INDEX_PATH.write_text(index, encoding="utf-8", newline="\n")
        print(f"wrote {_shown(INDEX_PATH)}")
    return 0


def _stale_index() -> list[str]:
    from pipelint.engine.registry import INDEX_PATH, build_index

    current = INDEX_PATH.read_text(encoding="utf-8") if INDEX_PATH.is_file() else None
    if current == build_index():
        return []
    return [f"{_shown(INDEX_PATH)} is {'missing' if current is None else 'out of date'}"]


if __name__ == "__main__":
    raise SystemExit(main())
