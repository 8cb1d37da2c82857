"""CG210 torch-version-required: `gpu: true` with a `torch` requirement that names no version."""

from __future__ import annotations

from pipelint.analysis import cog_frameworks as fw
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule
from pipelint.model import cog_data

GPU_YAML = 'build:\n  python_version: "3.11"\n  gpu: true\n  python_requirements: requirements.txt\nrun: "run.py:Runner"\n'
RUN = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"


def model(requirements: str, cog_yaml: str = GPU_YAML) -> dict:
    return {"cog.yaml": cog_yaml, "run.py": RUN, "requirements.txt": requirements, "main.py": None}


class TorchVersionRequired(Rule):
    """A GPU model whose `torch` requirement names no version, or a range cog resolves CUDA from its
    first version while pip installs a newer torch.

    ## What it does
    With `gpu: true`, cog picks the CUDA base image from the torch requirement. A bare `torch`
    (no version at all) stops cog: `torch version must be specified when using CUDA` (error).
    A range such as `torch>=2.4` passes cog, which picks CUDA from the *first* version written
    (2.4) while pip installs the newest torch the range admits; when that torch is not built for
    the chosen CUDA a warning is reported.

    ## Why is this bad?
    The bare requirement fails every `cog build`/`cog push`. The range builds an image whose CUDA
    may not match the installed torch, which can fail on the GPU.

    ## Example
    ```text
    torch
    ```

    ## Use instead
    ```text
    torch==2.5.1
    ```
    """

    code = "CG210"
    name = "torch-version-required"
    severity = Severity.ERROR
    targets = ("cog",)
    cog_versions = ">=0.16.10"
    files = ("cog.yaml", "requirements.txt")

    def check(self) -> None:
        p = self.project
        if p.cog_root is None or not fw.gpu(p):
            return
        pin = fw.cog_pin(p, "torch")
        if pin is None:
            return
        version = fw.cog_version(p)
        known = cog_data.torch_versions_in_matrix(version)
        if not pin.cog_version:
            newest = known[-1] if known else None
            self.report_at(pin.path or p.cog_file.path, *pin.span(),
                           f"`{pin.text}` names no version: with `gpu: true` cog stops with "
                           "`torch version must be specified when using CUDA`",
                           help=f"pin the torch you test with, e.g. `torch=={newest}`" if newest else "pin torch")
            return
        self._range(pin, version)

    def _range(self, pin, version: str) -> None:
        p = self.project
        if fw.build_value(p, "cuda") is not None or fw.cog_pin(p, "tensorflow") is not None:
            return  # a set cuda is judged by CG212; TensorFlow decides the CUDA then
        cudas = fw.torch_cudas(version, pin.cog_version)
        if not cudas or "+" in pin.cog_version:
            return
        chosen = cudas[-1]
        python = fw.python_minor(p)
        candidates = [r for r in fw.admitted(pin.requirement, fw.torch_known_releases(version))
                      if python is None or cog_data.torch_has_wheel("torch", r, python) is not False]
        if not candidates:
            return
        newest = candidates[-1]
        built = cog_data.cuda_for_torch(version, newest)
        if any(fw.same_minor(c, chosen) for c in built):
            return
        what = f"built for CUDA {', '.join(built)}" if built else f"for which cog {version} knows no CUDA"
        self.report_at(pin.path or p.cog_file.path, *pin.span(),
                       f"`{pin.text}` passes cog, which picks CUDA {chosen} for torch {pin.cog_version}, "
                       f"but pip may install torch {newest}, {what}",
                       help="pin one torch release (`torch==X`) or set `build.cuda`",
                       severity=Severity.WARNING)

    VALID = [
        Case(model("torch==2.5.1\n")),
        Case(model("torch>=2.4,<2.5\n")),
        Case(model("torch\n", GPU_YAML.replace("gpu: true", "gpu: false"))),
        Case(model("numpy\n")),
        Case(model("torch[opt]\n")),  # cog reads `torch[opt]` as another package
    ]
    # The range warning (`torch>=2.4`) is exercised by fixtures/cog/gpu/torch_range_cuda_drift.
    INVALID = [
        Case(model("numpy==2.1.3\ntorch\n"),
             expect=[("requirements.txt", 2, 1, 2, 6, "torch version must be specified when using CUDA")]),
        Case({"cog.yaml": 'build:\n  python_version: "3.11"\n  gpu: true\n  python_packages:\n    - "torch"\n'
                          'run: "run.py:Runner"\n', "run.py": RUN, "main.py": None, "requirements.txt": None},
             expect=[("cog.yaml", 5, 7, 5, 14, "names no version")]),
    ]
