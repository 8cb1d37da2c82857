"""The rules/ layout: one rule per file, named by its code, in family folders; the registry finds them."""

from __future__ import annotations

import ast
import importlib
import re
import sys
from pathlib import Path

import pytest
from conftest import REPO

from pipelint.engine.registry import RuleLayoutError, all_rules, discover, rule_by_code

RULES = REPO / "rules"


def _rule_files():
    return sorted(p for p in RULES.rglob("*.py") if p.name != "__init__.py" and "__pycache__" not in p.parts)


def test_every_rule_file_defines_exactly_one_rule_named_by_its_code():
    by_file = {}
    for rule in all_rules():
        by_file.setdefault(sys.modules[rule.__module__].__file__, []).append(rule)
    files = _rule_files()
    assert len(files) == len(all_rules()) == len(by_file)
    for path in files:
        rules = by_file.get(str(path), [])
        assert len(rules) == 1, f"{path} defines {rules}"
        rule = rules[0]
        assert path.name == f"{rule.code.lower()}_{rule.name.replace('-', '_')}.py", path


def test_rule_files_sit_in_the_folder_of_their_target_and_family():
    for rule in all_rules():
        path = sys.modules[rule.__module__].__file__
        rel = Path(path).relative_to(RULES).as_posix()
        # PL0 and PL9 judge every kind of model folder: they live in rules/common/.
        target = "common" if set(rule.targets) == {"pipeline", "cog"} else {"PL": "pipeline", "CG": "cog"}[rule.code[:2]]
        assert rule.targets == (("pipeline", "cog") if target == "common" else (target,)), rule.code
        family = rule.code[:3].lower()
        assert re.fullmatch(rf"{target}/{family}_[a-z0-9_]+/{rule.code.lower()}_\w+\.py", rel), rel


def test_no_rule_file_imports_another_rule_file():
    """Helpers shared by rules live in the analysis modules of pipelint, not in a rule's file."""
    for path in _rule_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("pipelint.rules"), f"{path}: imports {node.module}"
                assert node.level == 0, f"{path}: relative import"
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("pipelint.rules") for a in node.names), path


def test_every_rules_folder_is_a_package_that_ships():
    """setup.py finds the packages; every folder must be one, or its rules stay out of the wheel."""
    from setuptools import find_packages

    listed = {"pipelint.rules", *(f"pipelint.rules.{p}" for p in find_packages(str(RULES)))}
    for folder in [RULES, *sorted(p for p in RULES.rglob("*") if p.is_dir() and p.name != "__pycache__")]:
        assert (folder / "__init__.py").is_file(), f"{folder} has no __init__.py"
        dotted = ".".join(["pipelint", "rules", *folder.relative_to(RULES).parts])
        assert dotted in listed, f"{dotted} is not found as a package by setup.py"


def test_the_cache_stamp_covers_every_rule_file():
    """A cached result must not survive an edit of any rule, however deep its folder."""
    from pipelint.app.cache import code_stamp

    stamped = {line.rsplit(":", 2)[0] for line in code_stamp().splitlines()}
    missing = [p for p in _rule_files() if str(p.resolve()) not in stamped and str(p) not in stamped]
    assert not missing, missing


def test_rule_by_code_and_name():
    assert rule_by_code("PL501").name == "use-outside-module-scope"
    assert rule_by_code("pl501") is rule_by_code("use-outside-module-scope")
    assert rule_by_code("PL999") is None


RULE = '''from pipelint.engine.rule import Rule


class {cls}(Rule):
    """A rule."""

    code = "{code}"
    name = "{name}"
'''


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A real rules package on disk, importable as ``fake_rules``."""
    root = tmp_path / "fake_rules"
    (root / "family").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "family" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield root
    for name in [m for m in sys.modules if m == "fake_rules" or m.startswith("fake_rules.")]:
        del sys.modules[name]
    importlib.invalidate_caches()


def test_discover_walks_family_folders(package):
    (package / "family" / "xx101_first.py").write_text(RULE.format(cls="First", code="XX101", name="first"))
    (package / "family" / "xx102_second.py").write_text(RULE.format(cls="Second", code="XX102", name="second"))
    (package / "family" / "_helpers.py").write_text("x = 1\n")
    assert [r.code for r in discover("fake_rules")] == ["XX101", "XX102"]


def test_discover_refuses_two_rules_in_one_file(package):
    (package / "family" / "xx101_two.py").write_text(
        RULE.format(cls="A", code="XX101", name="a") + "\n\n" + RULE.format(cls="B", code="XX102", name="b").split("\n", 2)[2])
    with pytest.raises(RuleLayoutError, match="exactly one rule class, and defines A, B"):
        discover("fake_rules")


def test_discover_refuses_a_file_not_named_by_its_code(package):
    (package / "family" / "xx102_first.py").write_text(RULE.format(cls="First", code="XX101", name="first"))
    with pytest.raises(RuleLayoutError, match="must start with `xx101_`"):
        discover("fake_rules")


def test_discover_refuses_a_file_without_a_rule(package):
    (package / "family" / "helpers.py").write_text("x = 1\n")
    with pytest.raises(RuleLayoutError, match="defines none"):
        discover("fake_rules")


def test_rule_names_are_unique_across_targets():
    # `--select python-version` must mean one rule, whichever target it belongs to.
    names: dict[str, str] = {}
    for rule in all_rules():
        assert rule.name not in names, f"{rule.code} and {names[rule.name]} are both named {rule.name!r}"
        names[rule.name] = rule.code
