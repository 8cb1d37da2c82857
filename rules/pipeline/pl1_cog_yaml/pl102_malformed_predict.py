"""PL102 malformed-predict: `predict` is not of the form `FILE.py:NAME`."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule

HELP_FORM = 'write `predict: "main.py:run"`: a .py file in the model folder, a colon, and a top-level function name'


class MalformedPredict(Rule):
    """`predict` is not of the form `FILE.py:NAME`.

    ## What it does
    Reports a `predict:` value that is not a string of the form `file.py:function_name`.

    ## Why is this bad?
    The runtime splits the value on `:` into a module file and a name. Anything else fails:
    `invalid predict: <value>` in the pipelines runtime, `must be in the form
    'predict.py:Predictor'` in cog.

    ## Example
    ```yaml
    predict: main.run
    ```

    ## Use instead
    ```yaml
    predict: "main.py:run"
    ```
    """

    code = "PL102"
    name = "malformed-predict"
    files = ("cog.yaml",)

    def check(self) -> None:
        ref = self.project.predict
        if ref is None or ref.problem != "format":
            return
        shown = ref.raw if ref.raw is not None else ""
        self.report_yaml(
            ref.value_node,
            f"`predict: {shown}` is not of the form `FILE.py:NAME` (`invalid predict: {shown}`)",
            help=HELP_FORM,
        )

    VALID = [Case({"cog.yaml": "predict: main.py:run\n"})]
    INVALID = [
        Case({"cog.yaml": "predict: main.run\n"},
             expect=[("cog.yaml", 1, 10, 1, 18, "`predict: main.run` is not of the form `FILE.py:NAME`")]),
        Case({"cog.yaml": 'predict: "main.py"\n'},
             expect=[("cog.yaml", 1, 10, 1, 19, "`predict: main.py` is not of the form `FILE.py:NAME`")]),
        Case({"cog.yaml": 'predict: "main.py:run:x"\n'},
             expect=[("cog.yaml", 1, 10, 1, 25, "`predict: main.py:run:x` is not of the form `FILE.py:NAME`")]),
        Case({"cog.yaml": "predict:\n"},
             expect=[("cog.yaml", 1, 9, 1, 9, "`predict: ` is not of the form `FILE.py:NAME`")]),
        Case({"cog.yaml": "predict: [main.py, run]\n"},
             expect=[("cog.yaml", 1, 10, 1, 24, "`predict: ` is not of the form `FILE.py:NAME`")]),
    ]
