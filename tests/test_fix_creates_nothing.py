"""A fix leaves the model right: linting the fixed model with every rule finds no code the
unfixed model did not have (PL315's fix once turned a printed `str` into a logged secret, PL603)."""

from __future__ import annotations

import pytest
from conftest import write_model

from pipelint.core.settings import Settings
from pipelint.engine.fixer import fix_model, write_changes
from pipelint.engine.registry import all_rules
from pipelint.engine.runner import lint


def _cases():
    for rule in all_rules():
        if "pipeline" not in rule.targets:
            continue
        for i, case in enumerate(rule.INVALID):
            if case.fixed is not None:
                yield pytest.param(rule, case, id=f"{rule.code}-invalid-{i}")


@pytest.mark.parametrize("rule,case", list(_cases()))
def test_fix_creates_no_new_finding(rule, case, tmp_path):
    root = write_model(tmp_path / "model", case.model_files()).resolve()
    settings = Settings(target="pipeline")
    before = {d.code for d in lint(root, settings).diagnostics}
    outcome = fix_model(root, Settings(select=[rule.code], target="pipeline"), unsafe=True)
    assert not outcome.refused and not outcome.internal_errors
    assert not write_changes(outcome)
    after = {d.code for d in lint(root, settings).diagnostics}
    new = {c for c in after - before if c != rule.code}
    assert not new, f"the {rule.code} fix created {sorted(new)}"
