"""Finds every rule in the ``pipelint.rules`` package (the repository's ``rules/`` folder).

Rules live one per file, in family folders at any depth (``rules/pipeline/pl5_model_calls/
pl501_use_outside_module_scope.py``). ``discover()`` imports every module; a module must define
exactly one rule class (a ``Rule`` subclass with a ``code``), and its file name must start with
that code in lower case. Modules and packages whose names start with ``_`` are skipped.

A run needs only some of the rules: those of the model's kind (``targets``) and cog version,
enabled by its selection. What that choice reads about every rule (code, name, module, targets,
cog versions, severity, files, fixes, hooks) is kept in a generated table,
``pipelint/data/rule-index.json`` (``scripts/generate_rule_index.py``; a test regenerates it
from ``discover()`` and compares, so the rules stay the truth). ``rule_index()`` reads it, and
``load_rules()`` imports just the modules of the rules that will run. When the modules on disk
are not those the table lists (a rule added or removed without regenerating), the table is not
trusted and every rule is imported instead.
"""

from __future__ import annotations

import importlib
import json
import os
from functools import lru_cache
from pathlib import Path

from pipelint.engine.rule import Rule

INDEX_FORMAT = 1
INDEX_PATH = Path(__file__).resolve().parent.parent / "data" / "rule-index.json"
# The hooks of Rule a rule may define (``Rule.overrides``), as the index records them.
HOOKS = ("check", "after_traversal", "after_suppression", "for_folder")


class RuleLayoutError(RuntimeError):
    """A file under rules/ that breaks the one-rule-per-file layout."""


def rule_classes(module) -> list[type[Rule]]:
    """The rule classes ``module`` defines itself (imported ones and code-less bases left out)."""
    return [obj for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, Rule) and obj.code and obj.__module__ == module.__name__]


def rule_modules(package: str = "pipelint.rules") -> list[str]:
    """The dotted names of every module under ``package`` (packages excluded), sorted."""
    import pkgutil  # (and importlib.util): only when every rule is imported

    pkg = importlib.import_module(package)
    names = []
    for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{pkg.__name__}."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        if not info.ispkg:
            names.append(info.name)
    return sorted(names)


def _rule_of(name: str) -> type[Rule]:
    """Import module ``name`` and return its one rule; RuleLayoutError when it breaks the layout."""
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
    return rule


def discover(package: str = "pipelint.rules") -> tuple[type[Rule], ...]:
    """Import every module under ``package`` and return its rules, sorted by code; RuleLayoutError
    when a module defines no rule or several, or is not named by its rule's code."""
    found: dict[str, type[Rule]] = {}
    for name in rule_modules(package):
        rule = _rule_of(name)
        if rule.code in found:
            raise RuleLayoutError(f"rule code {rule.code} is defined twice: in {found[rule.code].__module__} and {name}")
        found[rule.code] = rule
    return tuple(found[c] for c in sorted(found))


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    return discover("pipelint.rules")


# ---- the rule index: what choosing the rules of a run needs, without importing them ----------


class RuleEntry:
    """One row of the rule index: a rule as far as choosing it goes (the attributes of ``Rule``
    that selection, target and version filtering, suppression and the CLI read), and the module
    to import when it runs (``load()``)."""

    __slots__ = ("code", "name", "module", "targets", "cog_versions", "severity", "default_enabled", "files",
                 "fix_availability", "suppressible", "blocks_file", "visitor", "hooks")

    def __init__(self, row: dict):
        self.code: str = row["code"]
        self.name: str = row["name"]
        self.module: str = row["module"]
        self.targets: tuple[str, ...] = tuple(row["targets"])
        self.cog_versions: str = row["cog_versions"]
        self.severity: str = row["severity"]
        self.default_enabled: bool = row["default_enabled"]
        self.files: tuple[str, ...] = tuple(row["files"])
        self.fix_availability: str | None = row["fix_availability"]
        self.suppressible: bool = row["suppressible"]
        self.blocks_file: bool = row["blocks_file"]
        self.visitor: bool = row["visitor"]
        self.hooks: tuple[str, ...] = tuple(row["hooks"])

    def overrides(self, hook: str) -> bool:
        return hook in self.hooks

    def load(self) -> type[Rule]:
        return load_rules([self])[0]

    def __repr__(self) -> str:
        return f"RuleEntry({self.code} {self.name})"


