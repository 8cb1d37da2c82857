"""CG105 run-and-predict: cog.yaml sets both `run` and `predict`."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes

PREDICT = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"


def model(cog_yaml: str) -> dict:
    return {"cog.yaml": cog_yaml, "predict.py": PREDICT, "requirements.txt": "", "main.py": None}


def _set(project, key):
    hit = project.cog_get(key)
    if hit is None or not yamlnodes.is_scalar(hit[1]) or yamlnodes.is_null(hit[1]) or not hit[1].value.strip():
        return None
    return hit


class RunAndPredict(Rule):
    """cog.yaml sets both `run` and `predict`.

    ## What it does
    Reports a cog.yaml whose top level has a non-empty `run:` and a non-empty `predict:`.

    ## Why is this bad?
    Since cog 0.20 `run` replaces `predict`; cog refuses to load a cog.yaml with both:
    `invalid run: only one of run or predict can be set`.

    ## Example
    ```yaml
    run: "predict.py:Runner"
    predict: "predict.py:Predictor"
    ```

    ## Use instead
    ```yaml
    run: "predict.py:Runner"
    ```
    """

    code = "CG105"
    name = "run-and-predict"
    targets = ("cog",)
    cog_versions = ">=0.20"
    files = ("cog.yaml",)

    def check(self) -> None:
        run, predict = _set(self.project, "run"), _set(self.project, "predict")
        if run is None or predict is None:
            return
        second = max(run, predict, key=lambda h: (h[0].start_mark.line, h[0].start_mark.column))
        self.report_yaml(second[0], "both `run` and `predict` are set: cog refuses the cog.yaml "
                         "(`invalid run: only one of run or predict can be set`)",
                         help="keep only `run:` (`predict:` is its deprecated name)")

    VALID = [Case(model('build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\npredict: ""\n'))]
    INVALID = [
        Case(model('build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\npredict: "predict.py:Runner"\n'),
             expect=[("cog.yaml", 4, 1, 4, 8, "only one of run or predict can be set")]),
        Case(model('{build: {python_version: "3.12"}, predict: "predict.py:Runner", run: "predict.py:Runner"}\n'),
             expect=[("cog.yaml", 1, 65, 1, 68, "both `run` and `predict` are set")]),
    ]
