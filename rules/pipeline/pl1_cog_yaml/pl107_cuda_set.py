"""PL107 cuda-set: `build.cuda` is set."""

from __future__ import annotations

from pipelint.edits import yamledit
from pipelint.engine.rule import Case, Rule


class CudaSet(Rule):
    """`build.cuda` is set.

    ## What it does
    Reports a `cuda` key in the `build` section of cog.yaml.

    ## Why is this bad?
    There is no GPU in the pipelines runtime; `cog push` refuses the model with
    `CUDA is not supported in pipelines runtime`.

    ## Example
    ```yaml
    build:
      cuda: "12.1"
    ```

    ## Use instead
    Remove the `cuda` key.
    """

    code = "PL107"
    name = "cuda-set"
    files = ("cog.yaml",)
    fix_availability = "always"

    def check(self) -> None:
        p = self.project
        build = p.cog_get("build")
        hit = p.cog_get("build", "cuda")
        if hit is None:
            return
        key, value = hit
        self.report_yaml(key, "`build.cuda` is not allowed: pipeline models run on CPU (`CUDA is not supported in pipelines runtime`)",
                         help="remove the `cuda` key",
                         fix=self.fix("Remove `cuda`", yamledit.delete_entry(p.cog_file, build[1], key, value)))

    VALID = [Case({})]
    INVALID = [
        Case({"cog.yaml": 'build:\n  cuda: "12.1"\n  python_version: "3.13"\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 2, 3, 2, 7, "`build.cuda` is not allowed")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.13"\npredict: "main.py:run"\n'}),
        Case({"cog.yaml": 'build: {python_version: "3.13", cuda: "11.8"}\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 1, 33, 1, 37, "`build.cuda` is not allowed")],
             fixed={"cog.yaml": 'build: {python_version: "3.13"}\npredict: "main.py:run"\n'}),
    ]
