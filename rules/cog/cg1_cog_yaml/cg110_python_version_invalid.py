"""CG110 python-version: `build.python_version` missing, without a minor, or below cog's minimum."""

from __future__ import annotations

from pipelint.core.diagnostics import Applicability, Edit, Position
from pipelint.engine.rule import Case, Rule
from pipelint.model import cog_data, yamlnodes

PREDICT = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"
# cog's DefaultPythonVersion since 0.17 (pkg/config/config.go), the value its own error message suggests.
SUGGESTED = "3.13"


def model(cog_yaml: str) -> dict:
    return {"cog.yaml": cog_yaml, "predict.py": PREDICT, "requirements.txt": "", "main.py": None}


def _version(project) -> str:
    return project.cog_version


class PythonVersion(Rule):
    """`build.python_version` is missing, has no minor version, or is below cog's minimum.

    ## What it does
    Reports a `build:` mapping without `python_version` (cog 0.17 and later require it), a
    `python_version` without a minor (`"3"`), and one below the minimum of the target cog
    (3.10 from cog 0.17, 3.8 before).

    ## Why is this bad?
    cog refuses the cog.yaml: `invalid build.python_version "3.9": minimum supported Python
    version is 3.10`, `must include major and minor version (e.g., '3.11')`, or
    ``python_version is required. Add it to the build section of your cog.yaml, e.g. `python_version: "3.13"` ``.

    ## Example
    ```yaml
    build:
      python_version: "3.8"
    ```

    ## Use instead
    ```yaml
    build:
      python_version: "3.12"
    ```

    ## Fix safety
    When `python_version` is missing, the fix adds `python_version: "3.13"` (cog's default and its
    own suggestion). It is unsafe: the Python the model runs on changes.
    """

    code = "CG110"
    name = "python-version-invalid"
    targets = ("cog",)
    files = ("cog.yaml",)
    fix_availability = "sometimes"

    def check(self) -> None:
        p = self.project
        build = p.cog_get("build")
        if build is None or not yamlnodes.is_mapping(build[1]):
            return
        version = _version(p)
        hit = yamlnodes.get(build[1], "python_version")
        if hit is None or yamlnodes.is_null(hit[1]) or (yamlnodes.is_scalar(hit[1]) and not hit[1].value.strip()):
            if "python_version" in cog_data.config_required(version, "build"):
                node = hit[1] if hit is not None and hit[1].end_mark.index > hit[1].start_mark.index else build[0]
                self.report_yaml(node, "`build` has no `python_version`: cog refuses the cog.yaml (`python_version is "
                                 "required. Add it to the build section of your cog.yaml`)",
                                 help=f'add `python_version: "{SUGGESTED}"` (or the Python your model needs, 3.10 or newer)',
                                 fix=self._add(build[1]) if hit is None else None)
            return
        value = hit[1]
        if not yamlnodes.is_scalar(value):
            return  # a list or mapping: CG103
        text = value.value.strip()
        parts = text.split(".", 2)
        if len(parts) < 2:
            self.report_yaml(value, f"`python_version: {text}` has no minor version: cog refuses it (`invalid "
                             f"build.python_version \"{text}\": must include major and minor version (e.g., '3.11')`)",
                             help=f'write the minor too, e.g. `python_version: "{SUGGESTED}"`')
            return
        try:
            major, minor = int(parts[0]), int(parts[1])
        except ValueError:
            self.report_yaml(value, f"`python_version: {text}` is not a Python version: cog refuses it "
                             f"(`invalid build.python_version \"{text}\": invalid major/minor version number`)",
                             help=f'write e.g. `python_version: "{SUGGESTED}"`')
            return
        minimum = cog_data.config_limits(version).get("minimum_python")
        if not minimum:
            return
        lo = tuple(int(x) for x in minimum.split("."))
        if (major, minor) < lo:
            self.report_yaml(value, f"`python_version: {text}` is below cog {version}'s minimum: cog refuses it "
                             f"(`invalid build.python_version \"{text}\": minimum supported Python version is {minimum}`)",
                             help=f'use Python {minimum} or newer, e.g. `python_version: "{SUGGESTED}"` '
                                  "(check that your pinned packages have wheels for it)")

    def _add(self, mapping):
        f = self.project.cog_file
        line = f'python_version: "{SUGGESTED}"'
        if mapping.flow_style or not mapping.value:
            if not mapping.flow_style:
                return None
            at = Position(mapping.start_mark.line + 1, mapping.start_mark.column + 2)
            edit = Edit(f.path, at, at, line + (", " if mapping.value else ""))
        else:
            first = mapping.value[0][0]
            at = Position(first.start_mark.line + 1, 1)
            edit = Edit(f.path, at, at, " " * first.start_mark.column + line + f.newline)
        return self.fix(f'Add `python_version: "{SUGGESTED}"`', edit, applicability=Applicability.UNSAFE)

    VALID = [Case(model('build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\n')),
             Case(model('build:\n  python_version: 3.10\nrun: "predict.py:Runner"\n')),
             Case(model('build:\nrun: "predict.py:Runner"\n'), note="a null build is no build")]
    INVALID = [
        Case(model('build:\n  python_version: "3.9"\nrun: "predict.py:Runner"\n'),
             expect=[("cog.yaml", 2, 19, 2, 24, "minimum supported Python version is 3.10")]),
        Case(model('build:\n  python_version: "3"\nrun: "predict.py:Runner"\n'),
             expect=[("cog.yaml", 2, 19, 2, 22, "must include major and minor version")]),
        Case(model('build:\n  gpu: true\nrun: "predict.py:Runner"\n'),
             expect=[("cog.yaml", 1, 1, 1, 6, "python_version is required")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.13"\n  gpu: true\nrun: "predict.py:Runner"\n'}),
        Case(model('build: {gpu: true}\nrun: "predict.py:Runner"\n'),
             expect=[("cog.yaml", 1, 1, 1, 6, "python_version is required")],
             fixed={"cog.yaml": 'build: {python_version: "3.13", gpu: true}\nrun: "predict.py:Runner"\n'}),
        Case(model('build: {python_version: 3.8}\nrun: "predict.py:Runner"\n'),
             expect=[("cog.yaml", 1, 25, 1, 28, "`python_version: 3.8` is below cog")]),
    ]
