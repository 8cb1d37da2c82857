"""Security: pipelint never runs the linted code, never builds objects from YAML tags, never reads
outside the model folder, and never opens a network connection or starts a process.

The strongest checks run the real CLI under a CPython audit hook (``sys.addaudithook``), which sees
every ``open``, ``exec`` of a code object, ``import``, socket call and process spawn of the run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, write_model

from pipelint.core.settings import Settings
from pipelint.engine.fixer import fix_model
from pipelint.engine.runner import lint

HOSTILE = FIXTURES / "hostile"
MARKER = "IMPORTED_MARKER"
TAG_MARKER = "PIPELINT_YAML_TAG_WAS_CONSTRUCTED"


def copy_fixture(name: str, dest: Path) -> Path:
    return Path(shutil.copytree(HOSTILE / name, dest / name, ignore=shutil.ignore_patterns("expected.txt"))).resolve()


# ---- never imports or executes the linted code --------------------------------------------

def test_the_linted_code_is_never_imported_in_process(tmp_path):
    root = copy_fixture("code_with_import_side_effects", tmp_path)
    before = set(sys.modules)
    result = lint(root, Settings(target="pipeline"))
    outcome = fix_model(root, Settings(target="pipeline"), unsafe=True)
    assert not result.internal_errors and not outcome.internal_errors
    assert result.project.entry_module is not None and result.project.entry_module.tree is not None
    assert not (root / MARKER).exists(), "main.py was imported: it wrote its marker"
    new = set(sys.modules) - before
    assert "main" not in new
    inside = [name for name, module in sys.modules.items()
              if str(getattr(module, "__file__", None) or "").startswith(str(root))]
    assert inside == [], f"modules loaded from the model folder: {inside}"
    # and pipelint did look at the code: the import-time sys.exit() is reported
    assert "PL604" in {d.code for d in result.diagnostics}


def test_the_linted_code_is_never_imported_by_the_cli(tmp_path):
    root = copy_fixture("code_with_import_side_effects", tmp_path)
    proc = subprocess.run([sys.executable, "-m", "pipelint", "--no-cache", str(root)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "PL604" in proc.stdout and "main.py was imported" not in proc.stderr
    assert not (root / MARKER).exists()


# ---- never constructs YAML objects ---------------------------------------------------------

def test_yaml_tags_construct_nothing(tmp_path, monkeypatch):
    root = copy_fixture("python_object_tags_cog_yaml", tmp_path)
    monkeypatch.chdir(root)  # `touch MARKER` would land here if os.system or Popen ran
    result = lint(root, Settings(target="pipeline"))
    assert not result.internal_errors
    assert {d.code for d in result.diagnostics} == {"PL002", "PL102"}
    proc = subprocess.run([sys.executable, "-m", "pipelint", "--no-cache", "--fix", str(root)], capture_output=True,
                          text=True, timeout=120, cwd=root)
    assert proc.returncode == 1, proc.stderr
    assert not (root / TAG_MARKER).exists()
    # the tags stay what they are in the node graph: text, not Python objects
    build = result.project.cog_get("build")[1]
    assert build.tag == "tag:yaml.org,2002:python/object/apply:os.system"
    assert [item.value for item in build.value] == [f"touch {TAG_MARKER}"]


# ---- never reads outside the model folder --------------------------------------------------

def _outside_models(tmp_path: Path) -> dict[str, Path]:
    """Models that point outside themselves in every way cog.yaml, a symlink or an import can."""
    secret = tmp_path / "secret.py"
    secret.write_text("import torch\n\n\ndef run(prompt) -> None:\n    return None\n")
    (tmp_path / "secret.txt").write_text("torch==2.0\n")
    models = {"predict_parent": copy_fixture("predict_outside_the_folder", tmp_path) / "model"}
    (models["predict_parent"].parent / "secret.py").write_text(secret.read_text())
    base = {"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\n-r ../secret.txt\n",
            "main.py": "import secret\nimport helpers\n\n\ndef run(prompt: str) -> str:\n    return prompt\n"}
    link = write_model(tmp_path / "symlinked", {"cog.yaml": 'build:\n  python_requirements: ../secret.txt\npredict: "main.py:run"\n',
                                                "main.py": "def run(prompt: str) -> str:\n    return prompt\n"})
    (link / "main.py").unlink()
    os.symlink(secret, link / "main.py")
    models["main_py_symlinked_outside"] = link
    imports = write_model(tmp_path / "imports", {"cog.yaml": 'predict: "main.py:run"\n', **base})
    os.symlink(secret, imports / "secret.py")
    os.symlink(tmp_path, imports / "helpers")
    models["imports_symlinked_outside"] = imports
    absolute = write_model(tmp_path / "absolute", {"cog.yaml": f'predict: "{secret}:run"\n', **base})
    models["predict_absolute"] = absolute
    return models


def test_nothing_outside_the_model_folder_is_read_in_process(tmp_path):
    for name, root in _outside_models(tmp_path).items():
        result = lint(root, Settings(target="pipeline"))
        assert not result.internal_errors, name
        root = result.root
        read = [f.path for f in result.project.files_read]
        assert all(p.is_relative_to(root) for p in read), (name, read)
        located = [d for d in result.diagnostics if not d.path.resolve().is_relative_to(root)]
        assert located == [], (name, [(d.code, str(d.path)) for d in located])
        assert not any("torch" in d.message for d in result.diagnostics), name


# ---- the whole CLI under an audit hook -----------------------------------------------------

AUDIT = r'''
import atexit, json, os, runpy, sys

records = {"network": [], "processes": [], "exec": [], "opened": [], "written": []}
SPAWN = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "pty.spawn")

def hook(event, args):
    if records.get("done"):
        return
    if event.startswith(("socket.", "http.client.", "urllib.Request", "ftplib.", "smtplib.", "webbrowser.")):
        records["network"].append(f"{event} {args!r}"[:300])
    elif event in SPAWN:
        records["processes"].append(f"{event} {args!r}"[:300])
    elif event == "exec":
        code = args[0]
        records["exec"].append(getattr(code, "co_filename", repr(code)))
    elif event == "open":
        path, mode, flags = (list(args) + [None, None])[:3]
        if isinstance(path, (str, bytes)):
            path = os.fsdecode(path)
            records["opened"].append(os.path.abspath(path))
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
            if writing:
                records["written"].append(os.path.abspath(path))

def dump():
    records["done"] = True  # the hook's own report is not the run's doing
    records["modules"] = [getattr(m, "__file__", None) for m in list(sys.modules.values())]
    with open(os.environ["PIPELINT_AUDIT_OUT"], "w") as fh:
        json.dump(records, fh)

atexit.register(dump)
sys.addaudithook(hook)
sys.argv = ["pipelint", *sys.argv[1:]]
runpy.run_module("pipelint", run_name="__main__", alter_sys=True)
'''


def run_audited(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    script = tmp_path / "audited.py"
    script.write_text(AUDIT)
    out = tmp_path / "audit.json"
    env = {**os.environ, "PIPELINT_AUDIT_OUT": str(out), "NO_COLOR": "1", "PIPELINT_JOBS": "1",
           "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=180,
                          env=env, cwd=tmp_path)
    assert out.exists(), proc.stderr
    return proc, json.loads(out.read_text())


def test_the_cli_opens_no_socket_starts_no_process_and_runs_no_model_code(tmp_path):
    models = _outside_models(tmp_path)
    marker_model = copy_fixture("code_with_import_side_effects", tmp_path)
    tags_model = copy_fixture("python_object_tags_cog_yaml", tmp_path)
    example = Path(shutil.copytree(FIXTURES / "examples" / "flux-caption", tmp_path / "flux-caption")).resolve()
    roots = [*models.values(), marker_model, tags_model, example]
    proc, audit = run_audited(tmp_path, "--no-cache", "--output-format", "json", *map(str, roots))
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout), "the run reported nothing"

    assert audit["network"] == [], audit["network"]
    assert audit["processes"] == [], audit["processes"]
    model_code = (*(str(r.resolve()) for r in roots), str(tmp_path / "secret.py"))
    assert [f for f in audit["exec"] if f.startswith(model_code)] == [], "code from a model folder was executed"
    assert [f for f in audit["modules"] if f and f.startswith(model_code)] == [], "a model module was imported"
    assert not (marker_model / MARKER).exists() and not (tags_model / TAG_MARKER).exists()

    opened = {Path(p).resolve() for p in audit["opened"]}
    assert (example / "main.py") in opened, "the audit hook saw no reads: it is not working"
    for secret in (tmp_path / "secret.py", tmp_path / "secret.txt", models["predict_parent"].parent / "secret.py"):
        assert secret.resolve() not in opened, f"{secret} lies outside every model folder and was read"
    written = [p for p in audit["written"] if p.startswith(str(tmp_path.resolve()))]
    assert written == [], f"a lint without --fix wrote {written}"


def test_the_audit_hook_would_see_a_network_call(tmp_path):
    """The hook is real: a run that does open a socket is recorded (so the test above can fail)."""
    script = tmp_path / "audited.py"
    script.write_text(AUDIT.replace('runpy.run_module("pipelint", run_name="__main__", alter_sys=True)',
                                    "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\n"
                                    "except OSError:\n    pass\nimport subprocess\nsubprocess.run(['true'])"))
    out = tmp_path / "audit.json"
    subprocess.run([sys.executable, str(script)], env={**os.environ, "PIPELINT_AUDIT_OUT": str(out)}, timeout=60,
                   cwd=REPO)
    audit = json.loads(out.read_text())
    assert any(r.startswith("socket.connect") for r in audit["network"])
    assert any(r.startswith("subprocess.Popen") for r in audit["processes"])


@pytest.mark.parametrize("fixture", ["code_with_import_side_effects", "python_object_tags_cog_yaml"])
def test_fix_writes_only_inside_the_model_folder(tmp_path, fixture):
    root = copy_fixture(fixture, tmp_path)
    proc, audit = run_audited(tmp_path, "--no-cache", "--fix", "--unsafe-fixes", str(root))
    assert proc.returncode in (0, 1), proc.stderr
    assert audit["network"] == [] and audit["processes"] == []
    outside = [p for p in audit["written"] if not Path(p).resolve().is_relative_to(root) and not p.startswith("/dev/")]
    assert outside == [], outside
