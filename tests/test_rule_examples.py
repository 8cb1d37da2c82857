"""Every rule's own VALID and INVALID examples, run as real model folders."""

from __future__ import annotations

import pytest
from conftest import write_model

from pipelint.core.settings import Settings
from pipelint.engine.fixer import fix_model
from pipelint.engine.registry import all_rules
from pipelint.engine.runner import lint


def _cases(kind):
    for rule in all_rules():
        for i, case in enumerate(getattr(rule, kind)):
            yield pytest.param(rule, case, id=f"{rule.code}-{kind.lower()}-{i}")


def _reports(diags, root):
    """(file, line, column, end line, end column, message) of each diagnostic, sorted by position."""
    return sorted((d.path.relative_to(root).as_posix(), d.start.line, d.start.column, d.end.line, d.end.column,
                   d.message) for d in diags)


def _unmatched(expected, reports) -> list[str]:
    """What differs between a Case's expectations and the reports, in words (empty: they match)."""
    problems = []
    starts = [(r[0], r[1], r[2]) for r in reports]
    if [(e.file, e.line, e.column) for e in expected] != starts:
        return [f"expected reports starting at {[(e.file, e.line, e.column) for e in expected]}, got {starts}"]
    for e, (file, line, column, end_line, end_column, message) in zip(expected, reports, strict=True):
        where = f"{file}:{line}:{column}"
        if e.end_line is not None and (e.end_line, e.end_column) != (end_line, end_column):
            problems.append(f"{where}: expected to end at {e.end_line}:{e.end_column}, ends at {end_line}:{end_column}")
        if e.message is not None and e.message not in message:
            problems.append(f"{where}: expected the message to contain {e.message!r}, it is {message!r}")
    return problems


@pytest.mark.parametrize("rule,case", list(_cases("VALID")))
def test_valid_example_is_clean(rule, case, tmp_path):
    root = write_model(tmp_path / "model", case.model_files()).resolve()
    result = lint(root, Settings(select=[rule.code], target=rule.targets[0], cog_version=case.cog_version))
    assert not result.internal_errors
    assert [d for d in result.diagnostics if d.code == rule.code] == []


@pytest.mark.parametrize("rule,case", list(_cases("INVALID")))
def test_invalid_example_is_reported(rule, case, tmp_path):
    root = write_model(tmp_path / "model", case.model_files()).resolve()
    result = lint(root, Settings(select=[rule.code], target=rule.targets[0], cog_version=case.cog_version))
    assert not result.internal_errors
    found = [d for d in result.diagnostics if d.code == rule.code]
    assert found, f"{rule.code} did not fire on: {case.files!r}"
    for d in found:
        assert d.severity == rule.severity or d.severity in rule.also_severities or d.code in Settings().severity
        assert d.message and d.start.line >= 1 and d.start.column >= 1
        assert (d.end.line, d.end.column) >= (d.start.line, d.start.column)
    expected = case.expectations()
    if expected is not None:
        problems = _unmatched(expected, _reports(found, root))
        assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rule,case", [p for p in _cases("INVALID") if p.values[1].fixed is not None])
def test_fix_gives_expected_text(rule, case, tmp_path):
    root = write_model(tmp_path / "model", case.model_files()).resolve()
    outcome = fix_model(root, Settings(select=[rule.code], target=rule.targets[0], cog_version=case.cog_version), unsafe=True)
    assert not outcome.refused and not outcome.internal_errors
    for rel, text in case.expected_fixed().items():
        change = outcome.changes.get((root / rel).resolve())
        assert change is not None, f"{rel} was not changed"
        assert change.after == text
    assert not [d for d in outcome.remaining if d.code == rule.code and d.fix is not None]


def test_every_invalid_case_says_where_reports_end_and_what_they_say():
    """Each expected report gives its end and a part of its message, not only where it starts."""
    incomplete = [f"{rule.code} INVALID[{i}]: {e}" for rule in all_rules() for i, case in enumerate(rule.INVALID)
                  for e in (case.expectations() or [None]) if e is None or not e.complete]
    assert not incomplete, "\n".join(incomplete)


def test_expectations_are_checked_on_end_and_message():
    """The comparison itself: a wrong end or a message part that is not in the message is a problem."""
    from pipelint.engine.rule import Expect

    reports = [("main.py", 1, 8, 1, 13, "`torch` is not installed in the pipelines runtime")]
    assert _unmatched([Expect.of((1, 8, 1, 13, "`torch` is not installed"))], reports) == []
    assert _unmatched([Expect.of((1, 8))], reports) == []
    assert _unmatched([Expect.of((1, 8, 1, 12, "`torch`"))], reports) == ["main.py:1:8: expected to end at 1:12, ends at 1:13"]
    assert _unmatched([Expect.of(("main.py", 1, 8, 1, 13, "`numpy`"))], reports)[0].startswith(
        "main.py:1:8: expected the message to contain '`numpy`'")
    assert _unmatched([Expect.of((2, 1, 2, 5, "x"))], reports)[0].startswith("expected reports starting at")
    with pytest.raises(ValueError):
        Expect.of((1, 8, "message without an end"))


def test_every_rule_is_documented_and_exemplified():
    for rule in all_rules():
        docs = rule.docs()
        for section in ("## What it does", "## Why is this bad?", "## Example"):
            assert section in docs, f"{rule.code} docs lack {section!r}"
        assert rule.name and rule.name == rule.name.lower() and " " not in rule.name
        assert rule.INVALID, f"{rule.code} has no INVALID examples"
        if rule.fix_availability == "sometimes" or (rule.fix_applicability and rule.fix_applicability.value == "unsafe"):
            assert "## Fix safety" in docs, f"{rule.code} needs a Fix safety section"
        if rule.fix_availability:
            assert any(c.fixed is not None for c in rule.INVALID), f"{rule.code} has a fix but no example of it"


def test_codes_are_unique_and_well_formed():
    import re

    codes = [r.code for r in all_rules()]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"(PL|CG)\d{3}", c) for c in codes)
    names = [r.name for r in all_rules()]
    assert len(names) == len(set(names))
