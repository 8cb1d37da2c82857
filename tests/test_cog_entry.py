"""The cog entry model (pipelint/analysis/cog_entry.py) on real model folders."""
from pathlib import Path

from pipelint.analysis.cog_entry import cog_entry
from pipelint.model.project import Project

YAML = 'build:\n  python_version: "3.12"\n  gpu: true\n{key}: "predict.py:{name}"\n'


def model(tmp_path: Path, src: str, key="run", name="Runner") -> Project:
    (tmp_path / "cog.yaml").write_text(YAML.format(key=key, name=name))
    (tmp_path / "predict.py").write_text(src)
    return Project(tmp_path)


def test_run_through_local_mixin_and_setup_weights(tmp_path):
    e = cog_entry(model(tmp_path, (
        "from cog import BaseRunner, Path\n"
        "class Mixin:\n    def run(self, image: Path, n: int = 1) -> Path: ...\n"
        "class Runner(Mixin, BaseRunner):\n    async def setup(self, weights=None): ...\n")))
    assert e.key == "run" and e.is_class and list(e.run_methods) == ["run"]
    assert [p.name for p in e.params] == ["image", "n"]
    assert e.has_setup_weights and e.is_async_setup and e.bases_known


def test_mixin_after_baserunner_is_not_consulted(tmp_path):
    e = cog_entry(model(tmp_path, (
        "from cog import BaseRunner\n"
        "class Mixin:\n    def run(self) -> str: ...\n"
        "class Runner(BaseRunner, Mixin):\n    pass\n")))
    assert e.run_methods == {} and e.function is None


def test_both_methods_and_concurrent(tmp_path):
    e = cog_entry(model(tmp_path, (
        "import cog\n"
        "class Runner(cog.BaseRunner):\n"
        "    @cog.concurrent(max=4)\n    async def run(self) -> str: ...\n"
        "    def predict(self) -> str: ...\n")))
    assert sorted(e.run_methods) == ["predict", "run"]
    assert e.concurrent is not None and e.is_async


def test_train_class_and_imported_base(tmp_path):
    e = cog_entry(model(tmp_path, (
        "from helpers import Base\n"
        "class Trainer(Base):\n    def train(self, steps: int = 10) -> str: ...\n"), key="train", name="Trainer"),
        "train")
    assert e.key == "train" and e.run_methods == {} and e.train_method is not None
    assert not e.bases_known and [p.name for p in e.params] == ["steps"]