def index_row(rule: type[Rule]) -> dict:
    """A rule's row of the index, read from the rule class itself."""
    return {
        "code": rule.code,
        "name": rule.name,
        "module": rule.__module__,
        "targets": list(rule.targets),
        "cog_versions": rule.cog_versions,
        "severity": rule.severity.value,
        "default_enabled": rule.default_enabled,
        "files": list(rule.files),
        "fix_availability": rule.fix_availability,
        "suppressible": rule.suppressible,
        "blocks_file": rule.blocks_file,
        "visitor": rule.is_visitor(),
        "hooks": [h for h in HOOKS if rule.overrides(h)],
    }


def build_index(rules=None) -> str:
    """The text of ``pipelint/data/rule-index.json`` for ``rules`` (default: every rule)."""
    rows = [index_row(r) for r in (all_rules() if rules is None else rules)]
    body = ",\n".join("    " + json.dumps(row, separators=(", ", ": ")) for row in rows)
    return ('{\n  "format": %d,\n  "generated_by": "scripts/generate_rule_index.py",\n  "rules": [\n%s\n  ]\n}\n'
            % (INDEX_FORMAT, body))


def _modules_on_disk(package: str = "pipelint.rules") -> list[str] | None:
    """The rule modules under ``package``, found by listing its folders (nothing imported but the
    package itself), as ``rule_modules`` finds them; None when it lives somewhere unlistable."""
    pkg = importlib.import_module(package)
    names: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
        for e in entries:
            if e.name.startswith("_"):
                continue
            if e.is_dir():
                if e.name.isidentifier() and os.path.isfile(os.path.join(e.path, "__init__.py")):
                    walk(e.path, f"{prefix}{e.name}.")
            elif e.name.endswith(".py") and e.name[:-3].isidentifier():
                names.append(prefix + e.name[:-3])

    try:
        for folder in pkg.__path__:
            walk(folder, f"{pkg.__name__}.")
    except OSError:
        return None
    return sorted(set(names))


@lru_cache(maxsize=1)
def rule_index() -> tuple[RuleEntry, ...]:
    """Every rule's index row, sorted by code: from the generated table when it lists exactly the
    rule modules on disk, else from the rules themselves (every module imported)."""
    try:
        data = json.loads(INDEX_PATH.read_text(encoding="utf-8"))
        if data.get("format") == INDEX_FORMAT:
            entries = tuple(RuleEntry(row) for row in data["rules"])
            if sorted(e.module for e in entries) == _modules_on_disk():
                return entries
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return tuple(RuleEntry(index_row(r)) for r in all_rules())


def load_rules(entries) -> list[type[Rule]]:
    """The rule classes of ``entries`` (index rows or rule classes), in their order, importing
    only their modules."""
    out = []
    for e in entries:
        if isinstance(e, type):
            out.append(e)
            continue
        rule = _rule_of(e.module)
        if rule.code != e.code:
            raise RuleLayoutError(f"{e.module} defines {rule.code}, the rule index says {e.code}: "
                                  f"run scripts/generate_rule_index.py")
        out.append(rule)
    return out


def entry_by_code(code: str) -> RuleEntry | None:
    """The index row of the rule with this code (any case) or name."""
    for r in rule_index():
        if r.code == code.upper() or r.name == code:
            return r
    return None


def resolve_selector(selector: str) -> str:
    """A selector as written (a code, a prefix, ``ALL`` or a rule's name such as ``gpu-enabled``)
    as a code or prefix: names become their codes, the rest is upper-cased. Nothing is imported:
    the names come from the rule index."""
    sel = selector.strip()
    if sel.upper() == "ALL":
        return "ALL"
    if "-" in sel or "_" in sel or any(c.isalpha() for c in sel[2:]):
        key = sel.lower().replace("_", "-")
        for r in rule_index():
            if r.name == key:
                return r.code
    return sel.upper()


def rule_by_code(code: str) -> type[Rule] | None:
    """The rule class with this code or name, importing only its module."""
    entry = entry_by_code(code)
    return entry.load() if entry is not None else None
