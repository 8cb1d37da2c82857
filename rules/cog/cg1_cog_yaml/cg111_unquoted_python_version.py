"""CG111 unquoted-python-version: `python_version: 3.10` written as a YAML number."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.edits import yamledit
from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes

PREDICT = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"


def model(cog_yaml: str) -> dict:
    return {"cog.yaml": cog_yaml, "predict.py": PREDICT, "requirements.txt": "", "main.py": None}


class UnquotedPythonVersion(Rule):
    """`build.python_version` written as an unquoted number.

    ## What it does
    Reports a plain (unquoted) `python_version` that YAML reads as a number, such as `3.10`.

    ## Why is this bad?
    cog reads the raw text (`"3.10"`), but every other YAML reader — editors, CI scripts,
    `yaml.safe_load` — sees the float `3.1`, so tools that read cog.yaml disagree with cog.

    ## Example
    ```yaml
    build:
      python_version: 3.10
    ```

    ## Use instead
    ```yaml
    build:
      python_version: "3.10"
    ```

    ## Fix safety
    Quoting keeps the text cog reads: safe.
    """

    code = "CG111"
    name = "unquoted-python-version"
    severity = Severity.INFO
    targets = ("cog",)
    files = ("cog.yaml",)
    fix_availability = "always"

    def check(self) -> None:
        hit = self.project.cog_get("build", "python_version")
        if hit is None or not yamlnodes.is_scalar(hit[1]) or hit[1].style is not None:
            return
        value = hit[1]
        parsed = yamlnodes.scalar(value)
        if isinstance(parsed, bool) or not isinstance(parsed, (int, float)):
            return
        text = value.value
        seen = f"the number {parsed}" if str(parsed) != text else "a number"
        self.report_yaml(value, f"`python_version: {text}` is unquoted: cog reads \"{text}\" but other YAML readers "
                         f"see {seen}", help=f'quote it: `python_version: "{text}"`',
                         fix=self.fix(f'Quote it: `"{text}"`', yamledit.replace(self.project.cog_file, value, f'"{text}"')))

    VALID = [Case(model('build:\n  python_version: "3.10"\nrun: "predict.py:Runner"\n')),
             Case(model("build:\n  python_version: '3.12'\nrun: \"predict.py:Runner\"\n"))]
    INVALID = [
        Case(model('build:\n  python_version: 3.10\nrun: "predict.py:Runner"\n'),
             expect=[("cog.yaml", 2, 19, 2, 23, "other YAML readers see the number 3.1")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.10"\nrun: "predict.py:Runner"\n'}),
        Case(model('build: {python_version: 3.12, gpu: true}\nrun: "predict.py:Runner"\n'),
             expect=[("cog.yaml", 1, 25, 1, 29, "`python_version: 3.12` is unquoted")],
             fixed={"cog.yaml": 'build: {python_version: "3.12", gpu: true}\nrun: "predict.py:Runner"\n'}),
    ]
