"""CG101 unknown-key: a cog.yaml key cog does not know (silently ignored since cog 0.17)."""

from __future__ import annotations

import difflib

from pipelint.core.diagnostics import Severity
from pipelint.edits import yamledit
from pipelint.engine.rule import Case, Rule
from pipelint.model import cog_data, yamlnodes

COG_YAML = 'build:\n  python_version: "3.12"\n  gpu: true\n  python_requirements: requirements.txt\npredict: "predict.py:Predictor"\n'
PREDICT = "from cog import BasePredictor\n\n\nclass Predictor(BasePredictor):\n    def predict(self, x: str) -> str:\n        return x\n"


def cog_version(project) -> str:
    return project.settings.cog_version or cog_data.newest_cog_version()


def model(cog_yaml: str = COG_YAML) -> dict:
    return {"cog.yaml": cog_yaml, "predict.py": PREDICT, "requirements.txt": "torch==2.5.1\n", "main.py": None}


class UnknownKey(Rule):
    """A cog.yaml key (at the root or in `build`) that the target cog version does not know.

    ## What it does
    Reports keys missing from the target cog version's key list, including removed ones
    (`cog_runtime`, `fast`, `command`, `build.environment`) and typos such as
    `python_requirement`, and names the closest known key.

    ## Why is this bad?
    Since cog 0.17 unknown keys are silently ignored: the setting the author meant has no effect.

    ## Example
    ```yaml
    build:
      python_requirement: requirements.txt
    ```

    ## Use instead
    ```yaml
    build:
      python_requirements: requirements.txt
    ```

    ## Fix safety
    Renaming is safe only when the key is an exact typo of one known key (the closest match,
    not itself a key of an earlier cog release); otherwise no fix is offered.
    """

    code = "CG101"
    name = "unknown-key"
    severity = Severity.WARNING
    targets = ("cog",)
    cog_versions = ">=0.17"
    files = ("cog.yaml",)
    fix_availability = "sometimes"

    def check(self) -> None:
        p = self.project
        if p.cog_root is None:
            return
        version = cog_version(p)
        removed = cog_data.removed_config_keys(version)
        self._check(p.cog_root, "", version, removed)
        build = p.cog_get("build")
        if build is not None and yamlnodes.is_mapping(build[1]):
            self._check(build[1], "build", version, removed)

    def _check(self, mapping, section: str, version: str, removed: dict) -> None:
        known = cog_data.config_keys(version, section)
        if not known or not yamlnodes.is_mapping(mapping):
            return
        for key, _ in yamlnodes.items(mapping):
            if not yamlnodes.is_scalar(key) or key.value in known:
                continue
            name = key.value
            dotted = f"{section}.{name}" if section else name
            fix = None
            if dotted in removed:
                first, last = removed[dotted]
                msg = f"`{dotted}` was removed from cog after {last}; cog {version} silently ignores it"
                help_ = "remove it"
            else:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                msg = f"unknown key `{dotted}`: cog {version} silently ignores it"
                if close:
                    help_ = f"did you mean `{close[0]}`?"
                    fix = self.fix(f"Rename `{name}` to `{close[0]}`",
                                   yamledit.replace(self.project.cog_file, key, close[0]))
                else:
                    help_ = "remove it"
            self.report_yaml(key, msg, help=help_, fix=fix)

    VALID = [Case(model())]
    INVALID = [
        Case(model('build:\n  python_version: "3.12"\n  python_requirement: requirements.txt\n'
                   'predict: "predict.py:Predictor"\n'),
             expect=[("cog.yaml", 3, 3, 3, 21, "unknown key `build.python_requirement`")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.12"\n  python_requirements: requirements.txt\n'
                                'predict: "predict.py:Predictor"\n'}),
        Case(model('build: {python_version: "3.12", gpu: true}\npredict: "predict.py:Predictor"\nfoo: 1\n'),
             expect=[("cog.yaml", 3, 1, 3, 4, "unknown key `foo`")]),
    ]
