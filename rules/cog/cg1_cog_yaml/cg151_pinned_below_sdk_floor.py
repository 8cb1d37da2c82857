"""CG151 pinned-below-sdk-floor: a requirement that admits only releases below the cog SDK's own floor."""

from __future__ import annotations

from pipelint.analysis import cog_frameworks as fw
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule


def sdk_floors(cog_version: str) -> dict[str, str]:
    """The lowest version the cog SDK of that release accepts, per requirement (its ``>=`` clauses):
    ``{"requests": "2.25.0", "pyyaml": "6.0", …}``, from its pyproject.toml (cog_data.sdk_dependencies)."""
    from packaging.utils import canonicalize_name

    from pipelint.model import cog_data

    floors = {}
    for req in cog_data.sdk_requirements(cog_version):
        lows = [spec.version for spec in req.specifier if spec.operator == ">="]
        if lows:
            floors[canonicalize_name(req.name)] = lows[0]
    return floors
RUN = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"
YAML = 'build:\n  python_version: "3.12"\n  python_requirements: requirements.txt\nrun: "run.py:Runner"\n'


def model(requirements: str) -> dict:
    return {"cog.yaml": YAML, "run.py": RUN, "requirements.txt": requirements, "main.py": None}


class PinnedBelowSdkFloor(Rule):
    """A requirement pinned below what the cog SDK itself requires (`requests<2.25`, `pyyaml<6`,
    `structlog<21`, `typing_extensions<4`).

    ## What it does
    Judges each clause of the specifier by the versions it admits: a requirement none of whose
    versions reaches the SDK's floor is reported. The floors are the `>=` clauses of the SDK's
    own requirements in the cog release the model is built with (its `pyproject.toml`,
    `pipelint.model.cog_data.sdk_dependencies`).

    ## Why is this bad?
    cog installs its SDK after the model's requirements, and pip then replaces the pinned package
    with one the SDK accepts: the model runs with a version it was not pinned to.

    ## Example
    ```text
    requests==2.24.0
    ```

    ## Use instead
    ```text
    requests>=2.25.0
    ```
    """

    code = "CG151"
    name = "pinned-below-sdk-floor"
    severity = Severity.WARNING
    targets = ("cog",)
    cog_versions = ">=0.17"
    files = ("cog.yaml", "requirements.txt")

    def check(self) -> None:
        from packaging.version import Version

        p = self.project
        if p.cog_root is None:
            return
        python = fw.python_minor(p)
        floors = sdk_floors(p.cog_version)
        for pin in fw.pip_lines(p):
            floor = floors.get(pin.name or "")
            if floor is None or not fw.marker_holds(pin.requirement, python):
                continue
            if not fw.admits_nothing_from(pin.requirement, Version(floor)):
                continue
            self.report_at(pin.path or p.cog_file.path, *pin.span(),
                           f"`{pin.text}` is below the cog SDK's own `{pin.name}>={floor}`: pip replaces it "
                           "when cog installs its SDK after your requirements",
                           help=f"allow `{pin.name}>={floor}`")

    VALID = [Case(model("requests>=2.31\npyyaml==6.0.2\nstructlog\ntyping_extensions~=4.12\n"))]
    INVALID = [
        Case(model("requests<2.25\n"), expect=[("requirements.txt", 1, 1, 1, 14, "below the cog SDK's own `requests>=2.25.0`")]),
        Case(model("PyYAML==5.4.1\ntyping-extensions~=3.10\n"),
             expect=[("requirements.txt", 1, 1, 1, 14, "`pyyaml>=6.0`"),
                     ("requirements.txt", 2, 1, 2, 24, "`typing-extensions>=4.0`")]),
    ]
