"""CG212 cuda-not-for-torch: `build.cuda` is not a CUDA the torch pin was built for."""

from __future__ import annotations

from pipelint.analysis import cog_frameworks as fw
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule
from pipelint.model import cog_data

RUN = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"


def model(cuda: str, requirements: str = "torch==2.5.1\n", gpu: str = "true") -> dict:
    yaml = (f'build:\n  python_version: "3.11"\n  gpu: {gpu}\n  cuda: "{cuda}"\n'
            '  python_requirements: requirements.txt\nrun: "run.py:Runner"\n')
    return {"cog.yaml": yaml, "run.py": RUN, "requirements.txt": requirements, "main.py": None}


class CudaNotForTorch(Rule):
    """`build.cuda` is set to a CUDA that the pinned torch was not built for.

    ## What it does
    Compares `build.cuda` (major.minor, as cog does) with the CUDAs cog's matrix lists for every torch
    release the requirement admits (a `+cu121` local tag means that one build).

    ## Why is this bad?
    cog builds anyway and only warns `Cog doesn't know if CUDA … is compatible with PyTorch …`:
    the image's CUDA and torch's may not match, and the model can fail on the GPU.

    ## Example
    ```yaml
    build:
      gpu: true
      cuda: "12.8"   # requirements.txt: torch==2.5.1
    ```

    ## Use instead
    ```yaml
    build:
      gpu: true
      cuda: "12.4"
    ```
    """

    code = "CG212"
    name = "cuda-not-for-torch"
    severity = Severity.WARNING
    targets = ("cog",)
    files = ("cog.yaml", "requirements.txt")

    def check(self) -> None:
        p = self.project
        found = fw.build_value(p, "cuda")
        if p.cog_root is None or not fw.gpu(p) or found is None or fw.cog_pin(p, "tensorflow") is not None:
            return
        pin = fw.cog_pin(p, "torch")
        if pin is None or not pin.cog_version:
            return
        version, cuda = fw.cog_version(p), found[2]
        if "+" in pin.cog_version:
            releases = [pin.cog_version]
            built = list(fw.torch_cudas(version, pin.cog_version))
        else:
            releases = fw.admitted(pin.requirement, cog_data.torch_versions_in_matrix(version))
            built = sorted({c for r in releases for c in cog_data.cuda_for_torch(version, r)}, key=fw.version_key)
        if not built or any(fw.same_minor(c, cuda) for c in built):
            return
        shown = f"torch {releases[0]}" if len(releases) == 1 else f"`{pin.text}`"
        self.report_yaml(found[1], f"{shown} is built for CUDA {', '.join(built)}, not {cuda}: cog warns "
                                   f"`Cog doesn't know if CUDA {cuda} is compatible with PyTorch {pin.cog_version}`",
                         help=f'set `cuda: "{built[-1]}"`')

    VALID = [
        Case(model("12.4")),
        Case(model("12.4.1")),
        Case(model("12.8", gpu="false")),
        Case(model("12.1", "torch==2.5.1+cu121\n")),
        Case(model("12.8", "torch==2.15.0\n")),  # a torch cog's matrix does not know: nothing to compare
    ]
    INVALID = [
        Case(model("12.8"), expect=[("cog.yaml", 4, 9, 4, 15, "torch 2.5.1 is built for CUDA 11.8, 12.1, 12.4, not 12.8")]),
        Case(model("12.4", "torch==2.5.1+cu121\n"), expect=[("cog.yaml", 4, 9, 4, 15, "built for CUDA 12.1, not 12.4")]),
        Case(model("11.8", "torch>=2.8,<2.10\n"), expect=[("cog.yaml", 4, 9, 4, 15, "not 11.8")]),
    ]
