"""CI output: GitHub annotations, SARIF (validated against the official 2.1.0 schema), JUnit XML,
``--statistics`` and ``--output-file``, on real model folders."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, write_model

from pipelint.app.formats import render_github
from pipelint.core.diagnostics import DOCS_BASE_URL, Diagnostic, Position, Severity

EVERYTHING_WRONG = FIXTURES / "cog_yaml" / "gpu_template_everything_wrong"
SUPPRESSION = FIXTURES / "suppression" / "comments_in_all_three_files"
SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture
def run_cli(cli):
    def run(*args: str, cwd: Path = REPO):
        return cli("--no-cache", *args, cwd=cwd)

    return run


def _validate_sarif(doc: dict) -> None:
    import jsonschema

    jsonschema.Draft4Validator.check_schema(SCHEMA)
    errors = sorted(jsonschema.Draft4Validator(SCHEMA).iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


@pytest.mark.parametrize("folder", [EVERYTHING_WRONG, SUPPRESSION, FIXTURES / "examples" / "flux-caption"],
                         ids=lambda p: p.name)
def test_sarif_is_valid_against_the_official_schema(folder, run_cli):
    proc = run_cli("--output-format", "sarif", str(folder.relative_to(REPO)))
    doc = json.loads(proc.stdout)
    _validate_sarif(doc)
    (run,) = doc["runs"]
    assert doc["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "pipelint"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.as_uri() + "/"
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_results_rules_and_fixes(run_cli):
    proc = run_cli("--output-format", "sarif", "--select", "PL1", str(EVERYTHING_WRONG.relative_to(REPO)))
    assert proc.returncode == 1
    (run,) = json.loads(proc.stdout)["runs"]
    rules = run["tool"]["driver"]["rules"]
    # The rules that ran (all of PL1, reported or not), each with help and a link to its page.
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    assert {r["id"][:3] for r in rules} == {"PL1"} and len(rules) >= 14
    for r in rules:
        assert r["helpUri"] == f"{DOCS_BASE_URL}{r['id']}.md"
        assert r["help"]["text"] and r["shortDescription"]["text"] and r["defaultConfiguration"]["level"]
    results = run["results"]
    expected = sorted(line.split()[0] for line in (EVERYTHING_WRONG / "expected.txt").read_text().splitlines())
    assert sorted(r["ruleId"] for r in results) == expected
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        location = r["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": "fixtures/cog_yaml/gpu_template_everything_wrong/cog.yaml",
                                                "uriBaseId": "%SRCROOT%"}
    gpu = next(r for r in results if r["ruleId"] == "PL106")
    assert gpu["level"] == "error"
    assert gpu["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 3,
                                                                 "endLine": 3, "endColumn": 6}
    (fix,) = gpu["fixes"]
    (change,) = fix["artifactChanges"]
    (replacement,) = change["replacements"]
    assert replacement["insertedContent"]["text"] == "false"
    assert replacement["deletedRegion"] == {"startLine": 3, "startColumn": 8, "endLine": 3, "endColumn": 12}


def test_sarif_for_a_file_outside_the_working_directory_uses_an_absolute_uri(tmp_path, run_cli):
    root = write_model(tmp_path / "m", {"cog.yaml": 'build:\n  gpu: true\npredict: "main.py:run"\n',
                                       "main.py": "def run(prompt: str) -> str:\n    return prompt\n",
                                       "requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\n"})
    doc = json.loads(run_cli("--output-format", "sarif", "--target", "pipeline", str(root)).stdout)
    _validate_sarif(doc)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert uris == {(root / "cog.yaml").resolve().as_uri()}


def test_github_annotations(run_cli):
    proc = run_cli("--output-format", "github", "--select", "PL106,PL112", str(EVERYTHING_WRONG.relative_to(REPO)))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    path = "fixtures/cog_yaml/gpu_template_everything_wrong/cog.yaml"
    assert lines[0].startswith(f"::error file={path},line=3,col=3,endLine=3,endColumn=6,title=PL106::`gpu: true`")
    assert "%0Ahelp: set `gpu: false` or remove the key%0Adocs: " in lines[0]
    assert lines[1].startswith(f"::error file={path},line=18,col=8,")
    assert len(lines) == 2  # nothing but the annotations


def test_github_escapes_what_would_end_a_command():
    d = Diagnostic("PL114", Severity.INFO, "50% of it\nis, odd: yes", Path("a,b:c.yaml").resolve(),
                   Position(1, 1), Position(1, 2))
    line = render_github([d])
    assert line.startswith("::notice file=a%2Cb%3Ac.yaml,line=1,")
    assert "::50%25 of it%0Ais, odd: yes%0Adocs: " in line and line.count("\n") == 1


def test_junit(run_cli):
    proc = run_cli("--output-format", "junit", str(SUPPRESSION.relative_to(REPO)))
    root = ET.fromstring(proc.stdout)
    cases = root.findall("testsuite/testcase")
    failures = root.findall("testsuite/testcase/failure")
    expected = [line for line in (SUPPRESSION / "expected.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    assert len(cases) == len(failures) == len(expected) == int(root.get("failures"))
    assert {f.get("type") for f in failures} == {"PL107", "PL201", "PL202", "PL901"}
    assert all(c.get("name").startswith("pipelint.PL") for c in cases)


def test_junit_clean_run_has_one_passing_case(run_cli):
    proc = run_cli("--output-format", "junit", "fixtures/examples/flux-caption")
    root = ET.fromstring(proc.stdout)
    assert proc.returncode == 0 and root.get("failures") == "0"
    assert [c.get("name") for c in root.iter("testcase")] == ["No errors found"]


def test_statistics_counts_per_rule(run_cli):
    proc = run_cli("--statistics", str(SUPPRESSION.relative_to(REPO)))
    assert proc.returncode == 1
    rows = [line.split("\t") for line in proc.stdout.splitlines()[:-1]]
    assert [(n.strip(), code.strip(), name) for n, code, name in rows] == [
        ("4", "PL901", "[*] unused-suppression"),
        ("1", "PL107", "[*] cuda-set"),
        ("1", "PL201", "[ ] import-not-in-runtime"),
        ("1", "PL202", "[ ] requirement-not-in-runtime"),
    ]
    assert proc.stdout.splitlines()[-1].startswith("Found 3 errors, 4 warnings")
    data = json.loads(run_cli("--statistics", "--output-format", "json", str(SUPPRESSION.relative_to(REPO))).stdout)
    assert data[0] == {"code": "PL901", "name": "unused-suppression", "count": 4, "fixable": True, "target": "pipeline"}
    bad = run_cli("--statistics", "--output-format", "sarif", ".")
    assert bad.returncode == 2 and "--statistics" in bad.stderr


def test_output_file(tmp_path, run_cli):
    target = tmp_path / "out" / "pipelint.sarif"
    target.parent.mkdir()
    proc = run_cli("--output-format", "sarif", "--output-file", str(target), str(EVERYTHING_WRONG.relative_to(REPO)))
    assert proc.returncode == 1 and proc.stdout == ""
    _validate_sarif(json.loads(target.read_text(encoding="utf-8")))
    text_file = tmp_path / "report.txt"
    proc = run_cli("-o", str(text_file), str(EVERYTHING_WRONG.relative_to(REPO)))
    assert proc.stdout == "" and "PL106" in text_file.read_text() and "\x1b[" not in text_file.read_text()
    proc = run_cli("-o", str(tmp_path / "no" / "such" / "dir.txt"), str(EVERYTHING_WRONG.relative_to(REPO)))
    assert proc.returncode == 2 and "--output-file" in proc.stderr
