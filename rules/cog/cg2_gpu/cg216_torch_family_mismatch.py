"""CG216 torch-family-mismatch: torchvision/torchaudio pinned to a release that does not go with the torch pin."""

from __future__ import annotations

from pipelint.analysis import cog_frameworks as fw
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule
from pipelint.model import cog_data

RUN = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"


def model(requirements: str, gpu: str = "true") -> dict:
    yaml = (f'build:\n  python_version: "3.11"\n  gpu: {gpu}\n'
            '  python_requirements: requirements.txt\nrun: "run.py:Runner"\n')
    return {"cog.yaml": yaml, "run.py": RUN, "requirements.txt": requirements, "main.py": None}


class TorchFamilyMismatch(Rule):
    """torchvision or torchaudio pinned to a release that does not belong with the torch pin, or
    pinned while torch is not.

    ## What it does
    Each torchvision/torchaudio release requires one torch release (`Requires-Dist: torch==2.5.1`
    in its wheel metadata). The rule reports a pin none of whose releases goes with any torch
    release the torch requirement admits (both judged by the versions they admit), and a pin
    beside a torch requirement with no version, or no torch requirement at all.

    ## Why is this bad?
    pip cannot satisfy both exact pins (`ResolutionImpossible`), or it replaces the torch you
    pinned. Without a torch pin, a GPU build takes its CUDA from cog's default, not from the torch
    torchvision pulls in.

    ## Example
    ```text
    torch==2.4.0
    torchvision==0.20.1
    ```

    ## Use instead
    ```text
    torch==2.5.1
    torchvision==0.20.1
    ```
    """

    code = "CG216"
    name = "torch-family-mismatch"
    severity = Severity.WARNING
    targets = ("cog",)
    files = ("cog.yaml", "requirements.txt")

    def check(self) -> None:
        p = self.project
        if p.cog_root is None:
            return
        python = fw.python_minor(p)
        version = fw.cog_version(p)
        torches = [t for t in fw.pip_pins(p, "torch") if fw.marker_holds(t.requirement, python)]
        torch_releases = fw.torch_known_releases(version)
        for package in ("torchvision", "torchaudio"):
            releases = fw.torch_known_releases(version, package)
            for pin in fw.pip_pins(p, package):
                if not fw.marker_holds(pin.requirement, python):
                    continue
                mine = fw.admitted(pin.requirement, releases)
                if not mine or len(mine) > 1 and fw.admits_unknown_newer(pin.requirement, releases):
                    continue
                pairs = {r: cog_data.torch_pair(package, r) for r in mine}
                wanted = sorted({t for t in pairs.values() if t}, key=fw.version_key)
                if not wanted:
                    continue
                where = (pin.path or p.cog_file.path, *pin.span())
                if not torches or not any(t.requirement is not None and len(t.requirement.specifier) for t in torches):
                    self.report_at(*where, f"`{pin.text}` is pinned while torch is not: it belongs with torch "
                                          f"{' or '.join(wanted)}",
                                   help=f"pin `torch=={wanted[-1]}` beside it")
                    continue
                torch_ok = {r for t in torches for r in fw.admitted(t.requirement, torch_releases)}
                if any(t in torch_ok for t in wanted) or not torch_ok:
                    continue
                torch_text = next(t.text for t in torches if t.requirement is not None and len(t.requirement.specifier))
                self.report_at(*where, f"`{pin.text}` belongs with torch {' or '.join(wanted)}, which "
                                      f"`{torch_text}` does not admit: pip cannot install both as pinned",
                               help=f"pin `torch=={wanted[-1]}`, or the {package} release of your torch")

    VALID = [
        Case(model("torch==2.5.1\ntorchvision==0.20.1\ntorchaudio==2.5.1\n")),
        Case(model("torch>=2.5,<2.6\ntorchvision==0.20.1\n")),
        Case(model("torch==2.5.1\ntorchvision\n")),
    ]
    INVALID = [
        Case(model("torch==2.4.0\ntorchvision==0.20.1\n"),
             expect=[("requirements.txt", 2, 1, 2, 20, "belongs with torch 2.5.1")]),
        Case(model("torchaudio==2.5.1\n"),
             expect=[("requirements.txt", 1, 1, 1, 18, "is pinned while torch is not")]),
        Case(model("torch\ntorchvision==0.20.1\n", gpu="false"),
             expect=[("requirements.txt", 2, 1, 2, 20, "is pinned while torch is not")]),
    ]
