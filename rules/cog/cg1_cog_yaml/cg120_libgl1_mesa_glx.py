"""CG120 libgl1-mesa-glx: an apt package that current Debian and Ubuntu bases no longer have."""

from __future__ import annotations

import re

from pipelint.core.diagnostics import Edit, Severity
from pipelint.engine.rule import Case, Rule

OBSOLETE = "libgl1-mesa-glx"
REPLACEMENT = "libgl1"
_WORD = re.compile(r"(?<![\w.+-])libgl1-mesa-glx(?![\w.+-])")
_PREDICT = "from cog import BasePredictor\n\n\nclass Predictor(BasePredictor):\n    def predict(self, x: str) -> str:\n        return x\n"


def _model(cog_yaml: str) -> dict:
    return {"cog.yaml": cog_yaml, "predict.py": _PREDICT, "requirements.txt": "opencv-python==4.10.0.84\n",
            "main.py": None}


class LibGL1MesaGLX(Rule):
    """`libgl1-mesa-glx` in `build.system_packages` or a `build.run` command.

    ## What it does
    Reports the apt package `libgl1-mesa-glx` wherever cog would hand it to `apt-get`: an item of
    `build.system_packages`, or a word of a `build.run` command.

    ## Why is this bad?
    The package is gone from Debian trixie (the `python:*-slim` base cog uses for CPU builds) and
    from Ubuntu 24.04 (the base cog picks for CUDA 12.6 and newer when no prebuilt cog-base image
    matches): the build stops with
    `E: Package 'libgl1-mesa-glx' has no installation candidate`. Its successor `libgl1` exists
    on every base; cog's own `cog init` template and its cog-base images use it.

    ## Example
    ```yaml
    build:
      system_packages:
        - libgl1-mesa-glx
    ```

    ## Use instead
    ```yaml
    build:
      system_packages:
        - libgl1
    ```

    ## Fix safety
    Safe: `libgl1` provides the same `libGL.so.1` (on Ubuntu 22.04 `libgl1-mesa-glx` is only a
    transitional package that depends on it).
    """

    code = "CG120"
    name = "libgl1-mesa-glx"
    severity = Severity.WARNING
    targets = ("cog",)
    cog_versions = ""
    files = ("cog.yaml",)
    fix_availability = "always"

    def check(self) -> None:
        from pipelint.analysis import cog_build

        p = self.project
        msg = (f"`{OBSOLETE}`, which has no install candidate on Debian trixie and Ubuntu 24.04 bases "
               f"(`E: Package '{OBSOLETE}' has no installation candidate`)")
        for node, value in cog_build.system_packages(p):
            if value.strip() == OBSOLETE:
                fix = self.fix(f"Replace `{OBSOLETE}` with `{REPLACEMENT}`",
                               Edit(p.cog_file.path, *self._range(node), self._rewrite(node)))
                self.report_yaml(node, f"`system_packages` lists {msg}", help=f"use `{REPLACEMENT}`", fix=fix)
        for cmd in cog_build.run_commands(p):
            if cmd.text is None or cmd.node is None:
                continue
            raw = cog_build.node_source(p.cog_file, cmd.node)
            hits = list(_WORD.finditer(raw))
            if not hits or not _WORD.search(cmd.text):
                continue
            fix = self.fix(f"Replace `{OBSOLETE}` with `{REPLACEMENT}`",
                           Edit(p.cog_file.path, *self._range(cmd.node), self._rewrite(cmd.node)))
            start, end = cog_build.substring_range(p.cog_file, cmd.node, hits[0].start(), len(OBSOLETE))
            self.report_at(p.cog_file.path, start, end, f"`build.run` installs {msg}",
                           help=f"install `{REPLACEMENT}` instead", fix=fix)

    def _range(self, node):
        from pipelint.model import yamlnodes

        return yamlnodes.start(node), yamlnodes.end(node)

    def _rewrite(self, node) -> str:
        from pipelint.analysis import cog_build

        return _WORD.sub(REPLACEMENT, cog_build.node_source(self.project.cog_file, node))

    VALID = [
        Case(_model('build:\n  python_version: "3.12"\n  system_packages:\n    - libgl1\n    - libglib2.0-0\n'
                    'predict: "predict.py:Predictor"\n')),
        Case(_model('build:\n  python_version: "3.12"\n  system_packages:\n    - libgl1-mesa-glx-dev\n'
                    'predict: "predict.py:Predictor"\n'), note="another package whose name starts the same"),
        Case(_model('build:\n  python_version: "3.12"\n  run:\n    - echo "# libgl1-mesa-glx.txt"\n'
                    'predict: "predict.py:Predictor"\n'), note="not the package name"),
    ]
    INVALID = [
        Case(_model('build:\n  python_version: "3.12"\n  system_packages:\n    - "libgl1-mesa-glx"\n'
                    '    - ffmpeg\npredict: "predict.py:Predictor"\n'),
             expect=[("cog.yaml", 4, 7, 4, 24, "lists `libgl1-mesa-glx`, which has no install candidate")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.12"\n  system_packages:\n    - "libgl1"\n'
                                '    - ffmpeg\npredict: "predict.py:Predictor"\n'}),
        Case(_model('build:\n  python_version: "3.12"\n  system_packages: [ffmpeg, libgl1-mesa-glx]\n'
                    '  run:\n    - apt-get update && apt-get install -y libgl1-mesa-glx libglib2.0-0\n'
                    'predict: "predict.py:Predictor"\n'),
             expect=[("cog.yaml", 3, 29, 3, 44, "lists `libgl1-mesa-glx`, which has no install candidate"),
                     ("cog.yaml", 5, 44, 5, 59, "`build.run` installs `libgl1-mesa-glx`, which")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.12"\n  system_packages: [ffmpeg, libgl1]\n'
                                '  run:\n    - apt-get update && apt-get install -y libgl1 libglib2.0-0\n'
                                'predict: "predict.py:Predictor"\n'}),
    ]
