"""The GitHub Action (action.yml): its step, scripts/github-action.sh, run here as the runner runs it.

The runner's part is done from action.yml itself: its inputs' defaults, overridden by the
workflow's `with:`, become the step's `env:` (each `${{ inputs.NAME }}`), and the step's `run:`
goes to bash with GITHUB_ACTION_PATH at this checkout, in a workspace holding model folders.
PIPELINT_ACTION_USE_PYTHON (this interpreter) skips the install in most tests; one test (opt-in,
needs PyPI) installs pipelint from the action's checkout into a fresh virtualenv, as the action does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO, run_cli

import pipelint

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
BAD = FIXTURES / "config" / "select_ignore_severity"  # PL106 in cog.yaml, PL304 in main.py
CLEAN = FIXTURES / "examples" / "flux-caption"


def run_action(workspace: Path, tmp: Path, with_: dict[str, str] | None = None, install: bool = False):
    """The action's steps with these `with:` inputs, as the runner would run them."""
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    unknown = set(with_ or {}) - set(inputs)
    assert not unknown, f"action.yml has no input {unknown}"
    inputs.update(with_ or {})
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "PIPELINT_ACTION_"))}
    env.update({"GITHUB_ACTION_PATH": str(REPO), "GITHUB_WORKSPACE": str(workspace), "GITHUB_ACTIONS": "true",
                "RUNNER_TEMP": str(tmp / "runner-temp"), "NO_COLOR": "1"})
    (tmp / "runner-temp").mkdir(exist_ok=True)
    if not install:
        env["PIPELINT_ACTION_USE_PYTHON"] = sys.executable
    outputs = []
    for step in ACTION["runs"]["steps"]:
        assert step["shell"] == "bash"
        step_env = {}
        for name, value in step.get("env", {}).items():
            step_env[name] = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m[1]], str(value))
        proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, env={**env, **step_env},
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
        outputs.append(proc)
        if proc.returncode != 0:
            break
    return outputs[-1]


def workspace_with(tmp: Path, models: dict[str, Path]) -> Path:
    ws = tmp / "workspace"
    for rel, source in models.items():
        shutil.copytree(source, ws / rel, ignore=shutil.ignore_patterns("expected.txt", ".pipelint_cache"))
    return ws


def annotations(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("::") and not line.startswith("::group")
            and not line.startswith("::endgroup")]


def test_action_yml_declares_the_inputs_and_runs_the_script():
    assert ACTION["runs"]["using"] == "composite"
    assert {name: spec.get("default") for name, spec in ACTION["inputs"].items()} == {
        "paths": ".", "args": "", "version": ""}
    (step,) = ACTION["runs"]["steps"]
    assert "scripts/github-action.sh" in step["run"] and (REPO / "scripts" / "github-action.sh").is_file()
    for name in ACTION["inputs"]:
        assert step["env"][f"INPUT_{name.upper()}"].replace(" ", "") == f"${{{{inputs.{name}}}}}"


def test_findings_are_annotations_and_fail_the_step(tmp_path):
    ws = workspace_with(tmp_path, {"models/caption": BAD, "models/flux": CLEAN})
    proc = run_action(ws, tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    got = annotations(proc.stdout)
    assert any(line.startswith("::error file=models/caption/cog.yaml,line=4,col=3,") and "title=PL106::" in line
               for line in got), got
    assert any(line.startswith("::warning file=models/caption/main.py,line=4,") and "title=PL304::" in line
               for line in got), got
    # Exactly what `pipelint --output-format github .` prints in the workspace, nothing more or less.
    direct = run_cli("--output-format", "github", ".", cwd=ws)
    assert got == annotations(direct.stdout) and direct.returncode == 1
    assert "Traceback" not in proc.stderr


def test_a_clean_workspace_passes(tmp_path):
    ws = workspace_with(tmp_path, {"models/flux": CLEAN})
    proc = run_action(ws, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert annotations(proc.stdout) == []
    assert f"pipelint {pipelint.__version__}" in proc.stdout  # the step's log says which pipelint ran


def test_paths_and_args_are_split_like_a_shell_and_never_evaluated(tmp_path):
    ws = workspace_with(tmp_path, {"models/with space": BAD, "models/other": BAD})
    proc = run_action(ws, tmp_path, {"paths": "'models/with space'", "args": "--ignore PL106 --select 'PL1,PL3'"})
    got = annotations(proc.stdout)
    assert proc.returncode == 1 and got, proc.stdout + proc.stderr
    assert all("file=models/with space/" in line for line in got), got  # only the path given
    assert not any("title=PL106::" in line for line in got), got  # --ignore reached pipelint
    # A command substitution in an input is text, not a command.
    proc = run_action(ws, tmp_path, {"paths": "models/other", "args": "--ignore $(touch pwned)PL106"})
    assert not (ws / "pwned").exists() and not list(ws.glob("*pwned*"))
    assert "Traceback" not in proc.stderr


def test_the_user_can_still_ask_for_another_format(tmp_path):
    ws = workspace_with(tmp_path, {"models/caption": BAD})
    proc = run_action(ws, tmp_path, {"args": "--output-format concise --exit-zero"})
    assert proc.returncode == 0, proc.stderr
    assert annotations(proc.stdout) == [] and "models/caption/cog.yaml:4:3: PL106" in proc.stdout


@pytest.mark.network  # the virtualenv's pipelint and its dependencies come from PyPI, as on a runner
def test_the_action_installs_pipelint_from_its_own_checkout(tmp_path):
    ws = workspace_with(tmp_path, {"models/caption": BAD})
    proc = run_action(ws, tmp_path, install=True)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"::group::Install pipelint ({REPO})" in proc.stdout
    venv_python = tmp_path / "runner-temp" / "pipelint-action-venv" / "bin" / "python"
    where = subprocess.run([str(venv_python), "-c", "import pipelint; print(pipelint.__version__, pipelint.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    assert where[0] == pipelint.__version__ and not where[1].startswith(str(REPO))  # installed, not the checkout
    assert any("title=PL106::" in line for line in annotations(proc.stdout))
