"""CG152 sdk-version-too-old: `build.sdk_version` below 0.17.0, which static schema generation refuses."""

from __future__ import annotations

import re

from pipelint.analysis import cog_frameworks as fw
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

MINIMUM = (0, 17, 0)
_BASE = re.compile(r"^(\d+\.\d+\.\d+)")
RUN = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"


def model(sdk: str) -> dict:
    yaml = f'build:\n  python_version: "3.12"\n  sdk_version: "{sdk}"\nrun: "run.py:Runner"\n'
    return {"cog.yaml": yaml, "run.py": RUN, "main.py": None}


def _parts(text: str) -> tuple[int, ...] | None:
    """cog's ``version.NewVersion`` reading of the base version: up to three integers."""
    m = _BASE.match(text)
    pieces = (m.group(1) if m else text).split("+", 1)[0].split(".")
    if len(pieces) > 3:
        return None
    try:
        return tuple(int(p) for p in pieces)
    except ValueError:
        return None


class SdkVersionTooOld(Rule):
    """`build.sdk_version` pins a cog SDK older than 0.17.0.

    ## What it does
    Reads `build.sdk_version` as cog does (its leading `X.Y.Z`; `prerelease` and unreadable
    values are left alone) and reports a version below 0.17.0.

    ## Why is this bad?
    Since cog 0.20 the static schema parser is the only way to build a schema, and it refuses
    pydantic-era SDKs: `SDK version 0.16.12 is not supported by static schema generation; use 0.17.0
    or newer`. (cog 0.19 still fell back to the runtime schema path for them.)

    ## Example
    ```yaml
    build:
      sdk_version: "0.16.12"
    ```

    ## Use instead
    ```yaml
    build:
      sdk_version: "0.23.1"
    ```
    """

    code = "CG152"
    name = "sdk-version-too-old"
    severity = Severity.ERROR
    targets = ("cog",)
    cog_versions = ">=0.20"
    files = ("cog.yaml",)

    def check(self) -> None:
        p = self.project
        found = fw.build_value(p, "sdk_version") if p.cog_root is not None else None
        if found is None or found[2] == "prerelease":
            return
        parts = _parts(found[2])
        if parts is None or tuple(parts) + (0,) * (3 - len(parts)) >= MINIMUM:
            return
        self.report_yaml(found[1], f"`SDK version {found[2]} is not supported by static schema generation; "
                                   "use 0.17.0 or newer`",
                         help="remove `sdk_version` (cog installs its own SDK) or pin 0.17.0 or newer")

    VALID = [Case(model("0.23.1")), Case(model("prerelease")), Case(model("0.17.0")), Case(model("0.18.0a1"))]
    INVALID = [
        Case(model("0.16.12"), expect=[("cog.yaml", 3, 16, 3, 25, "SDK version 0.16.12 is not supported")]),
        Case(model("0.16"), expect=[("cog.yaml", 3, 16, 3, 22, "SDK version 0.16 is not supported")]),
    ]
