"""PL112 concurrency-above-one: `concurrency.max` above 1."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes


class Concurrency(Rule):
    """`concurrency.max` above 1.

    ## What it does
    Reports a `concurrency.max` greater than 1.

    ## Why is this bad?
    `cog push` refuses the model with `Concurrencies above 1 are not supported in pipelines runtime`.

    ## Example
    ```yaml
    concurrency:
      max: 4
    ```

    ## Use instead
    Remove the `concurrency` section (or set `max: 1`).
    """

    code = "PL112"
    name = "concurrency-above-one"
    files = ("cog.yaml",)

    def check(self) -> None:
        hit = self.project.cog_get("concurrency", "max")
        if hit is None:
            return
        value = yamlnodes.scalar(hit[1])
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 1:
            return
        self.report_yaml(hit[1], f"`concurrency.max: {hit[1].value}` is not allowed "
                         "(`Concurrencies above 1 are not supported in pipelines runtime`)",
                         help="remove `concurrency` or set `max: 1`")

    VALID = [Case({"cog.yaml": 'predict: "main.py:run"\nconcurrency:\n  max: 1\n'})]
    INVALID = [Case({"cog.yaml": 'predict: "main.py:run"\nconcurrency:\n  max: 8\n'},
                    expect=[("cog.yaml", 3, 8, 3, 9, "`concurrency.max: 8` is not allowed")])]
