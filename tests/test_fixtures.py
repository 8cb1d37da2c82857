"""Whole model folders in fixtures/, each with the diagnostics it must produce (expected.txt).

expected.txt holds one `CODE file:line:column` per line (# comments allowed); an empty file
means the model must be clean. The fixture is linted with its default settings (including
any pyproject.toml / pipelint.toml it carries).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from pipelint.core.settings import Settings
from pipelint.engine.runner import lint


def fixture_dirs():
    return sorted(p.parent for p in FIXTURES.glob("**/expected.txt"))


def expected_of(folder: Path) -> list[str]:
    lines = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    return sorted(line.split("#")[0].strip() for line in lines if line.split("#")[0].strip())


def settings_for(folder: Path) -> Settings:
    try:
        from pipelint.engine.config import settings_for_model
    except ImportError:
        return Settings()
    return settings_for_model(folder)


@pytest.mark.parametrize("folder", fixture_dirs(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture(folder):
    result = lint(folder, settings_for(folder))
    assert not result.internal_errors, result.internal_errors
    got = sorted(f"{d.code} {d.path.relative_to(result.root).as_posix()}:{d.start.line}:{d.start.column}"
                 for d in result.diagnostics)
    assert got == expected_of(folder)


def test_there_are_fixtures():
    assert len(fixture_dirs()) >= 5
