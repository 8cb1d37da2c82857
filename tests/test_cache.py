"""The result cache: a cached result is the result the lint would give now, a change anywhere it
depends on is seen, an unchanged run parses nothing, and the cache never lands in a model folder.

The logic is tested in process (the ``cli`` fixture runs ``main()`` here: a subprocess costs
~0.5 s); what only a fresh process can show (which modules a cached run imports, the default
location as a user's shell sees it) goes through ``python -m pipelint``.
"""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES, run_cli, write_model
from test_startup import imported_modules, top_packages

from pipelint.app.cache import DIR_NAME, ENV_VAR, cache_dir
from pipelint.engine.config import settings_for_model

REQ = "replicate>=1.1.0b1,<2.0.0a1\n"
COG = 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\npredict: "main.py:run"\n'
PIPELINE = 'import replicate\n\nflux = replicate.use("black-forest-labs/flux-schnell")\n\n\n'  # what makes a folder a pipeline
MAIN = PIPELINE + "def run(prompt: str) -> str:\n    return prompt\n"


def copy_fixture(tmp_path, family: str, name: str):
    return shutil.copytree(FIXTURES / family / name, tmp_path / name, ignore=shutil.ignore_patterns(DIR_NAME))


@pytest.fixture
def lint_json(cli):
    def run(model, cache, *flags):
        proc = cli("--output-format", "json", "--cache-dir", str(cache), *flags, str(model))
        assert proc.returncode in (0, 1), proc.stderr
        return json.loads(proc.stdout)

    return run


@pytest.fixture
def fresh_json(cli):
    def run(model, *flags):
        proc = cli("--output-format", "json", "--no-cache", *flags, str(model))
        assert proc.returncode in (0, 1), proc.stderr
        return json.loads(proc.stdout)

    return run


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


def test_cached_json_equals_a_fresh_lint_fixes_included(tmp_path, lint_json, fresh_json):
    model = copy_fixture(tmp_path, "cog_yaml", "gpu_template_everything_wrong")
    cache = tmp_path / "cache"
    lint_json(model, cache)
    cached = lint_json(model, cache)
    assert cached == fresh_json(model)
    assert any(d["fix"] and d["fix"]["edits"] for d in cached)


def test_editing_a_file_invalidates(tmp_path, lint_json, fresh_json):
    model = copy_fixture(tmp_path, "cog_yaml", "gpu_template_everything_wrong")
    cache = tmp_path / "cache"
    before = {d["code"] for d in lint_json(model, cache)}
    assert "PL106" in before
    cog = model / "cog.yaml"
    cog.write_text(cog.read_text().replace("gpu: true", "gpu: false"))
    after = lint_json(model, cache)
    assert "PL106" not in {d["code"] for d in after}
    assert after == fresh_json(model)


def test_a_file_that_appears_invalidates(tmp_path, lint_json, fresh_json):
    """The lint found `requirement.txt` missing; creating it must not be hidden by the cache."""
    model = write_model(tmp_path / "m", {"cog.yaml": COG.replace("requirements.txt", "reqs.txt"),
                                         "main.py": MAIN})
    cache = tmp_path / "cache"
    assert "PL113" in {d["code"] for d in lint_json(model, cache, "--select", "PL113")}
    (model / "reqs.txt").write_text(REQ)
    assert lint_json(model, cache, "--select", "PL113") == []


def test_a_new_local_module_invalidates(tmp_path, lint_json, fresh_json):
    """`import helpers` was a third-party import until helpers.py appeared in the folder."""
    model = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ,
                                         "main.py": "import helpers\n\n" + MAIN})
    cache = tmp_path / "cache"
    assert lint_json(model, cache, "--select", "PL0") == []
    (model / "helpers.py").write_text("def broken(:\n")
    after = lint_json(model, cache, "--select", "PL0")
    assert [(d["code"], d["filename"].rsplit("/", 1)[-1]) for d in after] == [("PL001", "helpers.py")]


def test_settings_are_part_of_the_key(tmp_path, lint_json, fresh_json):
    model = copy_fixture(tmp_path, "cog_yaml", "gpu_template_everything_wrong")
    cache = tmp_path / "cache"
    everything = lint_json(model, cache)
    only_gpu = lint_json(model, cache, "--select", "PL106")
    assert {d["code"] for d in only_gpu} == {"PL106"}
    assert lint_json(model, cache) == everything


