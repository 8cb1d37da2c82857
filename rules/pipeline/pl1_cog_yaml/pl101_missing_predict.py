"""PL101 missing-predict: cog.yaml has no `predict:` entry."""

from __future__ import annotations

from pipelint.core.diagnostics import Position
from pipelint.edits import yamledit
from pipelint.engine.rule import Case, Rule


class MissingPredict(Rule):
    """cog.yaml has no `predict:` entry.

    ## What it does
    Reports a cog.yaml without a `predict:` key, including one that uses newer cog's `run:`
    key instead.

    ## Why is this bad?
    The pipelines runtime reads only `predict:` (its config has no `run` field). The pinned
    runtime fails with `invalid predict: ` and later runtimes silently look for
    `predict.py:Predictor` (`predictor not found: predict.Predictor`).

    ## Example
    ```yaml
    run: "main.py:run"
    ```

    ## Use instead
    ```yaml
    predict: "main.py:run"
    ```

    ## Fix safety
    Renaming `run:` to `predict:` is safe: it is the same entry under the key the runtime
    reads. Without a `run:` key there is nothing to rename and no fix.
    """

    code = "PL101"
    name = "missing-predict"
    files = ("cog.yaml",)
    fix_availability = "sometimes"

    def check(self) -> None:
        p = self.project
        if p.cog_root is None or p.cog_get("predict") is not None:
            return
        run = p.cog_get("run")
        if run is not None:
            key, _ = run
            self.report_yaml(
                key,
                "cog.yaml uses `run:`, which the pipelines runtime does not read (`invalid predict: `)",
                help="rename `run:` to `predict:`",
                fix=self.fix("Rename `run:` to `predict:`", yamledit.replace(p.cog_file, key, "predict")),
            )
            return
        self.report_at(
            p.cog_file.path, Position(1, 1), Position(1, 1),
            "cog.yaml has no `predict:` entry, so the runtime has no function to run (`invalid predict: `)",
            help='add `predict: "main.py:run"`',
        )

    VALID = [Case({"cog.yaml": 'predict: "main.py:run"\n'})]
    INVALID = [
        Case({"cog.yaml": 'run: "main.py:run"\n'},
             expect=[("cog.yaml", 1, 1, 1, 4, "cog.yaml uses `run:`, which the pipelines runtime does not read")],
             fixed={"cog.yaml": 'predict: "main.py:run"\n'}),
        Case({"cog.yaml": 'build:\n  python_version: "3.13"\n'},
             expect=[("cog.yaml", 1, 1, 1, 1, "cog.yaml has no `predict:` entry, so the runtime has no function "
                                              "to run")]),
        Case({"cog.yaml": 'build: {python_version: "3.13"}\nrun: main.py:run # entry\n'},
             expect=[("cog.yaml", 2, 1, 2, 4, "cog.yaml uses `run:`, which the pipelines runtime does not read")],
             fixed={"cog.yaml": 'build: {python_version: "3.13"}\npredict: main.py:run # entry\n'}),
    ]
