"""Finds every rule in the ``pipelint.rules`` package (the repository's ``rules/`` folder).

Rules live one per file, in family folders at any depth (``rules/pipeline/pl5_model_calls/
pl501_use_outside_module_scope.py``). Every module is imported; a module must define exactly one
rule class (a ``Rule`` subclass with a ``code``), and its file name must start with that code in
lower case. Modules and packages whose names start with ``_`` are skipped.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from pipelint.engine.rule import Rule


class RuleLayoutError(RuntimeError):
    """A file under rules/ that breaks the one-rule-per-file layout."""


def rule_classes(module) -> list[type[Rule]]:
    """The rule classes ``module`` defines itself (imported ones and code-less bases left out)."""
    return [obj for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, Rule) and obj.code and obj.__module__ == module.__name__]


def rule_modules(package: str = "pipelint.rules") -> list[str]:
    """The dotted names of every module under ``package`` (packages excluded), sorted."""
    pkg = importlib.import_module(package)
    names = []
    for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{pkg.__name__}."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        if not info.ispkg:
            names.append(info.name)
    return sorted(names)


def discover(package: str = "pipelint.rules") -> tuple[type[Rule], ...]:
    """Import every module under ``package`` and return its rules, sorted by code; RuleLayoutError
    when a module defines no rule or several, or is not named by its rule's code."""
    found: dict[str, type[Rule]] = {}
    for name in rule_modules(package):
        mod = importlib.import_module(name)
        classes = rule_classes(mod)
        leaf = name.rpartition(".")[2]
        if len(classes) != 1:
            what = ", ".join(c.__name__ for c in classes) or "none"
            raise RuleLayoutError(f"{name} must define exactly one rule class, and defines {what}")
        rule = classes[0]
        if not leaf.startswith(rule.code.lower() + "_"):
            raise RuleLayoutError(f"{name} defines {rule.code}: its file name must start with "
                                  f"`{rule.code.lower()}_` (e.g. {rule.code.lower()}_{rule.name.replace('-', '_')}.py)")
        if rule.code in found:
            raise RuleLayoutError(f"rule code {rule.code} is defined twice: in {found[rule.code].__module__} and {name}")
        found[rule.code] = rule
    return tuple(found[c] for c in sorted(found))


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    return discover("pipelint.rules")


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
