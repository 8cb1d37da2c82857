"""PL004 missing-cog-yaml: No cog.yaml where a model folder was expected."""

from __future__ import annotations

from pipelint.core.diagnostics import Diagnostic, Position
from pipelint.engine.rule import Case, Rule


class MissingCogYaml(Rule):
    """No cog.yaml where a model folder was expected.

    ## What it does
    Reports a folder given to pipelint (or opened in the editor) that has no `cog.yaml`, in it
    or in any folder below it.

    ## Why is this bad?
    A pipeline model is defined by its `cog.yaml`: without one, `cog push` has nothing to build.

    ## Example
    A folder with only `main.py` and `requirements.txt`.

    ## Use instead
    ```yaml
    build:
      python_version: "3.13"
      python_requirements: requirements.txt
    predict: "main.py:run"
    ```
    """

    code = "PL004"
    targets = ("pipeline", "cog")
    suppressible = False
    name = "missing-cog-yaml"
    files = ("cog.yaml",)

    def check(self) -> None:
        if self.project.cog_file is None:
            self.sink.append(self.for_folder(self.project.root))

    @classmethod
    def for_folder(cls, folder) -> Diagnostic:
        return Diagnostic(
            code=cls.code, severity=cls.severity, name=cls.name,
            message=f"no cog.yaml in {folder} (or below it): this is not a pipeline model folder",
            help='create cog.yaml with `predict: "main.py:run"`, or point pipelint at the model folder',
            path=folder / "cog.yaml", start=Position(1, 1), end=Position(1, 1),
        )

    VALID = [Case({})]
    INVALID = [Case({"cog.yaml": None}, expect=[("cog.yaml", 1, 1, 1, 1, "this is not a pipeline model folder")])]
