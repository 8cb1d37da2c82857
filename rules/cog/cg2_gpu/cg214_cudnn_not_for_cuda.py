"""CG214 cudnn-not-for-cuda: `build.cudnn` that no base image of that CUDA provides."""

from __future__ import annotations

from pipelint.analysis import cog_frameworks as fw
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule
from pipelint.model import cog_data

RUN = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"


def model(cudnn: str, cuda: str | None = "12.4", gpu: str = "true") -> dict:
    cuda_line = f'  cuda: "{cuda}"\n' if cuda else ""
    yaml = (f'build:\n  python_version: "3.11"\n  gpu: {gpu}\n{cuda_line}  cudnn: "{cudnn}"\n'
            '  python_requirements: requirements.txt\nrun: "run.py:Runner"\n')
    return {"cog.yaml": yaml, "run.py": RUN, "requirements.txt": "torch==2.5.1\n", "main.py": None}


class CudnnNotForCuda(Rule):
    """`build.cudnn` names a cuDNN that no cog base image offers with the model's CUDA.

    ## What it does
    Looks `build.cudnn` up among the base images of `build.cuda` (or, when `cuda` is not set, of the
    CUDA cog derives from the torch pin). Up to cog 0.21 cog compares the CUDA string *exactly* with
    the images' (`12.1` finds no cuDNN: the images say `12.1.1`); from 0.22 it matches major.minor.

    ## Why is this bad?
    `cog build` stops: `CUDA 12.4 is incompatible with CuDNN 8: compatible CuDNN versions are: 9`
    (or `no matching base image for CUDA … and CuDNN …` when `cuda` was derived).

    ## Example
    ```yaml
    build:
      gpu: true
      cuda: "12.4"
      cudnn: "8"
    ```

    ## Use instead
    ```yaml
    build:
      gpu: true
      cuda: "12.4"
    ```
    """

    code = "CG214"
    name = "cudnn-not-for-cuda"
    severity = Severity.ERROR
    targets = ("cog",)
    files = ("cog.yaml", "requirements.txt")

    def check(self) -> None:
        p = self.project
        found = fw.build_value(p, "cudnn")
        if p.cog_root is None or not fw.gpu(p) or found is None:
            return
        version, cudnn = fw.cog_version(p), found[2]
        set_cuda = fw.build_value(p, "cuda")
        cuda = fw.resolved_cuda(p, version)
        if cuda is None or fw.cuda_shape_problem(cuda) or cog_data.cuda_has_base_image(version, cuda) is not True:
            return  # CG211 / CG213 report why there is no CUDA to look cuDNN up for
        if set_cuda is not None:
            compatible = cog_data.cudnn_for_cuda(version, cuda)
            if cudnn in compatible:
                return
            if compatible:
                msg = (f"`CUDA {cuda} is incompatible with CuDNN {cudnn}: compatible CuDNN versions are: "
                       f"{', '.join(compatible)}`")
                help_ = f'set `cudnn: "{compatible[-1]}"`, or remove `cudnn` (cog picks the newest)'
            else:
                exact = sorted({i["cuda"] for i in cog_data.base_images(version) if fw.same_minor(i["cuda"], cuda)},
                               key=fw.version_key)
                msg = (f"cog {version} compares `cuda` with its base images exactly and finds no cuDNN for "
                       f"{cuda}: `the specified CUDA version {cuda} is not compatible with CuDNN {cudnn}`")
                help_ = (f'write the full CUDA (`cuda: "{exact[-1]}"`) or remove `cudnn`' if exact
                         else "remove `cudnn`")
        else:
            compatible = cog_data.base_image_cudnns(version, cuda)
            if cudnn in compatible:
                return
            msg = (f"cog derives CUDA {cuda} and stops with `no matching base image for CUDA {cuda} and "
                   f"CuDNN {cudnn}`" + (f": CUDA {cuda} has cuDNN {', '.join(compatible)}" if compatible else ""))
            help_ = "remove `cudnn` (cog picks the newest for the CUDA)"
        self.report_yaml(found[1], msg, help=help_)

    VALID = [
        Case(model("9")),
        Case(model("8", gpu="false")),
        Case(model("9", cuda=None)),
    ]
    INVALID = [
        Case(model("8"), expect=[("cog.yaml", 5, 10, 5, 13, "CUDA 12.4 is incompatible with CuDNN 8")]),
        Case(model("8", cuda=None), expect=[("cog.yaml", 4, 10, 4, 13, "no matching base image for CUDA 12.4 and CuDNN 8")]),
    ]
