"""Rule documentation: `pipelint rule`, its JSON, and the generated pages in docs/rules/."""

from __future__ import annotations

import json
import sys

from conftest import REPO, run_cli

from pipelint.core.diagnostics import DOCS_BASE_URL
from pipelint.engine.registry import all_rules

sys.path.insert(0, str(REPO / "scripts"))
from generate_rule_docs import stale  # noqa: E402


def test_generated_rule_pages_are_up_to_date():
    problems = stale()
    assert not problems, ("docs/rules/ is stale; run `python scripts/generate_rule_docs.py`:\n"
                          + "\n".join(problems))


def test_every_rule_has_a_page_at_the_url_its_diagnostics_carry():
    assert DOCS_BASE_URL.endswith("/docs/rules/")
    for rule in all_rules():
        page = REPO / "docs" / "rules" / f"{rule.code}.md"
        assert page.is_file(), rule.code
        assert f"| [{rule.code}]({rule.code}.md) |" in (REPO / "docs" / "rules" / "README.md").read_text()


def test_rule_command_shows_summary_severity_fix_docs_and_examples():
    proc = run_cli("rule", "PL106")
    assert proc.returncode == 0
    out = proc.stdout
    rule = next(r for r in all_rules() if r.code == "PL106")
    assert out.startswith("# PL106 gpu-enabled\n")
    assert rule.summary() in out
    assert "| Severity | error |" in out and "Fix is always available (safe: applied by `--fix`)" in out
    assert "## Why is this bad?" in out
    assert "### Reported (1)" in out and "### Not reported (1)" in out
    assert "After `pipelint --fix`:" in out and "gpu: false" in out
    assert out == (REPO / "docs" / "rules" / "PL106.md").read_text(encoding="utf-8")


def test_rule_command_by_name_and_unknown_code():
    assert run_cli("rule", "gpu-enabled").stdout.startswith("# PL106 gpu-enabled")
    proc = run_cli("rule", "PL1O6")
    assert proc.returncode == 2 and "did you mean" in proc.stderr


def test_rule_all_json_has_ruffs_keys_for_every_rule():
    proc = run_cli("rule", "--all", "--output-format", "json")
    data = json.loads(proc.stdout)
    assert [d["code"] for d in data] == [r.code for r in all_rules()]
    for d in data:
        assert {"code", "name", "linter", "summary", "explanation", "fix", "severity", "url", "examples"} <= set(d)
        assert d["url"] == f"{DOCS_BASE_URL}{d['code']}.md"
        assert d["fix"] in ("Fix is not available", "Fix is always available", "Fix is sometimes available")
        assert d["examples"]["invalid"], d["code"]


def test_staleness_check_finds_changed_missing_and_orphaned_pages(tmp_path):
    from pipelint.app.ruledocs import generate

    pages = generate(tmp_path)
    for path, text in pages.items():
        path.write_text(text, encoding="utf-8")
    assert stale(tmp_path) == []
    first, second = list(pages)[:2]
    first.write_text("edited by hand\n")
    second.unlink()
    (tmp_path / "PL999.md").write_text("# a rule that no longer exists\n")
    assert stale(tmp_path) == [f"{first} is out of date", f"{second} is missing",
                               f"{tmp_path / 'PL999.md'} documents no rule"]
