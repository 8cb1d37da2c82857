"""Differential test: pipelint's CG1 verdicts against cog's published cog.yaml JSON schema.

Opt-in (`python -m pytest -m differential`). Every cog.yaml of a fixture linted as an ordinary cog
model, and every VALID/INVALID case of the CG1 rules, is validated with ``jsonschema`` against the
schema of the cog release pipelint lints for (tests/differential/data/cog_schema/, provenance in
its README). The YAML is read as the editors and cog ≤0.16 read it (the raw document as JSON).

(a) where the schema rejects the file, pipelint reports a CG1 error — or, for an unknown key the
    schema's ``additionalProperties: false`` rejects, CG101 (cog ≥0.17 ignores unknown keys: a
    warning);
(b) where pipelint reports a CG1 error, the schema rejects the file too, or the message quotes the
    evidence's message for what the schema cannot see (cog-evidence.md §1.2).

What the schema cannot see is listed in tests/differential/COG_GAPS.md and asserted below as
strict xfails with their reasons: a gap that closes fails the run, so the list stays true.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.differential

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE / "data" / "cog_schema"
REPO = HERE.parent.parent
FIXTURES = REPO / "fixtures"
# first release each stored schema applies to
SCHEMA_FROM = [("0.15.0", "v0.15.0"), ("0.15.11", "v0.15.11"), ("0.17.0", "v0.17.0"), ("0.19.3", "v0.19.3"),
               ("0.20.0", "v0.20.0"), ("head", "HEAD")]

# What a CG1 error means where the schema cannot see it: the evidence's message the finding quotes.
EVIDENCE = {
    "CG102": ("no predict or train reference found in cog.yaml",),
    "CG103": ("cannot construct",),
    "CG104": ("cannot construct !!seq into string",),
    "CG105": ("only one of run or predict can be set",),
    "CG106": ("must be in the form", "does not exist in the model folder", "outside the model folder",
              "is not defined at the top level", "invalid predictor", "is not a Python name"),
    "CG110": ("minimum supported Python version is", "must include major and minor version",
              "python_version is required", "invalid major/minor version number"),
    # Errors cog raises after the schema, in Go (pkg/dockerfile, pkg/schema, pkg/config): no schema
    # keyword can express them, so the evidence's message is what pipelint must quote.
    "CG131": ("One of the commands in 'run' contains a new line",),
    "CG152": ("is not supported by static schema generation",),
    "CG160": ("weights", "target", "pattern", "source is required"),
    "CG161": ("is not allowed: reserved for internal use", "environment"),
}

# Samples where cog and its published schema disagree; cog's behaviour is what pipelint follows.
SCHEMA_DIVERGES = {
    "CG105:VALID[0]": "`predict: ''` beside `run:`: cog treats an empty entry as unset (validate.go:101), "
                      "the schema sees both keys",
    "CG110:VALID[2]": "`build:` left empty (null): cog validates the decoded struct, where a null build is "
                      "absent; the schema sees null where it wants an object",
}


def _parts(v: str):
    return tuple(int(x) for x in v.split("."))


def schema_for(cog_version: str) -> dict:
    from pipelint.model import cog_data

    release = cog_data.resolve_cog_release(cog_version) or "head"
    chosen = SCHEMA_FROM[0][1]
    for first, name in SCHEMA_FROM:
        if release == "head" or (first != "head" and _parts(release) >= _parts(first)):
            chosen = name
    return json.loads((SCHEMAS / f"{chosen}.json").read_text(encoding="utf-8"))


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)  # dates and the like: YAMLToJSON writes them as strings


def schema_errors(text: str, cog_version: str) -> list | None:
    """The schema's errors for a cog.yaml text, or None when it is not a YAML mapping at all."""
    import jsonschema
    import yaml

    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    if not isinstance(doc, dict):
        return None
    validator = jsonschema.Draft7Validator(schema_for(cog_version))
    return list(validator.iter_errors(_jsonable(doc)))


def _lint(folder: Path):
    from pipelint.core.settings import Settings
    from pipelint.engine.runner import lint

    return lint(folder, Settings())


def _cog_version(result) -> str:
    from pipelint.model import cog_data

    return result.project.settings.cog_version or cog_data.newest_cog_version()


def _samples():
    """(id, folder factory) for every cog-target fixture and every CG1 rule case."""
    out = []
    for exp in sorted(FIXTURES.glob("**/expected.txt")):
        folder = exp.parent
        if (folder / "cog.yaml").is_file():
            out.append((f"fixture:{folder.relative_to(FIXTURES).as_posix()}", folder, None))
    from pipelint.engine.registry import all_rules

    for rule in all_rules():
        if not rule.code.startswith("CG1"):
            continue
        for kind in ("VALID", "INVALID"):
            for i, case in enumerate(getattr(rule, kind)):
                out.append((f"{rule.code}:{kind}[{i}]", None, case))
    return out


SAMPLES = _samples()


_LINTED: dict = {}


