"""PL108 build-run-commands: `build.run` commands."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes


class BuildRunCommands(Rule):
    """`build.run` commands.

    ## What it does
    Reports a `run` list in the `build` section of cog.yaml.

    ## Why is this bad?
    Pipeline models are not built into an image: there is no build step to run commands in.
    `cog push` refuses the model with `Run commands are not supported in pipelines runtime`.

    ## Example
    ```yaml
    build:
      run:
        - pip install torch
    ```

    ## Use instead
    Remove `build.run`. Use the runtime's packages, or call another model with `replicate.use()`
    for work that needs other software.
    """

    code = "PL108"
    name = "build-run-commands"
    files = ("cog.yaml",)

    def check(self) -> None:
        hit = self.project.cog_get("build", "run")
        if hit is None or yamlnodes.is_null(hit[1]) or (yamlnodes.is_sequence(hit[1]) and not hit[1].value):
            return
        self.report_yaml(hit[0], "`build.run` is not allowed (`Run commands are not supported in pipelines runtime`)",
                         help="remove `build.run`; pipelines cannot install software at build time")

    VALID = [Case({"cog.yaml": 'build:\n  run: []\npredict: "main.py:run"\n'})]
    INVALID = [Case({"cog.yaml": 'build:\n  run:\n    - apt-get install -y git\npredict: "main.py:run"\n'},
                    expect=[("cog.yaml", 2, 3, 2, 6, "`build.run` is not allowed")])]
