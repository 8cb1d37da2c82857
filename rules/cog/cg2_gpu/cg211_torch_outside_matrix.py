"""CG211 torch-outside-matrix: `gpu: true`, a torch pin cog's matrix does not know, and no `cuda`."""

from __future__ import annotations

from pipelint.analysis import cog_frameworks as fw
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule
from pipelint.model import cog_data

GPU_YAML = 'build:\n  python_version: "3.11"\n  gpu: true\n  python_requirements: requirements.txt\nrun: "run.py:Runner"\n'
RUN = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"


def model(requirements: str, cog_yaml: str = GPU_YAML) -> dict:
    return {"cog.yaml": cog_yaml, "run.py": RUN, "requirements.txt": requirements, "main.py": None}


class TorchOutsideMatrix(Rule):
    """A GPU model pins a torch that the target cog's torch/CUDA matrix does not list, and sets no `cuda`.

    ## What it does
    cog derives the CUDA base image from the torch requirement (the first version written in it).
    When its matrix has no row for that torch and `build.cuda` is not set, cog stops:
    `cog doesn't know what CUDA version is compatible with torch==…`. The matrix depends on the
    cog version (`cog-version`): a torch newer than the target cog knows fails, and so does a
    typo such as `torch==2.51`.

    ## Why is this bad?
    `cog build` and `cog push` fail before anything is built.

    ## Example
    ```yaml
    build:
      gpu: true
      python_requirements: requirements.txt  # torch==2.15.0
    ```

    ## Use instead
    ```yaml
    build:
      gpu: true
      cuda: "12.8"
      python_requirements: requirements.txt  # torch==2.15.0
    ```
    """

    code = "CG211"
    name = "torch-outside-matrix"
    severity = Severity.ERROR
    targets = ("cog",)
    files = ("cog.yaml", "requirements.txt")

    def check(self) -> None:
        p = self.project
        if p.cog_root is None or not fw.gpu(p) or fw.build_value(p, "cuda") is not None:
            return
        if fw.cog_pin(p, "tensorflow") is not None:
            return  # cog resolves CUDA from TensorFlow first
        pin = fw.cog_pin(p, "torch")
        version = fw.cog_version(p)
        known = cog_data.torch_versions_in_matrix(version)
        if pin is None or not pin.cog_version or not known or fw.torch_cudas(version, pin.cog_version):
            return
        self.report_at(pin.path or p.cog_file.path, *pin.span(),
                       f"cog {version} stops with `cog doesn't know what CUDA version is compatible with "
                       f"torch=={pin.cog_version}`: its matrix lists torch {known[0]} to {known[-1]}",
                       help="pin a torch the matrix lists, or set `build.cuda` to the CUDA that torch is built for")

    VALID = [
        Case(model("torch==2.5.1\n")),
        Case(model("torch==2.15.0\n", GPU_YAML.replace("gpu: true", 'gpu: true\n  cuda: "12.8"'))),
        Case(model("torch==2.15.0\n", GPU_YAML.replace("gpu: true", "gpu: false"))),
    ]
    INVALID = [
        Case(model("torch==2.15.0\ntorchvision==0.30.0\n"),
             expect=[("requirements.txt", 1, 1, 1, 14, "compatible with torch==2.15.0")]),
        Case(model("numpy\ntorch>=1.0\n"),
             expect=[("requirements.txt", 2, 1, 2, 11, "torch==1.0")]),
    ]
