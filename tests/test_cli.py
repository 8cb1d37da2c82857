"""The command line on real model folders: exit codes, formats, and no tracebacks on bad input."""

from __future__ import annotations

import json

from conftest import FIXTURES, REPO, run_cli, write_model

from pipelint import __version__

VALID = FIXTURES / "examples" / "flux-caption"
# A pipeline: it calls another model through replicate.use().
MAIN = "import replicate\n\nflux = replicate.use(\"black-forest-labs/flux-schnell\")\n\n\ndef run(prompt: str) -> str:\n    return str(flux(prompt=prompt))\n"
REQ = "replicate>=1.1.0b1,<2.0.0a1\n"


def test_version():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"pipelint {__version__}"


def test_valid_model_exits_zero_with_only_the_summary():
    proc = run_cli(str(VALID))
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.strip() == "All checks passed!"


def test_invalid_model_exits_one():
    proc = run_cli(str(FIXTURES / "cog_yaml" / "gpu_template_everything_wrong"))
    assert proc.returncode == 1
    assert "PL106" in proc.stdout and "help:" in proc.stdout and "^^^" in proc.stdout


def test_json_reports_gpu_in_flow_style_at_the_key(tmp_path):
    root = write_model(tmp_path / "m", {"cog.yaml": 'build: {gpu: true}\npredict: "main.py:run"\n',
                                       "main.py": MAIN, "requirements.txt": REQ})
    proc = run_cli("--output-format", "json", "--select", "PL1", str(root))
    assert proc.returncode == 1
    (diag,) = json.loads(proc.stdout)
    assert diag["code"] == "PL106"
    assert diag["location"] == {"row": 1, "column": 9}
    assert diag["end_location"] == {"row": 1, "column": 12}
    assert diag["filename"].endswith("cog.yaml")
    assert diag["severity"] == "error" and diag["help"] and diag["url"].endswith("PL106.md")
    assert diag["fix"]["applicability"] == "safe"
    assert diag["fix"]["edits"][0]["content"] == "false"


def test_json_run_key_only_is_pl101(tmp_path):
    root = write_model(tmp_path / "m", {"cog.yaml": 'run: "main.py:run"\n', "main.py": MAIN, "requirements.txt": REQ})
    proc = run_cli("--output-format", "json", str(root))
    codes = [d["code"] for d in json.loads(proc.stdout)]
    assert "PL101" in codes


def test_json_missing_function_is_pl104(tmp_path):
    root = write_model(tmp_path / "m", {"cog.yaml": 'predict: "main.py:predict"\n', "main.py": MAIN,
                                       "requirements.txt": REQ})
    proc = run_cli("--output-format", "json", str(root))
    (diag,) = [d for d in json.loads(proc.stdout) if d["code"] == "PL104"]
    assert diag["location"] == {"row": 1, "column": 10}
    assert diag["help"] == 'did you mean `predict: "main.py:run"`?'


def test_bad_inputs_never_traceback(tmp_path):
    cases = {
        "invalid_yaml": {"cog.yaml": "predict: [main.py\n", "main.py": MAIN, "requirements.txt": REQ},
        "binary_main": {"cog.yaml": 'predict: "main.py:run"\n', "main.py": b"\x00\x01\x02\xff", "requirements.txt": REQ},
        "missing_requirements": {"cog.yaml": 'build:\n  python_requirements: requirements.txt\npredict: "main.py:run"\n',
                                 "main.py": MAIN},
    }
    expected = {"invalid_yaml": "PL002", "binary_main": "PL003", "missing_requirements": "PL113"}
    for name, files in cases.items():
        root = write_model(tmp_path / name, files)
        proc = run_cli("--output-format", "concise", str(root))
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode == 1, (name, proc.stdout, proc.stderr)
        assert expected[name] in proc.stdout, (name, proc.stdout)


def test_empty_folder_is_pl004(tmp_path):
    (tmp_path / "empty").mkdir()
    proc = run_cli("--output-format", "concise", str(tmp_path / "empty"))
    assert proc.returncode == 1 and "PL004" in proc.stdout and "Traceback" not in proc.stderr


def test_missing_path_is_a_usage_error(tmp_path):
    proc = run_cli(str(tmp_path / "nope"))
    assert proc.returncode == 2 and "no such file" in proc.stderr


def test_unknown_selector_suggests_a_code():
    proc = run_cli("--select", "PL10O", str(VALID))
    assert proc.returncode == 2 and "did you mean" in proc.stderr


def test_each_model_linted_once_even_if_named_twice(tmp_path):
    root = write_model(tmp_path / "m", {"cog.yaml": 'build: {gpu: true}\npredict: "main.py:run"\n',
                                       "main.py": MAIN, "requirements.txt": REQ})
    proc = run_cli("--output-format", "json", "--select", "PL106", str(root), str(root / "main.py"), str(tmp_path))
    assert [d["code"] for d in json.loads(proc.stdout)] == ["PL106"]


def test_tree_of_models_skips_venvs_gitignored_and_node_modules(tmp_path):
    bad = {"cog.yaml": 'build: {gpu: true}\npredict: "main.py:run"\n', "main.py": MAIN, "requirements.txt": REQ}
    write_model(tmp_path / "models" / "a", bad)
    write_model(tmp_path / "models" / "deep" / "er" / "b", bad)
    write_model(tmp_path / "node_modules" / "c", bad)
    write_model(tmp_path / ".venv" / "d", bad)
    write_model(tmp_path / "ignored" / "e", bad)
    (tmp_path / ".gitignore").write_text("ignored/\n")
    proc = run_cli("--output-format", "json", "--select", "PL106", str(tmp_path))
    files = sorted(d["filename"] for d in json.loads(proc.stdout))
    assert [f.split("/")[-2] for f in files] == ["a", "b"]


def test_exit_zero_and_quiet():
    bad = FIXTURES / "cog_yaml" / "gpu_flow_style"
    proc = run_cli("--exit-zero", "-q", "--output-format", "concise", str(bad))
    assert proc.returncode == 0 and "Found" not in proc.stdout and "PL106" in proc.stdout


def test_python_m_and_console_script_agree():
    import shutil
    import subprocess
    import sys

    exe = shutil.which("pipelint", path=str(REPO.parent)) or str(__import__("pathlib").Path(sys.executable).parent / "pipelint")
    proc = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == f"pipelint {__version__}"
