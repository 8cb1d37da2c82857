"""PL105 predict-in-subfolder: The predict file is in a sub-folder (`src/main.py:run`)."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule


class PredictInSubfolder(Rule):
    """The predict file is in a sub-folder (`src/main.py:run`).

    ## What it does
    Reports a `predict:` file that is not directly in the model folder.

    ## Why is this bad?
    The pipelines runtime imports the entry by module name (the path without `.py`), so
    `src/main.py` becomes the module `src/main`, which cannot be imported: the model fails
    to load (`predictor not found`).

    ## Example
    ```yaml
    predict: "src/main.py:run"
    ```

    ## Use instead
    Move the file next to cog.yaml:
    ```yaml
    predict: "main.py:run"
    ```
    """

    code = "PL105"
    name = "predict-in-subfolder"
    files = ("cog.yaml",)

    def check(self) -> None:
        p = self.project
        ref = p.predict
        if ref is None or ref.path is None or ref.path.parent == p.root:
            return
        self.report_yaml(
            ref.value_node,
            f"`{ref.file}` is in a sub-folder: the pipelines runtime imports the entry by module name and cannot load it",
            help=f'move {ref.path.name} next to cog.yaml and write `predict: "{ref.path.name}:{ref.name}"`',
        )

    VALID = [Case({})]
    INVALID = [
        Case({"cog.yaml": 'predict: "src/main.py:run"\n', "src/main.py": "def run() -> str:\n    return 'x'\n"},
             expect=[("cog.yaml", 1, 10, 1, 27, "`src/main.py` is in a sub-folder")]),
    ]
