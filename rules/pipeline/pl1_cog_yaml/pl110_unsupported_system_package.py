"""PL110 unsupported-system-package: `build.system_packages` beyond curl, ffmpeg and imagemagick."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes

ALLOWED_SYSTEM_PACKAGES = ("curl", "ffmpeg", "imagemagick")


class SystemPackages(Rule):
    """`build.system_packages` beyond curl, ffmpeg and imagemagick.

    ## What it does
    Reports each system package that the pipelines runtime does not provide.

    ## Why is this bad?
    The runtime has a fixed set of system tools (curl, ffmpeg with ffprobe, imagemagick);
    `cog push` refuses anything else with `<pkg>: System package not available in pipelines runtime`.

    ## Example
    ```yaml
    build:
      system_packages:
        - ffprobe
        - libgl1
    ```

    ## Use instead
    ```yaml
    build:
      system_packages:
        - ffmpeg   # ffprobe ships with it
    ```
    """

    code = "PL110"
    name = "unsupported-system-package"
    files = ("cog.yaml",)

    def check(self) -> None:
        hit = self.project.cog_get("build", "system_packages")
        if hit is None or not yamlnodes.is_sequence(hit[1]):
            return
        for item in hit[1].value:
            value = yamlnodes.scalar(item)
            if not isinstance(value, str):
                continue
            name = value.split("=")[0].strip()
            if name in ALLOWED_SYSTEM_PACKAGES:
                continue
            help_ = ("ffprobe ships with ffmpeg: list `ffmpeg` instead" if name == "ffprobe"
                     else "the runtime has only curl, ffmpeg (with ffprobe) and imagemagick; remove it")
            self.report_yaml(item, f"`{value}`: System package not available in pipelines runtime", help=help_)

    VALID = [Case({"cog.yaml": 'build:\n  system_packages: [curl, ffmpeg, imagemagick]\npredict: "main.py:run"\n'})]
    INVALID = [
        Case({"cog.yaml": 'build:\n  system_packages:\n    - ffmpeg\n    - ffprobe\n    - "libgl1"\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 4, 7, 4, 14, "`ffprobe`: System package not available in pipelines runtime"),
                     ("cog.yaml", 5, 7, 5, 15, "`libgl1`: System package not available in pipelines runtime")]),
    ]
