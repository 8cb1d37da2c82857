"""PL111 python-version: `build.python_version` set to anything but `"3.13"`."""

from __future__ import annotations

from pipelint.edits import yamledit
from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes


class PythonVersion(Rule):
    """`build.python_version` set to anything but `"3.13"`.

    ## What it does
    Reports a `python_version` other than 3.13 in the `build` section.

    ## Why is this bad?
    The pipelines runtime is Python 3.13; `cog push` refuses any other value with
    `<v>: Python version does not match the required python version: 3.13`. Write it as a
    quoted string: an unquoted `3.10` is the number 3.1 in YAML.

    ## Example
    ```yaml
    build:
      python_version: "3.11"
    ```

    ## Use instead
    ```yaml
    build:
      python_version: "3.13"
    ```
    """

    code = "PL111"
    name = "python-version"
    files = ("cog.yaml",)
    fix_availability = "always"

    def check(self) -> None:
        hit = self.project.cog_get("build", "python_version")
        if hit is None:
            return
        key, value = hit
        raw = value.value if yamlnodes.is_scalar(value) else None
        if raw == "3.13":
            return
        shown = raw if raw is not None else "(not a string)"
        self.report_yaml(value, f"`python_version: {shown}`: the pipelines runtime is Python 3.13 "
                         f"(`{shown}: Python version does not match the required python version: 3.13`)",
                         help='write `python_version: "3.13"`',
                         fix=self.fix('Set `python_version: "3.13"`', yamledit.replace(self.project.cog_file, value, '"3.13"')))

    VALID = [Case({}), Case({"cog.yaml": 'build:\n  python_version: 3.13\npredict: "main.py:run"\n'})]
    INVALID = [
        Case({"cog.yaml": 'build:\n  python_version: "3.11"\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 2, 19, 2, 25, "`python_version: 3.11`")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.13"\npredict: "main.py:run"\n'}),
        Case({"cog.yaml": 'build:\n  python_version: "3.13.1"\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 2, 19, 2, 27, "`python_version: 3.13.1`")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.13"\npredict: "main.py:run"\n'}),
        Case({"cog.yaml": 'build: {python_version: 3.10}\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 1, 25, 1, 29, "`python_version: 3.10`")],
             fixed={"cog.yaml": 'build: {python_version: "3.13"}\npredict: "main.py:run"\n'}),
    ]
