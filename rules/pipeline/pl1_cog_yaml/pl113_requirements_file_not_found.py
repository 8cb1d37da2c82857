"""PL113 requirements-file-not-found: `build.python_requirements` names a file that does not exist."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes


class RequirementsFileMissing(Rule):
    """`build.python_requirements` names a file that does not exist.

    ## What it does
    Reports a `python_requirements` path that is not a file in the model folder.

    ## Why is this bad?
    cog refuses the configuration: `invalid build.python_requirements "<p>": file does not exist`.

    ## Example
    ```yaml
    build:
      python_requirements: requirement.txt
    ```

    ## Use instead
    ```yaml
    build:
      python_requirements: requirements.txt
    ```
    """

    code = "PL113"
    name = "requirements-file-not-found"
    files = ("cog.yaml",)

    def check(self) -> None:
        p = self.project
        hit = p.cog_get("build", "python_requirements")
        if hit is None:
            return
        value = yamlnodes.scalar(hit[1])
        if not isinstance(value, str) or not value.strip():
            return
        path = p.path(value)
        if p.inside(path) and p.exists(path):
            return
        where = "outside the model folder" if not p.inside(path) else "does not exist"
        self.report_yaml(hit[1], f"`{value}` {where} (`invalid build.python_requirements \"{value}\": file does not exist`)",
                         help="create it (with `replicate>=1.1.0b1,<2.0.0a1`) or fix the path")

    VALID = [Case({})]
    INVALID = [Case({"requirements.txt": None},
                    expect=[("cog.yaml", 3, 24, 3, 40, "`requirements.txt` does not exist")])]
