"""How to spell ``Optional[T]`` in a given file (shared by the pipeline and cog rules)."""

from __future__ import annotations


def optional_spelling(entry, inner_code: str):
    """How to write ``Optional[inner]`` in this file: (text, import edits)."""
    from pipelint.edits import pyedit

    if entry.types.uses_pep604:
        return f"{inner_code} | None", ()
    plan = pyedit.ensure_import(entry.module, "typing", "Optional")
    return f"{plan.name}[{inner_code}]", plan.edits
