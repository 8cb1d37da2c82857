"""CG215 torch-no-wheel-for-python: a torch/torchvision/torchaudio pin with no wheel for `python_version`."""

from __future__ import annotations

from pipelint.analysis import cog_frameworks as fw
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule
from pipelint.model import cog_data

RUN = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"


def model(requirements: str, python: str = "3.13", gpu: str = "true") -> dict:
    yaml = (f'build:\n  python_version: "{python}"\n  gpu: {gpu}\n'
            '  python_requirements: requirements.txt\nrun: "run.py:Runner"\n')
    return {"cog.yaml": yaml, "run.py": RUN, "requirements.txt": requirements, "main.py": None}


class TorchNoWheelForPython(Rule):
    """A torch, torchvision or torchaudio requirement that admits no release with a Linux wheel for
    the model's `python_version`.

    ## What it does
    Checks every release the requirement admits (judged by `packaging`, not by spelling) against
    the Linux x86_64 wheels on PyPI for `build.python_version`. A requirement that may also admit a
    release newer than pipelint's data is not reported.

    ## Why is this bad?
    The `pip install` step of `cog build` fails: `No matching distribution found for torch==2.1.0`.
    Old torch releases have no wheels for new Pythons (torch 2.1 stops at 3.11).

    ## Example
    ```yaml
    build:
      python_version: "3.13"   # requirements.txt: torch==2.1.0
    ```

    ## Use instead
    ```yaml
    build:
      python_version: "3.11"
    ```
    """

    code = "CG215"
    name = "torch-no-wheel-for-python"
    severity = Severity.ERROR
    targets = ("cog",)
    files = ("cog.yaml", "requirements.txt")

    def check(self) -> None:
        p = self.project
        python = fw.python_minor(p)
        if p.cog_root is None or python is None:
            return
        version = fw.cog_version(p)
        for package in fw.TORCH_FAMILY:
            releases = list(cog_data.torch_releases(package))
            if not releases:
                continue
            for pin in fw.pip_pins(p, package):
                if not fw.marker_holds(pin.requirement, python):
                    continue
                self._judge(pin, package, releases, python, version)

    def _judge(self, pin, package: str, releases: list[str], python: str, version: str) -> None:
        admitted = fw.admitted(pin.requirement, releases)
        if not admitted or fw.admits_unknown_newer(pin.requirement, releases):
            return
        if any(cog_data.torch_has_wheel(package, r, python) is not False for r in admitted):
            return
        pythons = sorted({py for r in admitted for py in cog_data.torch_python_versions(package, r).pythons},
                         key=fw.version_key)
        first = next((r for r in releases if cog_data.torch_has_wheel(package, r, python)), None)
        shown = admitted[0] if len(admitted) == 1 else f"{admitted[0]} to {admitted[-1]}"
        have = f"{package} {shown} has wheels for Python {', '.join(pythons)}" if pythons else f"{package} {shown} has no Linux wheels"
        hints = []
        if pythons:
            hints.append(f'set `python_version: "{pythons[-1]}"`')
        if first:
            hints.append(f"require {package}>={first} (the first with a Python {python} wheel)")
        self.report_at(pin.path or self.project.cog_file.path, *pin.span(),
                       f"no {package} wheel for Python {python}: `pip install` stops with `No matching "
                       f"distribution found for {pin.text}`; {have}",
                       help=" or ".join(hints) or None)

    VALID = [
        Case(model("torch==2.5.1\n")),
        Case(model("torch==2.1.0\n", python="3.11")),
        Case(model("torch>=2.1\n")),
        Case(model('torch==2.1.0; python_version < "3.12"\ntorch==2.5.1; python_version >= "3.12"\n')),
    ]
    INVALID = [
        Case(model("torch==2.1.0\n"), expect=[("requirements.txt", 1, 1, 1, 13, "no torch wheel for Python 3.13")]),
        Case(model("torch>=2.0,<2.2\ntorchvision==0.16.0\n", python="3.12"),
             expect=[("requirements.txt", 1, 1, 1, 16, "no torch wheel for Python 3.12"),
                     ("requirements.txt", 2, 1, 2, 20, "no torchvision wheel for Python 3.12")]),
    ]
