"""The rule index (pipelint/data/rule-index.json) is what the rules say, and a run imports only
the rules it runs."""

from __future__ import annotations

import subprocess
import sys

from conftest import FIXTURES, REPO

from pipelint.engine import registry


def test_the_index_is_up_to_date():
    """Regenerated from the rules themselves: `python scripts/generate_rule_index.py` after a change."""
    current = registry.INDEX_PATH.read_text(encoding="utf-8")
    assert current == registry.build_index(), "run python scripts/generate_rule_index.py"
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "generate_rule_index.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_index_rows_are_the_rules():
    rules = registry.all_rules()
    rows = registry.rule_index()
    assert [r.code for r in rows] == [r.code for r in rules]
    for row, rule in zip(rows, rules, strict=True):
        assert registry.load_rules([row]) == [rule]
        for attr in ("name", "targets", "cog_versions", "default_enabled", "files", "fix_availability",
                     "suppressible", "blocks_file"):
            assert getattr(row, attr) == getattr(rule, attr), (rule.code, attr)
        assert row.severity == rule.severity.value
        assert row.module == rule.__module__
        for hook in registry.HOOKS:
            assert row.overrides(hook) == rule.overrides(hook), (rule.code, hook)


def test_a_stale_index_is_not_trusted(monkeypatch):
    registry.rule_index.cache_clear()
    try:
        monkeypatch.setattr(registry, "_modules_on_disk", lambda package="pipelint.rules": ["pipelint.rules.x.new"])
        rows = registry.rule_index()
        assert [r.code for r in rows] == [r.code for r in registry.all_rules()]
    finally:
        registry.rule_index.cache_clear()


def test_modules_on_disk_are_the_modules_discovery_walks():
    assert registry._modules_on_disk() == registry.rule_modules()


def test_names_resolve_without_importing_rules():
    probe = ("import sys\nfrom pipelint.engine.registry import resolve_selector, rule_index\n"
             "assert resolve_selector('gpu-enabled').startswith(('PL', 'CG'))\n"
             "print(sum(m.count('.') >= 4 for m in sys.modules if m.startswith('pipelint.rules.')))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"


def test_a_lint_imports_only_the_rules_of_its_target():
    probe = ("import sys\nfrom pathlib import Path\nfrom pipelint.engine.runner import lint\n"
             "r = lint(Path(sys.argv[1]))\n"
             "rules = [m for m in sys.modules if m.startswith('pipelint.rules.') and m.count('.') >= 4]\n"
             "print(r.target.target, len(rules), sorted({m.split('.')[2] for m in rules}))\n")
    pipeline = FIXTURES / "examples" / "flux-caption"
    done = subprocess.run([sys.executable, "-c", probe, str(pipeline)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    target, count, families = done.stdout.split(" ", 2)
    assert target == "pipeline"
    assert "cog" not in families and "pipeline" in families
    assert 0 < int(count) < len(registry.rule_index())