def test_fix_bypasses_the_cache_and_leaves_no_stale_entry(tmp_path, cli, lint_json, fresh_json):
    model = copy_fixture(tmp_path, "cog_yaml", "gpu_template_everything_wrong")
    cache = tmp_path / "cache"
    before = lint_json(model, cache)
    proc = cli("--fix", "--cache-dir", str(cache), str(model))
    assert proc.returncode in (0, 1), proc.stderr
    after = lint_json(model, cache)
    assert after == fresh_json(model)
    assert len(after) < len(before)


def test_corrupt_entries_are_a_miss_not_a_crash(tmp_path, cli, lint_json):
    model = copy_fixture(tmp_path, "cog_yaml", "gpu_template_everything_wrong")
    cache = tmp_path / "cache"
    expected = lint_json(model, cache)
    entries = list(cache.rglob("*.json"))
    assert len(entries) == 1
    for garbage in ("{not json", json.dumps({"root": str(model), "files": 3}), json.dumps([1, 2])):
        entries[0].write_text(garbage)
        proc = cli("--output-format", "json", "--cache-dir", str(cache), str(model))
        assert "Traceback" not in proc.stderr
        assert json.loads(proc.stdout) == expected


# ---- where the cache lives -------------------------------------------------------------------
def test_without_configuration_it_lives_in_the_working_directory(tmp_path):
    work = tmp_path / "work"
    model = write_model(work / "models" / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": MAIN})
    assert cache_dir(None, settings_for_model(model), cwd=work) == work / DIR_NAME


def test_it_lives_where_the_configuration_file_is(tmp_path):
    model = write_model(tmp_path / "repo" / "models" / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": MAIN})
    (tmp_path / "repo" / "pipelint.toml").write_text('ignore = ["PL114"]\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert cache_dir(None, settings_for_model(model), cwd=elsewhere) == tmp_path / "repo" / DIR_NAME


def test_never_inside_a_model_folder_cog_push_uploads(tmp_path):
    """Run from inside the model folder, or with the configuration file in it: the cache goes next
    to the model folder, not into what `cog push` uploads."""
    model = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": MAIN, "src/x.py": ""})
    assert cache_dir(None, settings_for_model(model), cwd=model) == tmp_path / DIR_NAME
    assert cache_dir(None, settings_for_model(model), cwd=model / "src") == tmp_path / DIR_NAME
    (model / "pipelint.toml").write_text('ignore = ["PL114"]\n')
    assert cache_dir(None, settings_for_model(model), cwd=model) == tmp_path / DIR_NAME
    # A model folder nested in another: outside the outermost one.
    inner = write_model(model / "nested", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": MAIN})
    assert cache_dir(None, settings_for_model(inner), cwd=inner) == tmp_path / DIR_NAME


def test_cache_dir_flag_and_env_var_move_it(tmp_path, monkeypatch):
    model = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": MAIN})
    settings = settings_for_model(model)
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "from-env"))
    assert cache_dir(None, settings) == tmp_path / "from-env"
    assert cache_dir(str(tmp_path / "from-flag"), settings) == tmp_path / "from-flag"


def test_the_cli_keeps_model_folders_clean_and_clean_removes_its_cache(tmp_path):
    """Through the real CLI, from a user's shell in the model folder and above it."""
    model = copy_fixture(tmp_path, "examples", "flux-caption")
    assert run_cli(".", cwd=model).returncode == 0
    assert not (model / DIR_NAME).exists()
    assert (tmp_path / DIR_NAME / "CACHEDIR.TAG").is_file()
    assert list((tmp_path / DIR_NAME).rglob("*.json"))
    elsewhere = tmp_path / "elsewhere"
    assert run_cli(str(model), cwd=tmp_path, env={ENV_VAR: str(elsewhere)}).returncode == 0
    assert list(elsewhere.rglob("*.json"))
    assert run_cli("clean", cwd=model).returncode == 0  # the cache a run from here would use
    assert not (tmp_path / DIR_NAME).exists()
    assert run_cli("clean", "--cache-dir", str(elsewhere)).returncode == 0
    assert not elsewhere.exists()


def test_clean_never_deletes_a_folder_pipelint_did_not_make(tmp_path, cli):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    assert cli("clean", "--cache-dir", str(precious)).returncode == 0
    assert (precious / "notes.txt").read_text() == "keep me"


def test_no_cache_writes_nothing(tmp_path, cli):
    model = copy_fixture(tmp_path, "examples", "flux-caption")
    assert cli("--no-cache", str(model), cwd=tmp_path).returncode == 0
    assert not (tmp_path / DIR_NAME).exists() and not (model / DIR_NAME).exists()


@pytest.mark.parametrize("fmt", ["concise", "json"])
def test_parallel_and_serial_runs_give_the_same_ordered_output(tmp_path, fmt, cli, monkeypatch):
    top = tmp_path / "repo"
    sources = [("cog_yaml", "gpu_template_everything_wrong"), ("examples", "flux-caption"),
               ("reading", "syntax_error_keeps_linting_cog_yaml"), ("cog_yaml", "gpu_flow_style")]
    for i in range(12):
        family, name = sources[i % len(sources)]
        shutil.copytree(FIXTURES / family / name, top / f"team{i % 3}" / f"m{i:02d}",
                        ignore=shutil.ignore_patterns(DIR_NAME))
    monkeypatch.setenv("PIPELINT_JOBS", "1")
    serial = cli("--no-cache", "--output-format", fmt, str(top))
    monkeypatch.setenv("PIPELINT_JOBS", "2")
    pooled = cli("--output-format", fmt, "--cache-dir", str(tmp_path / "c"), str(top))
    assert serial.returncode == pooled.returncode == 1
    assert pooled.stdout == serial.stdout
    assert len(list((tmp_path / "c").rglob("*.json"))) == 12  # the workers filled the cache
    monkeypatch.delenv("PIPELINT_JOBS")
    cached = cli("--output-format", fmt, "--cache-dir", str(tmp_path / "c"), str(top))
    assert cached.stdout == serial.stdout


# -- what else the key holds: runtime data, library versions, pipelint's version ----------------


@pytest.fixture
def lints(monkeypatch):
    """How many models were really linted (not served from the cache) so far."""
    from pipelint.engine import runner

    real, calls = runner.lint, []

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "lint", counting)
    return calls


def test_changed_runtime_data_invalidates(tmp_path, cli, lints):
    model = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": MAIN})
    runtime = tmp_path / "runtime.txt"
    runtime.write_text("replicate==1.1.0\nnumpy==2.2.0\n")
    args = ("--output-format", "json", "--cache-dir", str(tmp_path / "cache"), "--runtime-requirements", str(runtime),
            str(model))
    cli(*args)
    cli(*args)
    assert len(lints) == 1  # the second run was a hit
    runtime.write_text("replicate==1.1.0\nnumpy==2.3.0\n")
    cli(*args)
    assert len(lints) == 2


@pytest.mark.parametrize("dist", ["libcst", "PyYAML", "packaging", "pathspec", "pipelint"])
def test_a_changed_library_or_pipelint_version_invalidates(tmp_path, cli, lints, monkeypatch, dist):
    """A downgrade of libcst (or PyYAML, packaging, pathspec), or another pipelint release, must
    not be answered from a result the old one computed."""
    import sys

    model = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": MAIN})
    args = ("--output-format", "json", "--cache-dir", str(tmp_path / "cache"), str(model))
    cli(*args)
    cli(*args)
    assert len(lints) == 1
    shadow = tmp_path / "site"
    (shadow / f"{dist}-0.0.1.dist-info").mkdir(parents=True)  # found first along sys.path
    monkeypatch.setattr(sys, "path", [str(shadow), *sys.path])
    cli(*args)
    assert len(lints) == 2
    cli(*args)
    assert len(lints) == 2  # and the new version's result is cached in turn


def test_library_versions_reads_dist_info_names(tmp_path):
    from pipelint.app.cache import KEY_DISTRIBUTIONS, library_versions

    (tmp_path / "a" / "PyYAML-6.0.1.dist-info").mkdir(parents=True)
    (tmp_path / "a" / "pipelint.egg-info").mkdir()  # a checkout's, without a version: skipped
    (tmp_path / "b" / "pyyaml-5.0.dist-info").mkdir(parents=True)
    (tmp_path / "b" / "libcst-1.2.3.dist-info").mkdir()
    found = library_versions([str(tmp_path / "missing"), str(tmp_path / "a"), str(tmp_path / "b")])
    assert found == {**dict.fromkeys(KEY_DISTRIBUTIONS, "absent"), "pyyaml": "6.0.1", "libcst": "1.2.3"}


def test_a_changed_configuration_file_invalidates(tmp_path, cli, lints):
    model = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": MAIN})
    args = ("--output-format", "json", "--cache-dir", str(tmp_path / "cache"), str(model))
    cli(*args)
    (tmp_path / "pipelint.toml").write_text('ignore = ["PL1"]\n')
    cli(*args)
    cli(*args)
    assert len(lints) == 2  # the new configuration was linted once, then served
    (tmp_path / "pipelint.toml").write_text('ignore = ["PL2"]\n')
    cli(*args)
    assert len(lints) == 3
