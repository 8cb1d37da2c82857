"""A fix that creates the requirements file also names it in cog.yaml (`build.python_requirements`):
cog reads no requirements file it is not told of, so a file created alone would never be installed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, write_model

from pipelint.core.settings import Settings
from pipelint.engine.fixer import fix_model, write_changes
from pipelint.engine.registry import all_rules
from pipelint.model.project import Project


def _fix_cases():
    for rule in all_rules():
        for i, case in enumerate(rule.INVALID):
            if case.fixed is not None:
                yield pytest.param(rule, case, id=f"{rule.code}-invalid-{i}")


def _named_requirements(root: Path):
    data = yaml.safe_load((root / "cog.yaml").read_text(encoding="utf-8")) or {}
    build = data.get("build") if isinstance(data, dict) else None
    return build.get("python_requirements") if isinstance(build, dict) else None


def _check(root: Path, settings: Settings) -> bool:
    """Fix ``root``; when that created the requirements file, cog.yaml must name it. True when it did."""
    rel = Project(root).requirements_rel
    if (root / rel).exists() or not (root / "cog.yaml").exists():
        return False
    outcome = fix_model(root, settings, unsafe=True)
    assert not outcome.refused and not outcome.internal_errors
    assert not write_changes(outcome)
    if not (root / rel).exists():
        return False
    assert _named_requirements(root) == rel, (f"the fix created {rel} but cog.yaml does not name it:\n"
                                              + (root / "cog.yaml").read_text(encoding="utf-8"))
    return True


@pytest.mark.parametrize("rule,case", list(_fix_cases()))
def test_rule_fix_that_creates_requirements_names_it(rule, case, tmp_path):
    root = write_model(tmp_path / "model", case.model_files()).resolve()
    _check(root, Settings(select=[rule.code], target=rule.targets[0], cog_version=case.cog_version))


def _fixtures_without_requirements():
    for expected in sorted(FIXTURES.rglob("expected.txt")):
        folder = expected.parent
        if (folder / "cog.yaml").exists() and not (folder / "requirements.txt").exists():
            yield pytest.param(folder, id=folder.relative_to(FIXTURES).as_posix())


@pytest.mark.parametrize("folder", list(_fixtures_without_requirements()))
def test_fixture_fix_that_creates_requirements_names_it(folder, tmp_path):
    root = tmp_path / "model"
    shutil.copytree(folder, root, symlinks=True)
    _check(root.resolve(), Settings())


def test_some_fix_creates_requirements():
    """The check above is not vacuous: PL109 and PL204 examples create the file."""
    import tempfile

    created = set()
    for rule in all_rules():
        for case in rule.INVALID:
            if case.fixed is None or case.model_files().get("requirements.txt") is not None:
                continue
            with tempfile.TemporaryDirectory() as d:
                root = write_model(Path(d) / "model", case.model_files()).resolve()
                if _check(root, Settings(select=[rule.code], target=rule.targets[0], cog_version=case.cog_version)):
                    created.add(rule.code)
    assert {"PL109", "PL204"} <= created
