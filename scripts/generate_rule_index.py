#!/usr/bin/env python3
"""Regenerate pipelint/data/rule-index.json (what choosing a run's rules reads) from the rules.

    python scripts/generate_rule_index.py          # write the table
    python scripts/generate_rule_index.py --check  # exit 1 if it is stale (what the tests do)

The table lets a run import only the rules that will run (see pipelint/engine/registry.py); the
rules themselves stay the truth, so run this after adding, removing or changing a rule's code,
name, targets, cog_versions, severity, files, fixes or hooks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(REPO))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="report a stale table and write nothing")
    args = parser.parse_args()
    from pipelint.engine.registry import build_index

    path = REPO / "pipelint" / "data" / "rule-index.json"
    wanted = build_index()
    try:
        current = path.read_text(encoding="utf-8")
    except OSError:
        current = None
    if args.check:
        if current != wanted:
            print(f"{path.relative_to(REPO)} is {'missing' if current is None else 'out of date'}: "
                  "run python scripts/generate_rule_index.py")
            return 1
        return 0
    if current != wanted:
        path.write_text(wanted, encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
