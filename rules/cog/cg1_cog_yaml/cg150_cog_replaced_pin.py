"""CG150 cog-replaced-pin: `cog`/`coglet` in the requirements, or a workaround pin for old cog."""

from __future__ import annotations

from pipelint.analysis import cog_frameworks as fw
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

RUN = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"
YAML = 'build:\n  python_version: "3.12"\n  python_requirements: requirements.txt\nrun: "run.py:Runner"\n'
# Workaround pins for pydantic-based cog (< 0.17): (package, first release the pin keeps out).
WORKAROUNDS = {"pydantic": "2.0", "albumentations": "1.4.4"}


def model(requirements: str) -> dict:
    return {"cog.yaml": YAML, "run.py": RUN, "requirements.txt": requirements, "main.py": None}


class CogReplacedPin(Rule):
    """`cog` or `coglet` listed in the requirements, or a workaround pin for old cog (`pydantic<2`,
    `albumentations==1.4.3`).

    ## What it does
    Reports a requirement on `cog` or `coglet`, and a pydantic requirement that keeps pydantic 2 out
    or an albumentations pin at 1.4.3 or older (the releases that still worked with pydantic 1).

    ## Why is this bad?
    cog installs its own SDK (matching the cog that builds the image) and strips `cog`/`coglet`
    from the requirements with a warning. Since cog 0.17 the SDK no longer uses pydantic, so the
    workaround pins only hold other packages back.

    ## Example
    ```text
    cog==0.9.4
    pydantic<2
    ```

    ## Use instead
    ```text
    # (nothing: cog brings its SDK)
    ```
    """

    code = "CG150"
    name = "cog-replaced-pin"
    severity = Severity.INFO
    targets = ("cog",)
    cog_versions = ">=0.17"
    files = ("cog.yaml", "requirements.txt")

    def check(self) -> None:
        from packaging.version import Version

        p = self.project
        if p.cog_root is None:
            return
        version = fw.cog_version(p)
        for pin in fw.pip_lines(p):
            where = (pin.path or p.cog_file.path, *pin.span())
            if pin.name in ("cog", "coglet"):
                self.report_at(*where, f"`{pin.text}`: cog {version} installs its own SDK and strips {pin.name} "
                                      "from the requirements", help="remove it (set `build.sdk_version` to pin the SDK)")
            elif pin.name in WORKAROUNDS and fw.admits_nothing_from(pin.requirement, Version(WORKAROUNDS[pin.name])):
                self.report_at(*where, f"`{pin.text}` is a workaround for pydantic-based cog; the cog SDK does not "
                                      "use pydantic since 0.17", help="remove the pin unless your own code needs it")

    VALID = [Case(model("pydantic>=2.5\nalbumentations==1.4.21\ntorch==2.5.1\n"))]
    INVALID = [
        Case(model("cog==0.9.4\npydantic<2\nalbumentations==1.4.3\n"),
             expect=[("requirements.txt", 1, 1, 1, 11, "installs its own SDK"),
                     ("requirements.txt", 2, 1, 2, 11, "workaround for pydantic-based cog"),
                     ("requirements.txt", 3, 1, 3, 22, "workaround for pydantic-based cog")]),
    ]
