"""CG213 cuda-without-base-image: `build.cuda` that no cog base image provides, or below CUDA 11."""

from __future__ import annotations

from pipelint.analysis import cog_frameworks as fw
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule
from pipelint.model import cog_data

RUN = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"


def model(cuda: str, gpu: str = "true") -> dict:
    yaml = (f'build:\n  python_version: "3.11"\n  gpu: {gpu}\n  cuda: "{cuda}"\n'
            '  python_requirements: requirements.txt\nrun: "run.py:Runner"\n')
    return {"cog.yaml": yaml, "run.py": RUN, "requirements.txt": "torch==2.5.1\n", "main.py": None}


class CudaWithoutBaseImage(Rule):
    """`build.cuda` names a CUDA that cog has no base image for, lacks a minor, or is below 11.

    ## What it does
    Checks `build.cuda` against cog's `nvidia/cuda` base images for the target cog version: cog
    matches major.minor, and the patch only when both sides give one, so `11.8` finds 11.8.0 but
    `11.8.2` and `12.7` find nothing. A CUDA without a minor or below 11 is refused for every build.

    ## Why is this bad?
    `cog build` stops: `CUDA 11.8.2 is not supported by Cog`, or
    `invalid build.cuda "10.2": minimum supported CUDA version is 11`.

    ## Example
    ```yaml
    build:
      gpu: true
      cuda: "11.8.2"
    ```

    ## Use instead
    ```yaml
    build:
      gpu: true
      cuda: "11.8"
    ```
    """

    code = "CG213"
    name = "cuda-without-base-image"
    severity = Severity.ERROR
    targets = ("cog",)
    files = ("cog.yaml",)

    def check(self) -> None:
        p = self.project
        found = fw.build_value(p, "cuda")
        if p.cog_root is None or found is None:
            return
        version, cuda = fw.cog_version(p), found[2]
        minimum = int(cog_data.config_limits(version).get("minimum_cuda_major", 11))
        problem = fw.cuda_shape_problem(cuda, minimum)
        if problem is not None:
            self.report_yaml(found[1], f'`invalid build.cuda "{cuda}": {problem}`', help='write major.minor, e.g. `cuda: "12.4"`')
            return
        if not fw.gpu(p) or cog_data.cuda_has_base_image(version, cuda) is not False:
            return
        same = [c for c in cog_data.base_image_cudas(version) if fw.same_minor(c, cuda)]
        if same:
            help_ = f'cog {version} has CUDA {", ".join(same)} for {".".join(cuda.split(".")[:2])}: write `cuda: "{".".join(cuda.split(".")[:2])}"`'
        else:
            minors = sorted({".".join(c.split(".")[:2]) for c in cog_data.base_image_cudas(version)}, key=fw.version_key)
            help_ = f"cog {version} has base images for CUDA {', '.join(minors)}"
        self.report_yaml(found[1], f"cog stops with `CUDA {cuda} is not supported by Cog`: no base image has it", help=help_)

    VALID = [Case(model("11.8")), Case(model("12.4.1")), Case(model("12.7", gpu="false"))]
    INVALID = [
        Case(model("11.8.2"), expect=[("cog.yaml", 4, 9, 4, 17, "CUDA 11.8.2 is not supported by Cog")]),
        Case(model("12.7"), expect=[("cog.yaml", 4, 9, 4, 15, "CUDA 12.7 is not supported by Cog")]),
        Case(model("10.2", gpu="false"), expect=[("cog.yaml", 4, 9, 4, 15, "minimum supported CUDA version is 11")]),
        Case(model("12"), expect=[("cog.yaml", 4, 9, 4, 13, "must include both major and minor")]),
    ]
