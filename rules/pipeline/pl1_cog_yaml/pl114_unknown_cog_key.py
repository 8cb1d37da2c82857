"""PL114 unknown-cog-key: A cog.yaml key that cog does not know, or one the pipelines runtime ignores."""

from __future__ import annotations

import difflib

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes

# cog's config schema (HEAD data/config_schema_v1.0.json, plus cog_runtime from 0.15.11–0.16.12).
ROOT_KEYS = {"build", "image", "model", "run", "predict", "train", "concurrency", "environment", "weights"}
BUILD_KEYS = {"cuda", "cudnn", "gpu", "python_version", "python_packages", "pre_install", "python_requirements",
              "system_packages", "sdk_version", "run", "cog_runtime"}
CONCURRENCY_KEYS = {"max", "default_target"}

IGNORED = {
    ("image",): "the pipelines runtime does not build or push an image",
    ("model",): "the pipelines runtime does not read it",
    ("train",): "pipeline models cannot be trained",
    ("weights",): "the pipelines runtime does not read it",
    ("environment",): "the pipelines runtime ignores it; pass secrets as `cog.Secret` inputs",
    ("build", "pre_install"): "the pipelines runtime has no build step",
    ("build", "cudnn"): "pipeline models run on CPU",
    ("build", "sdk_version"): "the pipelines runtime provides its own cog (coglet)",
}


class UnknownKey(Rule):
    """A cog.yaml key that cog does not know, or one the pipelines runtime ignores.

    ## What it does
    Reports misspelt or unknown keys at the top level and in `build` and `concurrency`, and
    keys that are valid for cog but have no effect on a pipeline model (`image`,
    `environment`, `train`, `weights`, `build.pre_install`, …). A `run:` key next to
    `predict:` is reported too: cog rejects having both.

    ## Why is this bad?
    cog rejects unknown keys (`Additional property <key> is not allowed`), and a key the
    runtime ignores suggests behaviour the model will not have.

    ## Example
    ```yaml
    build:
      python_verison: "3.13"
    environment:
      - API_KEY=abc
    ```

    ## Use instead
    ```yaml
    build:
      python_version: "3.13"
    ```
    and a `cog.Secret` input for the key.
    """

    code = "PL114"
    name = "unknown-cog-key"
    severity = Severity.WARNING
    files = ("cog.yaml",)

    def check(self) -> None:
        p = self.project
        root = p.cog_root
        if root is None:
            return
        self._check_mapping(root, (), ROOT_KEYS)
        build = p.cog_get("build")
        if build is not None:
            self._check_mapping(build[1], ("build",), BUILD_KEYS)
        conc = p.cog_get("concurrency")
        if conc is not None:
            self._check_mapping(conc[1], ("concurrency",), CONCURRENCY_KEYS)
        run = p.cog_get("run")
        if run is not None and p.cog_get("predict") is not None:
            self.report_yaml(run[0], "both `run:` and `predict:` are set (`invalid run: only one of run or predict can be set`)",
                             help="remove `run:`; the pipelines runtime reads only `predict:`")

    def _check_mapping(self, mapping, path: tuple, known: set) -> None:
        for key, _ in yamlnodes.items(mapping):
            if not yamlnodes.is_scalar(key):
                continue
            name = key.value
            dotted = ".".join((*path, name))
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                self.report_yaml(key, f"unknown key `{dotted}` (`Additional property {name} is not allowed`)",
                                 help=f"did you mean `{close[0]}`?" if close else "remove it")
            elif (*path, name) in IGNORED:
                self.report_yaml(key, f"`{dotted}` has no effect on a pipeline model: {IGNORED[(*path, name)]}",
                                 help="remove it")

    VALID = [Case({"cog.yaml": 'build:\n  python_version: "3.13"\n  gpu: false\n  cog_runtime: true\n'
                               '  python_requirements: requirements.txt\npredict: "main.py:run"\n'})]
    INVALID = [
        Case({"cog.yaml": 'build:\n  python_verison: "3.13"\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 2, 3, 2, 17, "unknown key `build.python_verison`")]),
        Case({"cog.yaml": 'predict: "main.py:run"\nenvironment:\n  - KEY=1\nimage: r8.im/a/b\n'},
             expect=[("cog.yaml", 2, 1, 2, 12, "`environment` has no effect on a pipeline model"),
                     ("cog.yaml", 4, 1, 4, 6, "`image` has no effect on a pipeline model")]),
        Case({"cog.yaml": 'predict: "main.py:run"\nrun: "main.py:run"\n'},
             expect=[("cog.yaml", 2, 1, 2, 4, "both `run:` and `predict:` are set")]),
    ]
