"""PL106 gpu-enabled: `build.gpu: true`: pipelines run on CPU."""

from __future__ import annotations

from pipelint.edits import yamledit
from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes


class GpuEnabled(Rule):
    """`build.gpu: true`: pipelines run on CPU.

    ## What it does
    Reports `gpu: true` in the `build` section of cog.yaml.

    ## Why is this bad?
    Pipeline models run on CPU hardware only; `cog push` refuses the model with
    `GPU is not supported in pipelines runtime`.

    ## Example
    ```yaml
    build:
      gpu: true
    ```

    ## Use instead
    ```yaml
    build:
      gpu: false
    ```
    """

    code = "PL106"
    name = "gpu-enabled"
    files = ("cog.yaml",)
    fix_availability = "always"

    def check(self) -> None:
        hit = self.project.cog_get("build", "gpu")
        if hit is None or yamlnodes.scalar(hit[1]) is not True:
            return
        key, value = hit
        self.report_yaml(key, "`gpu: true` is not allowed: pipeline models run on CPU (`GPU is not supported in pipelines runtime`)",
                         help="set `gpu: false` or remove the key",
                         fix=self.fix("Set `gpu: false`", yamledit.replace(self.project.cog_file, value, "false")))

    VALID = [Case({"cog.yaml": 'build:\n  gpu: false\npredict: "main.py:run"\n'})]
    INVALID = [
        Case({"cog.yaml": 'build:\n  gpu: true\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 2, 3, 2, 6, "`gpu: true` is not allowed")],
             fixed={"cog.yaml": 'build:\n  gpu: false\npredict: "main.py:run"\n'}),
        Case({"cog.yaml": 'build: {gpu: true}\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 1, 9, 1, 12, "`gpu: true` is not allowed")],
             fixed={"cog.yaml": 'build: {gpu: false}\npredict: "main.py:run"\n'}),
        Case({"cog.yaml": 'build:\n  gpu: yes  # needed?\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 2, 3, 2, 6, "`gpu: true` is not allowed")],
             fixed={"cog.yaml": 'build:\n  gpu: false  # needed?\npredict: "main.py:run"\n'}),
    ]
