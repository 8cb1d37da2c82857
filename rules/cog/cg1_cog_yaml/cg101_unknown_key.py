"""CG101 unknown-key: a cog.yaml key cog does not know (silently ignored since cog 0.17)."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.edits import yamledit
from pipelint.engine.rule import Case, Rule
from pipelint.model import cog_data, yamlnodes

COG_YAML = 'build:\n  python_version: "3.12"\n  gpu: true\n  python_requirements: requirements.txt\npredict: "predict.py:Predictor"\n'
PREDICT = "from cog import BasePredictor\n\n\nclass Predictor(BasePredictor):\n    def predict(self, x: str) -> str:\n        return x\n"


def cog_version(project) -> str:
    return project.cog_version


def _norm(name: str) -> str:
    return name.lower().replace("-", "_")


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent transpositions)."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def exact_typo(name: str, candidates) -> str | None:
    """The one key ``name`` is an unambiguous typo of, or None: equal up to case and ``-``/``_``, a
    missing or extra trailing ``s``, or (for keys of five letters or more) at most two edits — and
    no other candidate as close. Short keys (``gpu``, ``cuda``, ``run``) take only the first kinds
    and a swap of two letters: ``cpu`` is a word, not a typo of ``gpu``."""
    n = _norm(name)
    scored = []
    for c in candidates:
        k = _norm(c)
        if n == k or n.rstrip("s") == k.rstrip("s"):
            scored.append((0, c))
            continue
        d = _distance(n, k)
        limit = 2 if len(k) >= 5 else 0
        if d <= limit or (d == 1 and len(n) == len(k) and sorted(n) == sorted(k)):
            scored.append((d, c))
    if not scored:
        return None
    scored.sort()
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


# A fix never sets the entry or the hardware (cog-rules.md, Targets): these are named, not renamed.
NOT_RENAMED = frozenset({"run", "predict", "train", "build.gpu", "build.cuda", "build.cudnn", "build.python_version"})


def dotted_of(section: str, key: str) -> str:
    return f"{section}.{key}" if section else key


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
    The rename is offered (safe) only for an unambiguous typo of one known key that is not already
    set: equal up to case, `-`/`_` or a trailing `s`, or within two edits for keys of five letters
    or more, with no other key as close. A farther guess is named in the help without a fix: a
    wrong rename would silently change what the build does (`cuda` for `cudnn`). Removed keys are
    named as removed, with the last cog release that had them. Keys naming the entry or the
    hardware (`run`, `predict`, `train`, `gpu`, `cuda`, `cudnn`, `python_version`) are never renamed.
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
        present = {k.value for k, _ in yamlnodes.items(mapping) if yamlnodes.is_scalar(k)}
        legacy = cog_data.pre_schema_config_keys()
        for key, _ in yamlnodes.items(mapping):
            if not yamlnodes.is_scalar(key) or key.value in known:
                continue
            name = key.value
            dotted = f"{section}.{name}" if section else name
            fix = None
            if dotted in removed:
                first, last = removed[dotted]
                msg = (f"`{dotted}` was removed from cog after {last} (it existed from {first}); "
                       f"cog {version} silently ignores it")
                help_ = "remove it"
            elif dotted in legacy:
                msg = (f"`{dotted}` is not a cog.yaml key (no cog schema has had it since {legacy[dotted]}; "
                       f"old docs used it): cog {version} silently ignores it")
                help_ = "remove it" if dotted != "command" else 'name the entry with `run: "predict.py:Runner"`'
            else:
                msg = f"unknown key `{dotted}`: cog {version} silently ignores it"
                typo = exact_typo(name, known - present)
                import difflib  # (and heapq): only for a name that is misspelt
                close = typo or (difflib.get_close_matches(name, sorted(known), n=1) or [None])[0]
                if typo and dotted_of(section, typo) in NOT_RENAMED:
                    help_ = f"did you mean `{typo}`? (not renamed automatically: it would change the model's entry or hardware)"
                elif typo:
                    help_ = f"did you mean `{typo}`?"
                    fix = self.fix(f"Rename `{name}` to `{typo}`",
                                   yamledit.replace(self.project.cog_file, key, typo))
                elif close:
                    help_ = f"did you mean `{close}`? (not renamed automatically: not an unambiguous typo)"
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
        Case(model('build:\n  python_version: "3.12"\n  System-Packages:\n    - ffmpeg\npredict: "predict.py:Predictor"\n'),
             expect=[("cog.yaml", 3, 3, 3, 18, "unknown key `build.System-Packages`")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.12"\n  system_packages:\n    - ffmpeg\n'
                                'predict: "predict.py:Predictor"\n'}),
        Case(model('build:\n  python_version: "3.12"\n  cudn: "12.4"\npredict: "predict.py:Predictor"\n'),
             expect=[("cog.yaml", 3, 3, 3, 7, "unknown key `build.cudn`")], note="cuda or cudnn: no fix"),
        Case(model('build:\n  python_version: "3.12"\n  cpu: true\npredict: "predict.py:Predictor"\n'),
             expect=[("cog.yaml", 3, 3, 3, 6, "unknown key `build.cpu`")], note="a word, not a typo of gpu"),
        Case(model('build:\n  python_version: "3.12"\n  fast: true\npredict: "predict.py:Predictor"\n'),
             expect=[("cog.yaml", 3, 3, 3, 7, "`build.fast` was removed from cog after 0.16.12")]),
        Case(model('build:\n  python_version: "3.12"\n  environment:\n    - A=1\npredict: "predict.py:Predictor"\n'),
             expect=[("cog.yaml", 3, 3, 3, 14, "`build.environment` is not a cog.yaml key")]),
        Case(model('build: {python_version: "3.12"}\ncommand: python predict.py\npredict: "predict.py:Predictor"\n'),
             expect=[("cog.yaml", 2, 1, 2, 8, "`command` is not a cog.yaml key")]),
        Case(model('build: {python_version: "3.12", python_requirement: r.txt}\npredict: "predict.py:Predictor"\n'),
             expect=[("cog.yaml", 1, 33, 1, 51, "unknown key `build.python_requirement`")],
             fixed={"cog.yaml": 'build: {python_version: "3.12", python_requirements: r.txt}\n'
                                'predict: "predict.py:Predictor"\n'}),
    ]
