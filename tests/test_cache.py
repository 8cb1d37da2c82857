"""The result cache, end to end through the CLI: a cached result is the result the lint would
give now, a change anywhere it depends on is seen, and an unchanged run parses nothing."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES, run_cli, write_model
from test_startup import imported_modules, top_packages

from pipelint.app.cache import DIR_NAME, ENV_VAR

REQ = "replicate>=1.1.0b1,<2.0.0a1\n"
COG = 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\npredict: "main.py:run"\n'
# A pipeline: it calls another model through replicate.use().
MAIN = "import replicate\n\nflux = replicate.use(\"black-forest-labs/flux-schnell\")\n\n\ndef run(prompt: str) -> str:\n    return str(flux(prompt=prompt))\n"


def copy_fixture(tmp_path, family: str, name: str):
    return shutil.copytree(FIXTURES / family / name, tmp_path / name, ignore=shutil.ignore_patterns(DIR_NAME))


def lint_json(model, cache, *flags):
    proc = run_cli("--output-format", "json", "--cache-dir", str(cache), *flags, str(model))
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def fresh_json(model, *flags):
    proc = run_cli("--output-format", "json", "--no-cache", *flags, str(model))
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_unchanged_model_is_served_from_cache_without_importing_libcst(tmp_path):
    model = copy_fixture(tmp_path, "cog_yaml", "gpu_template_everything_wrong")
    cache = tmp_path / "cache"
    first_names, first = imported_modules("--cache-dir", str(cache), str(model))
    assert "libcst" in top_packages(first_names)
    again_names, again = imported_modules("--cache-dir", str(cache), str(model))
    assert "libcst" not in top_packages(again_names)
    # Same report, code frames included (their text comes from the bytes the cache hashed).
    assert again.stdout == first.stdout and "^^^" in again.stdout
    assert again.returncode == first.returncode == 1


def test_cached_json_equals_a_fresh_lint_fixes_included(tmp_path):
    model = copy_fixture(tmp_path, "cog_yaml", "gpu_template_everything_wrong")
    cache = tmp_path / "cache"
    lint_json(model, cache)
    cached = lint_json(model, cache)
    assert cached == fresh_json(model)
    assert any(d["fix"] and d["fix"]["edits"] for d in cached)


def test_editing_a_file_invalidates(tmp_path):
    model = copy_fixture(tmp_path, "cog_yaml", "gpu_template_everything_wrong")
    cache = tmp_path / "cache"
    before = {d["code"] for d in lint_json(model, cache)}
    assert "PL106" in before
    cog = model / "cog.yaml"
    cog.write_text(cog.read_text().replace("gpu: true", "gpu: false"))
    after = lint_json(model, cache)
    assert "PL106" not in {d["code"] for d in after}
    assert after == fresh_json(model)


def test_a_file_that_appears_invalidates(tmp_path):
    """The lint found `requirement.txt` missing; creating it must not be hidden by the cache."""
    model = write_model(tmp_path / "m", {"cog.yaml": COG.replace("requirements.txt", "reqs.txt"),
                                         "main.py": MAIN})
    cache = tmp_path / "cache"
    assert "PL113" in {d["code"] for d in lint_json(model, cache, "--select", "PL113")}
    (model / "reqs.txt").write_text(REQ)
    assert lint_json(model, cache, "--select", "PL113") == []


def test_a_new_local_module_invalidates(tmp_path):
    """`import helpers` was a third-party import until helpers.py appeared in the folder."""
    model = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ,
                                         "main.py": "import helpers\n\n" + MAIN})
    cache = tmp_path / "cache"
    assert lint_json(model, cache, "--select", "PL0") == []
    (model / "helpers.py").write_text("def broken(:\n")
    after = lint_json(model, cache, "--select", "PL0")
    assert [(d["code"], d["filename"].rsplit("/", 1)[-1]) for d in after] == [("PL001", "helpers.py")]


def test_settings_are_part_of_the_key(tmp_path):
    model = copy_fixture(tmp_path, "cog_yaml", "gpu_template_everything_wrong")
    cache = tmp_path / "cache"
    everything = lint_json(model, cache)
    only_gpu = lint_json(model, cache, "--select", "PL106")
    assert {d["code"] for d in only_gpu} == {"PL106"}
    assert lint_json(model, cache) == everything


def test_fix_bypasses_the_cache_and_leaves_no_stale_entry(tmp_path):
    model = copy_fixture(tmp_path, "cog_yaml", "gpu_template_everything_wrong")
    cache = tmp_path / "cache"
    before = lint_json(model, cache)
    proc = run_cli("--fix", "--cache-dir", str(cache), str(model))
    assert proc.returncode in (0, 1), proc.stderr
    after = lint_json(model, cache)
    assert after == fresh_json(model)
    assert len(after) < len(before)


def test_corrupt_entries_are_a_miss_not_a_crash(tmp_path):
    model = copy_fixture(tmp_path, "cog_yaml", "gpu_template_everything_wrong")
    cache = tmp_path / "cache"
    expected = lint_json(model, cache)
    entries = list(cache.rglob("*.json"))
    assert len(entries) == 1
    for garbage in ("{not json", json.dumps({"root": str(model), "files": 3}), json.dumps([1, 2])):
        entries[0].write_text(garbage)
        proc = run_cli("--output-format", "json", "--cache-dir", str(cache), str(model))
        assert "Traceback" not in proc.stderr
        assert json.loads(proc.stdout) == expected


def test_default_location_env_var_and_clean(tmp_path):
    model = copy_fixture(tmp_path, "examples", "flux-caption")
    assert run_cli(str(model)).returncode == 0
    assert (model / DIR_NAME / "CACHEDIR.TAG").is_file()
    elsewhere = tmp_path / "elsewhere"
    assert run_cli(str(model), env={ENV_VAR: str(elsewhere)}).returncode == 0
    assert list(elsewhere.rglob("*.json"))
    assert run_cli("clean", str(tmp_path)).returncode == 0
    assert not (model / DIR_NAME).exists()
    assert run_cli("clean", "--cache-dir", str(elsewhere)).returncode == 0
    assert not elsewhere.exists()


def test_clean_never_deletes_a_folder_pipelint_did_not_make(tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    assert run_cli("clean", "--cache-dir", str(precious)).returncode == 0
    assert (precious / "notes.txt").read_text() == "keep me"


def test_no_cache_writes_nothing(tmp_path):
    model = copy_fixture(tmp_path, "examples", "flux-caption")
    assert run_cli("--no-cache", str(model)).returncode == 0
    assert not (model / DIR_NAME).exists()


@pytest.mark.parametrize("fmt", ["concise", "json"])
def test_parallel_and_serial_runs_give_the_same_ordered_output(tmp_path, fmt):
    top = tmp_path / "repo"
    sources = [("cog_yaml", "gpu_template_everything_wrong"), ("examples", "flux-caption"),
               ("reading", "syntax_error_keeps_linting_cog_yaml"), ("cog_yaml", "gpu_flow_style")]
    for i in range(12):
        family, name = sources[i % len(sources)]
        shutil.copytree(FIXTURES / family / name, top / f"team{i % 3}" / f"m{i:02d}",
                        ignore=shutil.ignore_patterns(DIR_NAME))
    serial = run_cli("--no-cache", "--output-format", fmt, str(top), env={"PIPELINT_JOBS": "1"})
    pooled = run_cli("--output-format", fmt, "--cache-dir", str(tmp_path / "c"), str(top), env={"PIPELINT_JOBS": "2"})
    assert serial.returncode == pooled.returncode == 1
    assert pooled.stdout == serial.stdout
    assert len(list((tmp_path / "c").rglob("*.json"))) == 12  # the workers filled the cache
    cached = run_cli("--output-format", fmt, "--cache-dir", str(tmp_path / "c"), str(top))
    assert cached.stdout == serial.stdout
