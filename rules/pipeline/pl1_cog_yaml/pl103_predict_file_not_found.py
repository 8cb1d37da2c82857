"""PL103 predict-file-not-found."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule


class PredictFileMissing(Rule):
    """The file named by `predict` does not exist, or lies outside the model folder.

    ## What it does
    Reports a `predict:` whose file is not in the model folder.

    ## Why is this bad?
    The runtime imports that file when the model loads; cog refuses a path outside the
    project (`predictor source path "<p>" is outside source directory`).

    ## Example
    ```yaml
    predict: "predict.py:run"   # but the code is in main.py
    ```

    ## Use instead
    ```yaml
    predict: "main.py:run"
    ```
    """

    code = "PL103"
    name = "predict-file-not-found"
    files = ("cog.yaml",)

    def check(self) -> None:
        p = self.project
        ref = p.predict
        if ref is None or ref.problem not in ("missing", "outside"):
            return
        if ref.problem == "outside":
            msg = f"`{ref.file}` is outside the model folder (`predictor source path \"{ref.file}\" is outside source directory`)"
            self.report_yaml(ref.value_node, msg, help="keep the entry file in the model folder, next to cog.yaml")
            return
        candidates = sorted(f.name for f in p.python_files() if f.parent == p.root)
        import difflib  # (and heapq): only for a name that is misspelt
        close = difflib.get_close_matches(ref.file, candidates, n=1)
        hint = f"did you mean `{close[0]}`?" if close else (
            f"the model folder has {', '.join(candidates)}" if candidates else "create it next to cog.yaml")
        self.report_yaml(ref.value_node, f"`{ref.file}` does not exist in the model folder", help=hint)

    VALID = [Case({})]
    INVALID = [
        Case({"cog.yaml": 'predict: "predict.py:run"\n'},
             expect=[("cog.yaml", 1, 10, 1, 26, "`predict.py` does not exist in the model folder")]),
        Case({"cog.yaml": 'predict: "../main.py:run"\n'},
             expect=[("cog.yaml", 1, 10, 1, 26, "`../main.py` is outside the model folder")]),
    ]
