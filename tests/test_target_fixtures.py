"""The two targets over every fixture: an ordinary cog model never gets a pipeline rule or a
pipeline fix, whatever fixture is added later (the test walks fixtures/, it names none)."""

from __future__ import annotations

import pytest
import yaml
from conftest import FIXTURES
from test_fixtures import fixture_dirs, settings_for

from pipelint.engine.fixer import fix_model
from pipelint.engine.runner import lint

# Fixes of CG rules that may change these keys, by what the spec lists (cog-rules.md):
# CG110 adds a missing python_version, CG141 migrates `predict:` to `run:`.
ENTRY_KEYS = ("run", "predict", "train")
MAY_CHANGE = {"python_version": {"CG110"}, "entry": {"CG141", "CG104"}}  # CG104 moves a root `run:` list under build


def cog_fixtures():
    found = []
    for folder in fixture_dirs():
        result = lint(folder, settings_for(folder))
        if result.target is not None and result.target.target == "cog":
            found.append(folder)
    return found


COG_FIXTURES = cog_fixtures()


def _hardware(cog_yaml_text: str | None) -> dict:
    try:
        data = yaml.safe_load(cog_yaml_text or "")
    except yaml.YAMLError:
        return {"unreadable": True}
    if not isinstance(data, dict):
        return {}
    build = data.get("build") if isinstance(data.get("build"), dict) else {}
    return {
        "gpu": build.get("gpu"),
        "cuda": build.get("cuda"),
        "python_version": None if build.get("python_version") is None else str(build.get("python_version")),
        "entry": {k: data[k] for k in ENTRY_KEYS if k in data},
    }


def test_there_are_cog_fixtures():
    assert len(COG_FIXTURES) >= 5


@pytest.mark.parametrize("folder", COG_FIXTURES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_a_cog_model_gets_no_pipeline_rule(folder):
    result = lint(folder, settings_for(folder))
    pipeline_only = [d for d in result.diagnostics if d.code[:3] in {f"PL{n}" for n in range(1, 7)}]
    assert pipeline_only == []


@pytest.mark.parametrize("folder", COG_FIXTURES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixing_a_cog_model_keeps_its_hardware_and_entry(folder):
    outcome = fix_model(folder, settings_for(folder), unsafe=True)
    cog_yaml = (folder / "cog.yaml").resolve()
    change = next((c for path, c in outcome.changes.items() if path.resolve() == cog_yaml), None)
    if change is None:
        return
    before, after = _hardware(change.before), _hardware(change.after)
    applied = {d.code for d in outcome.applied}
    assert not any(d.code.startswith("PL") and d.code[2] in "123456" for d in outcome.applied)
    for key in ("gpu", "cuda", "python_version", "entry"):
        if before.get(key) != after.get(key):
            allowed = MAY_CHANGE.get(key, set())
            assert applied & allowed, f"{key} changed from {before.get(key)!r} to {after.get(key)!r} by {sorted(applied)}"