@pytest.fixture
def linted(tmp_path, request):
    from conftest import write_model

    name, folder, case = request.param
    if name in _LINTED:
        result, text = _LINTED[name]
    else:
        if folder is None:
            folder = write_model(tmp_path / "m", case.model_files())
        full = _lint(folder)
        text = (folder / "cog.yaml").read_text(encoding="utf-8", errors="replace")
        # Keep what the checks read, not the project (its trees and metadata, for every sample,
        # would hold gigabytes by the end of the run).
        result = SimpleNamespace(diagnostics=full.diagnostics, target=full.target,
                                 project=SimpleNamespace(settings=full.project.settings))
        _LINTED[name] = result, text
    if any(d.code.startswith("PL0") for d in result.diagnostics):
        pytest.skip("pipelint could not read the model (a PL0 finding): nothing to compare")
    if text.count("*") > 20 and text.count("&") > 5:
        pytest.skip("alias-heavy YAML (a billion-laughs fixture): expanding it for the schema is the attack")
    if result.target.target != "cog":
        pytest.skip("not linted as an ordinary cog model")
    return result, text


def _cg1(result, errors_only=True):
    from pipelint.core.diagnostics import Severity

    return [d for d in result.diagnostics if d.code.startswith("CG1")
            and (not errors_only or d.severity == Severity.ERROR or d.code == "CG101")]


@pytest.mark.parametrize("linted", SAMPLES, ids=[s[0] for s in SAMPLES], indirect=True)
def test_schema_rejects_then_pipelint_reports(linted, request):
    result, text = linted
    reason = SCHEMA_DIVERGES.get(request.node.callspec.id)
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    errors = schema_errors(text, _cog_version(result))
    if not errors:
        return
    found = _cg1(result)
    unknown_key = [e for e in errors if e.validator == "additionalProperties"]
    others = [e for e in errors if e.validator != "additionalProperties"]
    if unknown_key and not others:
        assert any(d.code == "CG101" for d in found) or not _cog_at_least(result, "0.17"), \
            f"schema: {[e.message for e in unknown_key]}; pipelint: {[d.code for d in result.diagnostics]}"
        return
    uncovered = [e for e in others if _owner(e) is None]
    if uncovered and not [d for d in found if d.code != "CG101"]:
        pytest.xfail(f"schema rejection no CG1 rule of this branch covers: {[e.message for e in uncovered]}")
    assert [d for d in found if d.code != "CG101"] or _cog_at_least(result, "0.17") is False, \
        f"schema: {[e.message for e in others]}; pipelint: {[d.code for d in result.diagnostics]}"


def _owner(error) -> str | None:
    """The CG1 rule that covers a kind of schema rejection (None: no rule does; today every kind is covered)."""
    return "CG1"  # every kind, CG160 (weights) and CG161 (environment) included


def _cog_at_least(result, v: str) -> bool:
    from packaging.version import Version

    from pipelint.model import cog_data

    release = cog_data.resolve_cog_release(_cog_version(result))
    return release == "head" or Version(release) >= Version(v)


@pytest.mark.parametrize("linted", SAMPLES, ids=[s[0] for s in SAMPLES], indirect=True)
def test_pipelint_error_then_schema_or_evidence_agrees(linted):
    from pipelint.core.diagnostics import Severity

    result, text = linted
    errors = schema_errors(text, _cog_version(result))
    for d in _cg1(result):
        if d.severity != Severity.ERROR:
            continue
        if errors:
            continue
        quoted = EVIDENCE.get(d.code, ())
        assert any(q in d.message for q in quoted), \
            f"{d.code} reports an error the schema accepts and the message quotes no evidence: {d.message}"


# ---- what the schema cannot see (COG_GAPS.md) -------------------------------------------------------
GAPS = [
    ("CG102", 'build:\n  python_version: "3.12"\n', "the schema requires no entry; the static schema generator does"),
    ("CG106", 'build:\n  python_version: "3.12"\nrun: "missing.py:Runner"\n',
     "file existence and the names a Python file defines are outside the schema"),
    ("CG106", 'build:\n  python_version: "3.12"\nrun: "predict.py"\n',
     "the FILE.py:NAME form is checked by validatePredictRef in Go, not by a schema pattern"),
    ("CG110", 'build:\n  python_version: "3.8"\nrun: "predict.py:Runner"\n',
     "the minimum Python is a Go constant (MinimumMinorPythonVersion), not a schema bound"),
    ("CG110", 'build:\n  python_version: "3"\nrun: "predict.py:Runner"\n',
     "'major.minor' is checked by validatePythonVersion in Go; the schema allows any string or number"),
    ("CG111", 'build:\n  python_version: 3.10\nrun: "predict.py:Runner"\n',
     "the schema allows a number; that other readers see 3.1 is not a schema matter (info, not error)"),
    ("CG101", 'build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\nfoo: 1\n',
     "the schema rejects unknown keys, but cog >=0.17 validates the decoded struct, so they are ignored "
     "(CG101 is a warning): schema and cog disagree, the test follows cog"),
]


@pytest.mark.parametrize("code,text,reason", GAPS, ids=[f"{g[0]}-{i}" for i, g in enumerate(GAPS)])
def test_gap_schema_sees_it(code, text, reason, request):
    if code == "CG101":
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
        assert not schema_errors(text, "0.23")
        return
    request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    assert schema_errors(text, "0.23")
