"""The cog.yaml build fixes (CG131, CG140, CG141, CG142) on whole models: line endings kept,
files created, and a second --fix run changes nothing."""

from __future__ import annotations

from conftest import write_model

from pipelint.core.settings import Settings
from pipelint.engine.fixer import fix_model, write_changes

PREDICT = ("from cog import BasePredictor\n\n\nclass Predictor(BasePredictor):\n"
           "    def predict(self, x: str) -> str:\n        return x\n")


def fix_twice(root, select, unsafe=False):
    settings = Settings(select=select, target="cog")
    first = fix_model(root, settings, unsafe=unsafe)
    assert not first.refused and not first.internal_errors
    assert write_changes(first) == []
    second = fix_model(root, settings, unsafe=unsafe)
    assert not second.changes, {str(p): c.after for p, c in second.changes.items()}
    return first


def test_python_packages_move_keeps_crlf_and_skips_existing_lines(tmp_path):
    root = write_model(tmp_path / "m", {
        "cog.yaml": b'build:\r\n  python_version: "3.11"\r\n  python_requirements: requirements.txt\r\n'
                    b'  python_packages:\r\n    - numpy\r\n    - torch==2.3.1\r\npredict: "predict.py:Predictor"\r\n',
        "requirements.txt": b"numpy\r\nscipy",
        "predict.py": PREDICT,
    }).resolve()
    fix_twice(root, ["CG140"])
    assert (root / "requirements.txt").read_bytes() == b"numpy\r\nscipy\r\ntorch==2.3.1\r\n"
    assert (root / "cog.yaml").read_bytes() == (b'build:\r\n  python_version: "3.11"\r\n  python_requirements: '
                                                 b'requirements.txt\r\npredict: "predict.py:Predictor"\r\n')


def test_python_packages_move_creates_requirements(tmp_path):
    root = write_model(tmp_path / "m", {
        "cog.yaml": 'build:\n  python_version: "3.11"\n  python_packages: ["torch==2.3.1", "pillow"]\n'
                    'predict: "predict.py:Predictor"\n',
        "predict.py": PREDICT,
    }).resolve()
    fix_twice(root, ["CG140"])
    assert (root / "requirements.txt").read_text() == "torch==2.3.1\npillow\n"
    assert "python_requirements: requirements.txt\n" in (root / "cog.yaml").read_text()


def test_split_run_and_migrate_names_together(tmp_path):
    root = write_model(tmp_path / "m", {
        "cog.yaml": 'build:\n  python_version: "3.11"\n  system_packages:\n    - libgl1-mesa-glx\n  run:\n'
                    '    - |\n      apt-get update && apt-get install -y libgl1-mesa-glx\n      echo "a: b"\n'
                    'predict: "predict.py:Predictor"\n',
        "predict.py": PREDICT,
    }).resolve()
    fix_twice(root, ["CG120", "CG131", "CG141"], unsafe=True)
    assert (root / "cog.yaml").read_text() == (
        'build:\n  python_version: "3.11"\n  system_packages:\n    - libgl1\n  run:\n'
        '    - apt-get update && apt-get install -y libgl1\n    - \'echo "a: b"\'\n'
        'run: "predict.py:Runner"\n')
    assert (root / "predict.py").read_text() == PREDICT.replace("BasePredictor", "BaseRunner").replace(
        "class Predictor", "class Runner").replace("def predict", "def run")
