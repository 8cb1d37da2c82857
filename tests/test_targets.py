"""Which rule set judges a folder (pipeline or ordinary cog model), and saying so in every output."""

from __future__ import annotations

import json

from conftest import FIXTURES, run_cli, write_model

from pipelint.core.settings import Settings
from pipelint.engine.runner import lint

PIPELINE_MAIN = ('import replicate\n\nflux = replicate.use("black-forest-labs/flux-schnell")\n\n\n'
                 "def run(prompt: str) -> str:\n    return str(flux(prompt=prompt))\n")
COG_MODEL = {
    "cog.yaml": 'build:\n  gpu: true\n  cuda: "12.1"\n  python_version: "3.12"\npredict: "predict.py:Predictor"\n',
    "predict.py": "from cog import BasePredictor\n\n\nclass Predictor(BasePredictor):\n"
                  "    def predict(self, x: str) -> str:\n        return x\n",
}


def test_a_use_call_in_any_local_module_makes_a_pipeline(tmp_path):
    root = write_model(tmp_path / "m", {
        "cog.yaml": 'predict: "main.py:run"\n', "requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\n",
        "main.py": "from helpers import caption\n\n\ndef run(prompt: str) -> str:\n    return caption(prompt)\n",
        "helpers.py": PIPELINE_MAIN.replace("def run", "def caption"),
    })
    decision = lint(root).target
    assert (decision.target, decision.automatic) == ("pipeline", True)
    assert "helpers.py" in decision.reason


def test_a_gpu_predictor_is_an_ordinary_cog_model_and_gets_no_pipeline_rule(tmp_path):
    root = write_model(tmp_path / "m", COG_MODEL)
    result = lint(root)
    assert result.target.target == "cog" and "no `replicate.use()` call found" in result.target.reason
    assert not [d for d in result.diagnostics if d.code.startswith("PL")]
    # the same folder judged as a pipeline: gpu and cuda are pipeline errors
    forced = lint(root, Settings(target="pipeline"))
    assert forced.target.automatic is False and {"PL106", "PL107"} <= {d.code for d in forced.diagnostics}


def test_fix_never_makes_a_cog_model_cpu_only(tmp_path):
    root = write_model(tmp_path / "m", COG_MODEL)
    run_cli("--fix", "--unsafe-fixes", str(root))
    # The hardware stays; the only change is CG141's migration of the deprecated entry names.
    assert (root / "cog.yaml").read_text() == COG_MODEL["cog.yaml"].replace(
        'predict: "predict.py:Predictor"', 'run: "predict.py:Runner"')


def test_every_output_says_the_target(tmp_path):
    broken = write_model(tmp_path / "cogmodel", {**COG_MODEL, "predict.py": "class Predictor(:\n"})
    pipeline = FIXTURES / "cog_yaml" / "gpu_flow_style"
    full = run_cli("--no-cache", str(broken)).stdout
    assert "linted as an ordinary cog model: no `replicate.use()` call found" in full
    assert "--target" in full  # how to change it
    diags = json.loads(run_cli("--no-cache", "--output-format", "json", str(broken), str(pipeline)).stdout)
    assert {d["target"] for d in diags} == {"cog", "pipeline"}
    sarif = json.loads(run_cli("--no-cache", "--output-format", "sarif", str(broken)).stdout)
    assert {r["properties"]["target"] for r in sarif["runs"][0]["results"]} == {"cog"}
    stats = run_cli("--no-cache", "--statistics", str(broken), str(pipeline)).stdout
    assert "cog:\n" in stats and "pipeline:\n" in stats
    assert stats.index("cog:") < stats.index("PL001") < stats.index("pipeline:") < stats.index("PL106")


def test_the_cache_keeps_the_target(tmp_path):
    broken = write_model(tmp_path / "cogmodel", {**COG_MODEL, "predict.py": "class Predictor(:\n"})
    args = ("--cache-dir", str(tmp_path / "cache"), "--output-format", "json", str(broken))
    first, second = (json.loads(run_cli(*args).stdout) for _ in range(2))
    assert first == second and first[0]["target"] == "cog"


def test_cog_version_gates_and_is_checked(tmp_path):
    root = write_model(tmp_path / "m", COG_MODEL)
    proc = run_cli("--cog-version", "0.9", str(root))
    assert proc.returncode == 2 and "pipelint knows cog" in proc.stderr
    assert run_cli("--cog-version", "0.16", str(root)).returncode in (0, 1)


def test_the_readme_cog_commands_work(tmp_path):
    page = run_cli("rule", "CG110")
    assert page.returncode == 0 and "python_version" in page.stdout and "## " not in page.stdout[:3]
    root = write_model(tmp_path / "m", {**COG_MODEL, "requirements.txt": "torch\n",
                                        "cog.yaml": COG_MODEL["cog.yaml"].replace(
                                            'predict:', '  python_requirements: requirements.txt\npredict:'
                                        ).replace('  cuda: "12.1"\n', '')})
    only_gpu = json.loads(run_cli("--no-cache", "--output-format", "json", "--select", "CG2", str(root)).stdout)
    assert only_gpu and {d["code"][:3] for d in only_gpu} == {"CG2"}
    assert "CG210" in {d["code"] for d in only_gpu}
