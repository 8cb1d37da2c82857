"""Configuration files: which one governs a model, what its keys do, how the CLI layers on top,
and every mistake in one ending the run with exit 2 and a "did you mean".

The fixtures under fixtures/config/ (each with expected.txt) are linted by test_fixtures.py with
the settings of their own configuration files; here: what expected.txt cannot say.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, write_model

from pipelint.engine.config import CliOverrides, clear_cache, find_config_file, settings_for_model
from pipelint.engine.registry import all_rules
from pipelint.engine.runner import lint

CONFIG = FIXTURES / "config"
MODEL = {
    "cog.yaml": 'build:\n  python_version: "3.13"\n  gpu: true\n  cuda: "12.1"\npredict: "main.py:run"\n',
    "main.py": "import replicate\n\nflux = replicate.use(\"black-forest-labs/flux-schnell\")\n\n\ndef run(prompt: str) -> str:\n    return str(flux(prompt=prompt))\n",
    "requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\n",
}


def codes_of(proc) -> list[str]:
    return sorted({d["code"] for d in json.loads(proc.stdout)})


def error_fixtures():
    return sorted(p.parent for p in FIXTURES.glob("**/expected_error.txt"))


@pytest.mark.parametrize("folder", error_fixtures(), ids=lambda p: p.name)
def test_configuration_mistake_is_exit_2_with_the_reason(folder, cli):
    proc = cli("--no-cache", str(folder))
    expected = (folder / "expected_error.txt").read_text(encoding="utf-8").strip()
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert expected in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert str(folder) in proc.stderr  # names the file at fault


def test_error_fixtures_cover_the_did_you_mean_cases():
    texts = [(f / "expected_error.txt").read_text() for f in error_fixtures()]
    assert sum("did you mean" in t for t in texts) >= 4


def test_severity_table_changes_the_reported_severity():
    folder = CONFIG / "select_ignore_severity"
    result = lint(folder, settings_for_model(folder))
    severities = {d.code: d.severity.value for d in result.diagnostics}
    assert severities == {"PL106": "error", "PL304": "warning"}


def test_cli_select_replaces_the_configured_selection(cli):
    folder = CONFIG / "select_ignore_severity"
    proc = cli("--no-cache", "--output-format", "json", "--select", "PL2", str(folder))
    assert codes_of(proc) == ["PL201", "PL202"]


def test_cli_ignore_and_extend_select_adjust_the_configured_selection(cli):
    folder = CONFIG / "select_ignore_severity"
    assert codes_of(cli("--no-cache", "--output-format", "json", "--ignore", "PL106", str(folder))) == ["PL304"]
    # The file ignores PL114; the command line's extend-select is a later layer and wins.
    proc = cli("--no-cache", "--output-format", "json", "--extend-select", "PL114", str(folder))
    assert codes_of(proc) == ["PL106", "PL114", "PL304"]


def test_cli_ignore_of_a_family_turns_off_a_code_the_file_selected(cli):
    # As in ruff, the CLI is a layer over the file: its `--ignore PL3` beats the file's more
    # specific `extend-select = ["PL314"]` (a merged list would keep PL314 as more specific).
    folder = CONFIG / "extend_select_default_off_rule"
    assert codes_of(cli("--no-cache", "--output-format", "json", str(folder))) == ["PL314"]
    assert codes_of(cli("--no-cache", "--output-format", "json", "--ignore", "PL3", str(folder))) == []


def test_isolated_ignores_configuration_files(cli):
    folder = CONFIG / "select_ignore_severity"
    codes = codes_of(cli("--no-cache", "--output-format", "json", "--isolated", "--target", "pipeline", str(folder)))
    assert {"PL106", "PL114", "PL201", "PL202", "PL304"} <= set(codes)


def test_config_flag_names_the_file_for_every_model(tmp_path, cli):
    root = write_model(tmp_path / "m", MODEL)
    other = tmp_path / "elsewhere" / "strict.toml"
    other.parent.mkdir()
    other.write_text('ignore = ["PL106"]\n')
    (root / "pipelint.toml").write_text('ignore = ["PL107"]\n')
    assert codes_of(cli("--no-cache", "--output-format", "json", str(root))) == ["PL106"]
    assert codes_of(cli("--no-cache", "--output-format", "json", "--config", str(other), str(root))) == ["PL107"]
    proc = cli("--config", str(other), "--isolated", str(root))
    assert proc.returncode == 2 and "cannot be used together" in proc.stderr
    proc = cli("--config", str(tmp_path / "missing.toml"), str(root))
    assert proc.returncode == 2 and "missing.toml" in proc.stderr and "Traceback" not in proc.stderr


def test_unknown_cli_selector_is_exit_2_with_did_you_mean(tmp_path, cli):
    root = write_model(tmp_path / "m", MODEL)
    proc = cli("--select", "PL1O6", str(root))
    assert proc.returncode == 2 and "did you mean PL106?" in proc.stderr


def test_exclude_skips_model_folders_when_walking_and_for_files(tmp_path, cli):
    write_model(tmp_path / "current", MODEL)
    write_model(tmp_path / "legacy" / "old", MODEL)
    write_model(tmp_path / "experiments" / "try", MODEL)
    (tmp_path / "pipelint.toml").write_text('exclude = ["legacy"]\nextend-exclude = ["experiments/*"]\n')

    def linted(*args):
        proc = cli("--no-cache", "--output-format", "json", *args, cwd=tmp_path)
        return sorted({Path(d["filename"]).parent.name for d in json.loads(proc.stdout)})

    assert linted(".") == ["current"]
    # pre-commit passes files: one inside an excluded model is skipped too.
    assert linted("legacy/old/main.py", "current/main.py") == ["current"]
    # --exclude replaces the configured `exclude` (not `extend-exclude`); --extend-exclude adds.
    assert linted("--exclude", "current") == ["old"]
    everything = cli("--no-cache", "--extend-exclude", "current", cwd=tmp_path)
    assert everything.returncode == 0 and "PL004" not in everything.stdout  # excluded is not "no model"


def test_closest_file_wins_and_pyproject_without_table_is_skipped(tmp_path):
    root = write_model(tmp_path / "repo" / "models" / "m", MODEL)
    (tmp_path / "repo" / "pyproject.toml").write_text('[tool.pipelint]\nignore = ["PL106"]\n')
    (tmp_path / "repo" / "models" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config_file(root) == (tmp_path / "repo" / "pyproject.toml").resolve()
    (root / ".pipelint.toml").write_text('ignore = ["PL107"]\n')
    assert find_config_file(root) == (root / ".pipelint.toml").resolve()


def test_settings_are_shared_per_config_file_and_follow_edits(tmp_path):
    clear_cache()
    a = write_model(tmp_path / "a", MODEL)
    b = write_model(tmp_path / "b", MODEL)
    config = tmp_path / "pipelint.toml"
    config.write_text('ignore = ["PL106"]\n')
    first = settings_for_model(a)
    assert settings_for_model(b) is first
    assert "PL106" not in first.enabled_codes(all_rules())
    # A long-running language server sees an edited file without restarting.
    config.write_text('ignore = ["PL107", "PL114"]\n')
    later = time.time() + 5
    os.utime(config, (later, later))
    edited = settings_for_model(a)
    assert edited is not first
    assert "PL106" in edited.enabled_codes(all_rules()) and "PL107" not in edited.enabled_codes(all_rules())


def test_runtime_requirements_is_resolved_relative_to_the_config_file():
    folder = CONFIG / "runtime_requirements_file"
    settings = settings_for_model(folder)
    assert settings.runtime_requirements == (folder / "runtime-requirements.txt").resolve()
    # The command line's own file wins over the configured one.
    shipped = Path(__file__).resolve().parent.parent / "pipelint" / "data" / "runtime-requirements.txt"
    overridden = settings_for_model(folder, CliOverrides(runtime_requirements=shipped))
    assert overridden.runtime_requirements == shipped


def test_changed_config_file_outside_models_lints_the_models_it_governs(tmp_path, cli):
    write_model(tmp_path / "models" / "m", MODEL)
    (tmp_path / "pyproject.toml").write_text('[tool.pipelint]\nignore = ["PL107"]\n')
    (tmp_path / "setup.py").write_text("print('not a model file')\n")
    proc = cli("--no-cache", "--output-format", "json", "pyproject.toml", cwd=tmp_path)
    assert codes_of(proc) == ["PL106"]
    # Any other file outside a model folder is ignored: nothing is linted, and the run says so
    # (a warning, exit 0: pre-commit passes such files and shows only a failing hook's output).
    proc = cli("--no-cache", "setup.py", cwd=tmp_path)
    assert proc.returncode == 0 and "All checks passed" not in proc.stdout
    assert "No model folder found" in proc.stderr
