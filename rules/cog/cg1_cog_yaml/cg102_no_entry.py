"""CG102 no-entry: cog.yaml names no `run`, `predict` or `train` entry."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes

PREDICT = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"


def model(cog_yaml: str) -> dict:
    return {"cog.yaml": cog_yaml, "predict.py": PREDICT, "requirements.txt": "", "main.py": None}


def has_entry(project) -> bool:
    for key in ("run", "predict", "train"):
        hit = project.cog_get(key)
        if hit is not None and not yamlnodes.is_null(hit[1]) and not (
                yamlnodes.is_scalar(hit[1]) and not hit[1].value.strip()):
            return True
    return False


class NoEntry(Rule):
    """cog.yaml names no `run`, `predict` or `train` entry.

    ## What it does
    Reports a cog.yaml with none of `run:`, `predict:` or `train:` (an empty value counts as none).

    ## Why is this bad?
    `cog build` fails when it generates the schema: `no predict or train reference found in cog.yaml`.
    A misspelt or mis-indented entry key (see CG101) ends the same way.

    ## Example
    ```yaml
    build:
      python_version: "3.12"
    ```

    ## Use instead
    ```yaml
    build:
      python_version: "3.12"
    run: "predict.py:Runner"
    ```
    """

    code = "CG102"
    name = "no-entry"
    targets = ("cog",)
    files = ("cog.yaml",)

    def check(self) -> None:
        root = self.project.cog_root
        if root is None or has_entry(self.project):
            return
        first = root.value[0][0] if root.value else root
        self.report_yaml(first, "cog.yaml names no `run`, `predict` or `train` entry: `cog build` fails with "
                         "`no predict or train reference found in cog.yaml`",
                         help='add `run: "predict.py:Runner"` at the top level, naming your class or function')

    VALID = [Case(model('build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\n')),
             Case(model('build:\n  python_version: "3.12"\ntrain: "predict.py:Runner"\n'))]
    INVALID = [
        Case(model('build:\n  python_version: "3.12"\n'),
             expect=[("cog.yaml", 1, 1, 1, 6, "no predict or train reference found in cog.yaml")]),
        Case(model('build:\n  python_version: "3.12"\n  predict: "predict.py:Runner"\nrun: ""\n'),
             expect=[("cog.yaml", 1, 1, 1, 6, "names no `run`, `predict` or `train` entry")]),
    ]
