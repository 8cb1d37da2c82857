"""ruff's habits, as users reach for them, through the real CLI (``python -m pipelint``) on real
model folders: stdin buffers, --watch, --show-settings, --add-noqa, -V, --select by name,
``pipelint rule PREFIX``, ``[*]`` marks, the fix hint, --help, the no-model warning,
``output-format`` in the configuration, SARIF suppressions, --fix-only / --exit-non-zero-on-fix.

Each behaviour has one subprocess test; variations of its logic run in process (``cli``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, run_cli, write_model

from pipelint.core.meta import version

REQ = "replicate>=1.1.0b1,<2.0.0a1\n"
COG = 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\npredict: "main.py:run"\n'
GPU_COG = 'build:\n  gpu: true\n  python_version: "3.13"\n  python_requirements: requirements.txt\npredict: "main.py:run"\n'
PIPELINE = 'import replicate\n\nflux = replicate.use("black-forest-labs/flux-schnell")\n\n\n'  # what makes a folder a pipeline
MAIN = PIPELINE + "def run(prompt: str) -> str:\n    return prompt\n"
TORCH_MAIN = "import torch\n" + PIPELINE + "def run(prompt: str) -> str:\n    return prompt + str(torch.ones(1))\n"


def stdin_cli(*args: str, text: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelint", *args], input=text, cwd=cwd,
                          env={**os.environ, "NO_COLOR": "1"}, capture_output=True, text=True, timeout=120)


# ---- --stdin-filename ------------------------------------------------------------------------
def test_stdin_buffer_is_linted_as_that_file_of_its_model(tmp_path):
    model = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": MAIN})
    buffer = "import torch\n" + PIPELINE + "def run(prompt: str) -> None:\n    return None\n"  # unsaved: not on disk
    proc = stdin_cli("--no-cache", "--output-format", "json", "--stdin-filename", str(model / "main.py"), "-",
                     text=buffer)
    assert proc.returncode == 1, proc.stderr
    found = json.loads(proc.stdout)
    assert {d["code"] for d in found} == {"PL201", "PL304"}
    assert {d["filename"] for d in found} == {str(model / "main.py")}
    assert (model / "main.py").read_text() == MAIN  # nothing written


def test_stdin_with_fix_prints_the_fixed_text_and_writes_nothing(tmp_path):
    model = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": MAIN})
    proc = stdin_cli("--fix", "--stdin-filename", "m/cog.yaml", "-", text=GPU_COG, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == GPU_COG.replace("gpu: true", "gpu: false")
    assert "Fixed 1 issue" in proc.stderr
    assert (model / "cog.yaml").read_text() == COG
    # A buffer in no model folder comes back unchanged, with a warning.
    proc = stdin_cli("--fix", "--stdin-filename", str(tmp_path / "loose.py"), "-", text="x = 1\n")
    assert proc.returncode == 0 and proc.stdout == "x = 1\n" and "no model folder" in proc.stderr


def test_stdin_fix_leaves_out_fixes_that_edit_another_file(tmp_path, monkeypatch, capsys):
    """The PL204 fix of a cog.yaml buffer would create requirements.txt: not the buffer, left out."""
    import io

    from pipelint.app.cli import main

    model = write_model(tmp_path / "m", {"cog.yaml": GPU_COG.replace("  python_requirements: requirements.txt\n", ""),
                                         "main.py": MAIN})
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((model / "cog.yaml").read_bytes())))
    assert main(["--fix", "--stdin-filename", str(model / "cog.yaml"), "-"]) == 1  # PL204 remains
    out, err = capsys.readouterr()
    assert "gpu: false" in out and "PL204" in err
    assert not (model / "requirements.txt").exists()


def test_dash_without_stdin_filename_is_a_usage_error(cli):
    proc = cli("-")
    assert proc.returncode == 2 and "--stdin-filename" in proc.stderr


# ---- --watch -----------------------------------------------------------------------------------
def _reader(stream, sink: list[str]) -> None:
    for line in iter(stream.readline, ""):
        sink.append(line)


def _wait_for(lines: list[str], needle: str, count: int, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if sum(needle in line for line in list(lines)) >= count:
            return True
        time.sleep(0.05)
    return False


def test_watch_lints_again_when_a_file_changes(tmp_path):
    pytest.importorskip("watchfiles")
    model = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": MAIN})
    proc = subprocess.Popen([sys.executable, "-u", "-m", "pipelint", "--watch", "--no-cache", "--output-format",
                             "concise", str(model)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "NO_COLOR": "1"})
    lines: list[str] = []
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
    try:
        assert _wait_for(lines, "All checks passed!", 1, 60), "".join(lines)
        time.sleep(0.5)  # let the watcher start before the change
        (model / "cog.yaml").write_text(GPU_COG)
        assert _wait_for(lines, "PL106", 1, 60), "".join(lines)
        assert any("File change detected (cog.yaml)" in line for line in lines)
        (model / "cog.yaml").write_text(COG)
        assert _wait_for(lines, "All checks passed!", 2, 60), "".join(lines)
        assert proc.poll() is None  # still watching
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_watch_without_watchfiles_names_the_install_command():
    code = ("import sys; sys.modules['watchfiles'] = None\n"
            "from pipelint.app.cli import main; raise SystemExit(main(['--watch', '.']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 2
    assert "-m pip install" in done.stderr and "watch" in done.stderr


# ---- --show-settings -------------------------------------------------------------------------
def test_show_settings_names_the_file_and_the_resolved_values(tmp_path):
    model = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": MAIN})
    (tmp_path / "pipelint.toml").write_text('select = ["PL1", "python-version"]\nignore = ["PL114"]\n'
                                            'docs-url = "https://docs.example.org/rules"\noutput-format = "concise"\n')
    proc = run_cli("--show-settings", "--extend-select", "PL201", str(model / "main.py"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"# Settings file: {tmp_path / 'pipelint.toml'}" in out
    assert f"# Model folder: {model}" in out
    enabled = json.loads(next(x for x in out.splitlines() if x.startswith("enabled-rules = ")).split(" = ", 1)[1]
                         .split("  #")[0])
    assert "PL106" in enabled and "PL201" in enabled and "PL114" not in enabled and "PL301" not in enabled
    assert 'docs-url = "https://docs.example.org/rules/"' in out
    assert 'output-format = "concise"' in out
    assert f'cache-dir = "{tmp_path / ".pipelint_cache"}"' in out


# ---- --add-noqa ------------------------------------------------------------------------------
NOQA_MODEL = {
    "cog.yaml": 'build:\n  gpu: true  # from the GPU template\n  python_version: "3.13"\n'
                '  python_requirements: requirements.txt\npredict: "main.py:run"\n',
    "requirements.txt": REQ + "torch==2.3.0 \\\n  --hash=sha256:0000\n",
    "main.py": ('import os\nimport torch  # noqa: F401\nimport imp, tensorflow  # pipelint: ignore[PL207]\n\nNOTE = """a string\nover lines"""\n\n\n'
                + PIPELINE + "def run(prompt: str) -> str:\n"
                "    key = os.environ[\n        'KEY'\n    ]\n"
                "    return prompt + key + str(torch.ones(1)) + \\\n        NOTE\n"),
}


def test_add_noqa_silences_every_finding_and_adds_nothing_twice(tmp_path):
    model = write_model(tmp_path / "m", NOQA_MODEL)
    before = run_cli("--no-cache", "--output-format", "json", str(model))
    found = {(d["code"], Path(d["filename"]).name) for d in json.loads(before.stdout)}
    assert {("PL106", "cog.yaml"), ("PL202", "requirements.txt"), ("PL201", "main.py"), ("PL601", "main.py")} <= found
    proc = run_cli("--add-noqa", str(model))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Added ") and "suppression comment" in proc.stdout
    main = (model / "main.py").read_text()
    assert "import torch  # noqa: F401  # pipelint: ignore[PL201]" in main  # after another tool's comment
    assert "import imp, tensorflow  # pipelint: ignore[PL201, PL207]" in main  # merged into the directive
    assert "key = os.environ[  # pipelint: ignore[PL601]" in main  # the statement's first line
    assert '"""a string\nover lines"""' in main  # never inside a string
    assert "  # from the GPU template  # pipelint: ignore[PL106]" in (model / "cog.yaml").read_text()
    reqs = (model / "requirements.txt").read_text()
    assert "--hash=sha256:0000  # pipelint: ignore[PL202]" in reqs  # the requirement's last line
    after = run_cli("--no-cache", "--output-format", "json", str(model))
    assert after.returncode == 0 and json.loads(after.stdout) == [], after.stdout  # no PL901 either
    again = run_cli("--add-noqa", str(model))
    assert again.returncode == 0 and again.stdout.strip() == "No suppression comments added."


# ---- -V, --help, selectors by name, pipelint rule PREFIX ------------------------------------------
def test_dash_v_is_the_version_from_pyproject():
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    pinned = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert version() == pinned
    for flag in ("-V", "--version"):
        proc = run_cli(flag)
        assert proc.returncode == 0 and proc.stdout == f"pipelint {pinned}\n"


def test_help_lists_the_subcommands():
    proc = run_cli("--help")
    assert proc.returncode == 0
    listed = [line.split()[0] for line in proc.stdout.split("commands:\n", 1)[1].split("\n\n", 1)[0].splitlines()
              if line.startswith("  ") and not line.startswith("   ")]
    assert listed == ["check", "rule", "lsp", "clean"]
    for command in listed[1:]:
        assert run_cli(command, "--help").returncode == 0


def test_select_and_ignore_by_rule_name(tmp_path, cli):
    bad = FIXTURES / "cog_yaml" / "gpu_template_everything_wrong"
    by_code = run_cli("--no-cache", "--output-format", "json", "--select", "PL106,PL111", str(bad))
    by_name = run_cli("--no-cache", "--output-format", "json", "--select", "gpu-enabled,python-version", str(bad))
    assert by_name.returncode == by_code.returncode == 1
    assert json.loads(by_name.stdout) == json.loads(by_code.stdout)
    assert {d["code"] for d in json.loads(by_name.stdout)} == {"PL106", "PL111"}
    ignored = cli("--no-cache", "--output-format", "json", "--select", "PL1", "--ignore", "gpu-enabled", str(bad))
    assert "PL106" not in {d["code"] for d in json.loads(ignored.stdout)}
    # In the configuration too.
    (tmp_path / "m").mkdir()
    model = write_model(tmp_path / "m", {"cog.yaml": GPU_COG, "requirements.txt": REQ, "main.py": TORCH_MAIN})
    (model / "pipelint.toml").write_text('ignore = ["gpu-enabled"]\n')
    assert {d["code"] for d in json.loads(cli("--no-cache", "--output-format", "json", str(model)).stdout)} == {"PL201"}
    unknown = cli("--select", "gpu-enabld", str(bad))
    assert unknown.returncode == 2 and "unknown rule selector" in unknown.stderr


def test_rule_prefix_lists_the_family_and_a_name_shows_the_page():
    proc = run_cli("rule", "PL5")
    assert proc.returncode == 0, proc.stderr
    listed = [line.split()[0] for line in proc.stdout.splitlines() if line.startswith("PL5") and ":" not in line[:4]]
    from pipelint.engine.registry import all_rules

    assert listed == [r.code for r in all_rules() if r.code.startswith("PL5")]
    assert proc.stdout.startswith("PL5: calling other models")
    page = run_cli("rule", "gpu-enabled")
    assert page.returncode == 0 and page.stdout == (REPO / "docs" / "rules" / "PL106.md").read_text()
    unknown = run_cli("rule", "PL8")
    assert unknown.returncode == 2 and "unknown rule" in unknown.stderr


# ---- [*] marks and the fix hint -----------------------------------------------------------------
def test_concise_marks_what_fix_would_fix_and_the_hint_names_the_command(tmp_path, cli):
    cog = GPU_COG.replace("  python_requirements", '  python_packages: ["requests==2.32.4"]\n  python_requirements')
    model = write_model(tmp_path / "m", {"cog.yaml": cog, "requirements.txt": REQ, "main.py": TORCH_MAIN})
    proc = run_cli("--no-cache", "--output-format", "concise", str(model))
    lines = {line.split(": ")[1].split(" [")[0]: line for line in proc.stdout.splitlines() if ": PL" in line}
    assert " PL106 [*] [error] " in lines["PL106"]  # safe fix
    assert " PL109 [error] " in lines["PL109"]  # unsafe fix: not applied by --fix
    assert " PL201 [error] " in lines["PL201"]  # no fix
    assert proc.stdout.splitlines()[-1] == "Found 3 errors (1 fixable with --fix; 1 more fixable with --fix --unsafe-fixes)."
    unsafe = cli("--no-cache", "--output-format", "concise", "--unsafe-fixes", str(model))
    assert " PL109 [*] [error] " in unsafe.stdout
    assert unsafe.stdout.splitlines()[-1] == "Found 3 errors (2 fixable with --fix)."


# ---- nothing to lint -------------------------------------------------------------------------------
def test_no_model_folder_is_a_warning_not_all_checks_passed(tmp_path, cli):
    write_model(tmp_path / "tools", {"build.py": "import torch\n"})
    proc = run_cli(str(tmp_path / "tools" / "build.py"))
    assert proc.returncode == 0
    assert "All checks passed" not in proc.stdout and proc.stdout == ""
    assert "warning: No model folder found" in proc.stderr
    # Every model folder excluded: nothing was checked either.
    write_model(tmp_path / "legacy" / "m", {"cog.yaml": GPU_COG, "requirements.txt": REQ, "main.py": MAIN})
    proc = cli("--no-cache", "--exclude", "legacy", str(tmp_path / "legacy"))
    assert proc.returncode == 0 and "No model folder found" in proc.stderr and "All checks passed" not in proc.stdout
    # A model that is checked and clean still says so.
    write_model(tmp_path / "ok", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": MAIN})
    proc = cli("--no-cache", str(tmp_path / "ok"))
    assert proc.stdout == "All checks passed!\n" and proc.stderr == ""


# ---- output-format in the configuration -------------------------------------------------------------
def test_output_format_from_the_configuration_and_the_flag_wins(tmp_path, cli):
    model = write_model(tmp_path / "m", {"cog.yaml": GPU_COG, "requirements.txt": REQ, "main.py": MAIN})
    (tmp_path / "pyproject.toml").write_text('[tool.pipelint]\noutput-format = "concise"\n')
    proc = run_cli("--no-cache", str(model), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == "m/cog.yaml:2:3: PL106 [*] [error] " + proc.stdout.splitlines()[0].split(
        " [error] ", 1)[1]
    assert json.loads(cli("--no-cache", "--output-format", "json", str(model), cwd=tmp_path).stdout)[0]["code"] == "PL106"
    (tmp_path / "pyproject.toml").write_text('[tool.pipelint]\noutput-format = "sarfi"\n')
    bad = cli("--no-cache", str(model), cwd=tmp_path)
    assert bad.returncode == 2 and "output-format" in bad.stderr and 'did you mean "sarif"' in bad.stderr


# ---- SARIF suppressions ---------------------------------------------------------------------------
def test_sarif_lists_suppressed_findings_with_their_suppression(tmp_path, cli):
    jsonschema = pytest.importorskip("jsonschema")
    model = write_model(tmp_path / "m", {
        "cog.yaml": GPU_COG.replace("gpu: true", "gpu: true  # pipelint: ignore[PL106]"),
        "requirements.txt": REQ, "main.py": TORCH_MAIN, "helpers.py": "import torch\n"})
    (tmp_path / "pipelint.toml").write_text('[per-file-ignores]\n"main.py" = ["PL201"]\n')
    cache = tmp_path / "cache"
    proc = run_cli("--output-format", "sarif", "--cache-dir", str(cache), str(model), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # everything reported is suppressed
    doc = json.loads(proc.stdout)
    schema = json.loads((REPO / "tests" / "data" / "sarif-2.1.0.json").read_text())
    jsonschema.validate(doc, schema)
    results = doc["runs"][0]["results"]
    silenced = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r["suppressions"]
                for r in results if "suppressions" in r}
    assert silenced[("PL106", "m/cog.yaml")] == [
        {"kind": "inSource", "justification": "`# pipelint: ignore[PL106]` (cog.yaml:2)"}]
    assert silenced[("PL201", "m/main.py")] == [{"kind": "external", "justification": "per-file-ignores in pipelint.toml"}]
    assert all("suppressions" in r for r in results)
    # Answered from the result cache: the same document.
    cached = cli("--output-format", "sarif", "--cache-dir", str(cache), str(model), cwd=tmp_path)
    assert json.loads(cached.stdout)["runs"][0]["results"] == results
    # Other formats do not show them.
    assert cli("--output-format", "json", "--no-cache", str(model), cwd=tmp_path).stdout == "[]\n"


# ---- --fix-only, --exit-non-zero-on-fix, created files --------------------------------------------
def test_exit_non_zero_on_fix_and_the_files_a_fix_created(tmp_path):
    model = write_model(tmp_path / "m", {"cog.yaml": GPU_COG.replace("  python_requirements: requirements.txt\n", ""),
                                         "main.py": MAIN})
    proc = run_cli("--fix", "--exit-non-zero-on-fix", str(model), cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Created m/requirements.txt (a new file: add it to your commit)" in proc.stderr
    assert "Changed m/cog.yaml" in proc.stderr
    assert proc.stdout.strip() == "Fixed 2 issues. No issues remain."
    assert (model / "requirements.txt").read_text() == REQ
    again = run_cli("--fix", "--exit-non-zero-on-fix", str(model), cwd=tmp_path)
    assert again.returncode == 0 and again.stderr == "" and again.stdout.strip() == "All checks passed!"


def test_fix_only_reports_what_it_fixed_and_not_what_remains(tmp_path, cli):
    model = write_model(tmp_path / "m", {"cog.yaml": GPU_COG, "requirements.txt": REQ, "main.py": TORCH_MAIN})
    proc = run_cli("--fix-only", str(model), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "Fixed 1 issue." and "PL201" not in proc.stdout + proc.stderr
    assert "gpu: false" in (model / "cog.yaml").read_text()
    nothing = cli("--fix-only", str(model), cwd=tmp_path)
    assert nothing.returncode == 0 and nothing.stdout.strip() == "No fixes applied."
    (model / "cog.yaml").write_text(GPU_COG)
    assert cli("--fix-only", "--exit-non-zero-on-fix", str(model), cwd=tmp_path).returncode == 1
