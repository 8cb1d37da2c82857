"""Finds every rule in the ``pipelint.rules`` package (the repository's ``rules/`` folder)."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from pipelint.engine.rule import Rule


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    import pipelint.rules as pkg

    found: dict[str, type[Rule]] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{pkg.__name__}.{info.name}")
        for obj in vars(mod).values():
            if isinstance(obj, type) and issubclass(obj, Rule) and obj.code and obj.__module__ == mod.__name__:
                if obj.code in found and found[obj.code] is not obj:
                    raise RuntimeError(f"rule code {obj.code} defined twice: {found[obj.code]} and {obj}")
                found[obj.code] = obj
    return tuple(found[c] for c in sorted(found))


def resolve_selector(selector: str) -> str:
    """A selector as written (a code, a prefix, ``ALL`` or a rule's name such as ``gpu-enabled``)
    as a code or prefix: names become their codes, the rest is upper-cased. The rules are loaded
    only for what looks like a name."""
    sel = selector.strip()
    if sel.upper() == "ALL":
        return "ALL"
    if "-" in sel or "_" in sel or any(c.isalpha() for c in sel[2:]):
        key = sel.lower().replace("_", "-")
        for r in all_rules():
            if r.name == key:
                return r.code
    return sel.upper()


def rule_by_code(code: str) -> type[Rule] | None:
    for r in all_rules():
        if r.code == code.upper() or r.name == code:
            return r
    return None
