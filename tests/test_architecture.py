"""The engine's shape: layers whose imports point down only, no import cycle, no rule named.

Every ``import`` is read from the source with ``ast`` (function-level imports included, since a
cycle hidden inside a function is still a cycle), never by importing the package.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipelint"
LAYERS = ("core", "model", "analysis", "edits", "engine", "app")  # lowest first
RULE_CODE = re.compile(r"\b(?:PL|CG)\d{3}\b")


def module_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def engine_modules() -> dict[str, Path]:
    return {module_of(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, modules: dict[str, Path]) -> list[tuple[int, str]]:
    """(line, module) for every pipelint module ``path`` imports, wherever the statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = module_of(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in modules:
                t = t.rpartition(".")[0]
            if t and t != me and t.startswith("pipelint"):
                found.append((node.lineno, t))
    return found


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_is_in_a_layer():
    stray = [m for m in engine_modules() if m.count(".") >= 1 and layer_of(m) is None
             and m not in ("pipelint.__main__",) and not m.startswith("pipelint.rules")]
    assert stray == []


def test_imports_point_down_only():
    modules = engine_modules()
    upward = []
    for name, path in modules.items():
        mine = layer_of(name)
        if mine is None:
            continue
        for line, target in imports_of(path, modules):
            theirs = layer_of(target)
            if target == "pipelint.rules" or target.startswith("pipelint.rules."):
                theirs = len(LAYERS)  # the rules sit above the engine; only the registry loads them
                if name == "pipelint.engine.registry":
                    continue
            if theirs is not None and theirs > mine:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} {name} -> {target}")
    assert upward == []


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (cycle := visit(m)):
                return cycle
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (cycle := visit(n)):
            return cycle
    return None


def test_no_import_cycle():
    modules = engine_modules()
    graph = {name: {t for _, t in imports_of(path, modules) if t in modules and not t.endswith("__init__")}
             for name, path in modules.items()}
    # A package's __init__ importing nothing, importing a submodule is no edge back to the package.
    for name in graph:
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    assert find_cycle(graph) is None


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def literal_codes(path: Path) -> list[str]:
    """Rule codes written in ``path``'s code and strings (comments are allowed to cite one)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            hits += [f"{node.lineno}: {c}" for c in RULE_CODE.findall(node.value)]
    return hits


def test_engine_names_no_rule():
    named = {str(p.relative_to(PACKAGE.parent)): codes for p in sorted(PACKAGE.rglob("*.py"))
             if (codes := literal_codes(p))}
    assert named == {}


@pytest.mark.parametrize("source,expected", [("x = 'PL003'", ["1: PL003"]), ("# PL003\nx = 1", [])])
def test_literal_codes_detector(tmp_path, source, expected):
    f = tmp_path / "m.py"
    f.write_text(source)
    assert literal_codes(f) == expected
