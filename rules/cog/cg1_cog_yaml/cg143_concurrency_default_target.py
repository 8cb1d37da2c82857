"""CG143 concurrency-default-target: `concurrency.default_target`, which cog silently drops."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_RUN = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    async def run(self, x: str) -> str:\n        return x\n"


def _model(cog_yaml: str) -> dict:
    return {"cog.yaml": cog_yaml, "run.py": _RUN, "requirements.txt": "", "main.py": None}


class ConcurrencyDefaultTarget(Rule):
    """`concurrency.default_target` in cog.yaml.

    ## What it does
    Reports the `default_target` key of the `concurrency` section.

    ## Why is this bad?
    cog's JSON schema lists `concurrency.default_target`, so editors accept it, but cog's
    configuration struct has no such field: since cog 0.17 the value is silently dropped and
    the autoscaling target the author meant is never set.

    ## Example
    ```yaml
    concurrency:
      max: 32
      default_target: 8
    ```

    ## Use instead
    ```yaml
    concurrency:
      max: 32
    ```
    """

    code = "CG143"
    name = "concurrency-default-target"
    severity = Severity.WARNING
    targets = ("cog",)
    cog_versions = ">=0.17"
    files = ("cog.yaml",)

    def check(self) -> None:
        from pipelint.model import cog_data, yamlnodes

        version = self.project.cog_version
        if "concurrency.default_target" not in cog_data.dropped_config_keys(version):
            return
        hit = self.project.cog_get("concurrency")
        if hit is None or not yamlnodes.is_mapping(hit[1]):
            return
        got = yamlnodes.get(hit[1], "default_target")
        if got is not None:
            self.report_yaml(got[0], "`concurrency.default_target` is silently dropped: cog's configuration "
                             "has no such field, so it has no effect", help="remove it")

    VALID = [Case(_model('build:\n  python_version: "3.12"\nconcurrency:\n  max: 8\nrun: "run.py:Runner"\n'))]
    INVALID = [
        Case(_model('build:\n  python_version: "3.12"\nconcurrency:\n  max: 8\n  default_target: 4\nrun: "run.py:Runner"\n'),
             expect=[("cog.yaml", 5, 3, 5, 17, "`concurrency.default_target` is silently dropped")]),
        Case(_model('build:\n  python_version: "3.12"\nconcurrency: {max: 8, default_target: 4}\nrun: "run.py:Runner"\n'),
             expect=[("cog.yaml", 3, 23, 3, 37, "silently dropped")]),
    ]
