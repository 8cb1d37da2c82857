"""End to end: the real pre-commit installs pipelint's hooks from this repository and runs them
in a git repository holding a bad model.

The hook repository is a snapshot of this checkout's working tree (tracked and untracked, not
ignored files) committed to a temporary git repository, as ``pre-commit try-repo`` does, so the
test checks what is being developed; in CI that is the committed state. Both hooks share one
environment (one ``pip install`` from PyPI, ~20-40 s). The snapshot is tagged with the version
the README pins (``rev: v<version>``), so the README's configuration is the one tested. Skipped
when pre-commit or git is missing, this is not a git checkout, or PyPI cannot be reached.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from pipelint.core.meta import version

PIPELINE = 'import replicate\n\nflux = replicate.use("black-forest-labs/flux-schnell")\n\n\n'  # what makes a folder a pipeline
MODEL = {
    "models/caption/cog.yaml": 'build:\n  python_version: "3.11"\n  gpu: true\n  python_requirements: requirements.txt\n'
                               'predict: "main.py:run"\n',
    "models/caption/requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\n",
    "models/caption/main.py": PIPELINE + "def run(prompt: str) -> str:\n    return prompt\n",
    "tools/build.py": "import torch  # outside every model folder: not pipelint's business\n",
    # No requirements.txt: the safe fix of PL204 creates one, a file git does not track yet.
    "models/draw/cog.yaml": 'build:\n  python_version: "3.13"\npredict: "main.py:run"\n',
    "models/draw/main.py": PIPELINE + "def run(prompt: str) -> str:\n    return prompt\n",
}
BAD_MAIN = "import torch\n" + PIPELINE + "def run(prompt: str) -> str:\n    return prompt + str(torch.ones(1))\n"


def _pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=3).close()
        return True
    except OSError:
        return False


def _git(*args: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)


def _snapshot_repo(dest: Path, env: dict) -> str:
    """This working tree as a one-commit git repository, tagged as the README's release; returns the tag."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, check=True).stdout.decode().split("\0")
    dest.mkdir()
    for rel in filter(None, listed):
        src = REPO / rel
        if not src.is_file():  # deleted in the working tree
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    _git("init", "-q", cwd=dest, env=env)
    _git("add", "-A", cwd=dest, env=env)
    _git("commit", "-q", "-m", "snapshot", cwd=dest, env=env)
    tag = f"v{version()}"
    _git("tag", "-a", tag, "-m", f"pipelint {version()}", cwd=dest, env=env)
    return tag


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.skipif(not (REPO / ".git").exists(), reason="not a git checkout")
@pytest.mark.network  # pre-commit builds the hook's virtualenv from PyPI
def test_pre_commit_hooks_check_and_fix_a_model(tmp_path):
    pytest.importorskip("pre_commit")
    if not _pypi_reachable():
        pytest.skip("PyPI is not reachable: pre-commit cannot install the hook's environment")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIPELINT_CACHE_DIR": str(tmp_path / "lint-cache")}
    env.pop("VIRTUAL_ENV", None)
    rev = _snapshot_repo(tmp_path / "hooks", env)

    project = tmp_path / "project"
    project.mkdir()
    _git("init", "-q", cwd=project, env=env)
    for rel, text in MODEL.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text)
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {tmp_path / 'hooks'}\n    rev: {rev}\n    hooks:\n"
        "      - id: pipelint\n      - id: pipelint-fix\n        stages: [manual]\n")
    _git("add", "-A", cwd=project, env=env)
    _git("commit", "-q", "-m", "a model, before the hooks", cwd=project, env=env)

    pre_commit = [sys.executable, "-m", "pre_commit"]
    subprocess.run([*pre_commit, "install"], cwd=project, env=env, check=True, capture_output=True)

    # A commit that stages only main.py (and a file outside any model): the hook receives those
    # names, lints the whole model folder from disk and so also reports cog.yaml's problems.
    (project / "models/caption/main.py").write_text(BAD_MAIN)
    (project / "tools/build.py").write_text("import torch  # still not a model\n")
    _git("add", "models/caption/main.py", "tools/build.py", cwd=project, env=env)
    commit = subprocess.run(["git", "commit", "-m", "use torch"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=300)
    out = commit.stdout + commit.stderr
    assert commit.returncode != 0, out
    assert "pipelint" in out and "Failed" in out
    assert "PL201" in out and "main.py" in out  # the staged file
    assert "PL106" in out and "PL111" in out and "cog.yaml" in out  # not staged, read from disk
    assert "tools/build.py" not in out and "PL004" not in out  # outside any model: ignored

    # The fix hook repairs what is safely fixable and leaves the rest reported.
    fix = subprocess.run([*pre_commit, "run", "pipelint-fix", "--hook-stage", "manual",
                          "--files", "models/caption/main.py"],
                         cwd=project, env=env, capture_output=True, text=True, timeout=300)
    fixed_out = fix.stdout + fix.stderr
    assert fix.returncode != 0, fixed_out
    assert "files were modified by this hook" in fixed_out
    cog = (project / "models/caption/cog.yaml").read_text()
    assert "gpu: false" in cog and 'python_version: "3.13"' in cog, cog
    assert (project / "models/caption/main.py").read_text() == BAD_MAIN  # nothing safe to fix there
    assert "PL201" in fixed_out

    check = subprocess.run([*pre_commit, "run", "pipelint", "--files", "models/caption/cog.yaml"],
                           cwd=project, env=env, capture_output=True, text=True, timeout=300)
    check_out = check.stdout + check.stderr
    assert check.returncode != 0 and "PL201" in check_out
    assert "PL106" not in check_out and "PL111" not in check_out

    _git("reset", "-q", "--hard", cwd=project, env=env)  # back to the committed models
    # A fix that creates a file: git does not track it, so pre-commit sees no change by itself;
    # the hook fails (--exit-non-zero-on-fix) and names the file, which can then be staged.
    draw = "models/draw/main.py"
    created = subprocess.run([*pre_commit, "run", "pipelint-fix", "--hook-stage", "manual", "--files", draw],
                             cwd=project, env=env, capture_output=True, text=True, timeout=300)
    created_out = created.stdout + created.stderr
    assert created.returncode != 0, created_out
    assert "Created models/draw/requirements.txt" in created_out, created_out
    assert "No issues remain" in created_out and "PL204" not in created_out
    requirements = project / "models/draw/requirements.txt"
    assert requirements.read_text() == "replicate>=1.1.0b1,<2.0.0a1\n"
    status = _git("status", "--porcelain", "--", "models/draw", cwd=project, env=env).stdout
    assert "?? models/draw/requirements.txt" in status
    _git("add", "models/draw", cwd=project, env=env)
    again = subprocess.run([*pre_commit, "run", "pipelint-fix", "--hook-stage", "manual", "--files", draw,
                            "models/draw/requirements.txt"],
                           cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr  # nothing left to fix or report
    commit = subprocess.run(["git", "commit", "-m", "draw"], cwd=project, env=env, capture_output=True, text=True,
                            timeout=300)
    assert commit.returncode == 0, commit.stdout + commit.stderr
    tracked = _git("ls-files", "models/draw", cwd=project, env=env).stdout.split()
    assert "models/draw/requirements.txt" in tracked
