"""CG130 run-uses-project-file: a `build.run` command that needs a file of the project."""

from __future__ import annotations

import re
import shlex

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_PREDICT = "from cog import BasePredictor\n\n\nclass Predictor(BasePredictor):\n    def predict(self, x: str) -> str:\n        return x\n"
_SEPARATORS = re.compile(r"&&|\|\||;|\|")
_INTERPRETERS = {"python", "python3", "bash", "sh", "source", ".", "chmod", "cp", "mv", "cat", "tar", "unzip"}


def _model(run: str, **files) -> dict:
    return {"cog.yaml": 'build:\n  python_version: "3.11"\n  run:\n' + run + 'predict: "predict.py:Predictor"\n',
            "predict.py": _PREDICT, "requirements.txt": "", "main.py": None, **files}


def _relative(arg: str) -> bool:
    return bool(arg) and not arg.startswith(("/", "~", "$", "-", "http:", "https:")) and "://" not in arg


def project_uses(project, command: str, created: set[str]) -> tuple[str, str] | None:
    """(what the command does, the project path it needs) for the first use of a project file,
    or None. ``created`` collects the folders earlier commands made (``git clone``, ``mkdir``)."""
    for segment in _SEPARATORS.split(command):
        try:
            words = shlex.split(segment, comments=True)
        except ValueError:
            continue
        while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
            words = words[1:]  # FOO=bar cmd …
        if words and words[0] == "sudo":
            words = words[1:]
        if not words:
            continue
        head = words[0].rsplit("/", 1)[-1] if not words[0].startswith(".") else words[0]
        if head in ("git",) and len(words) >= 3 and words[1] == "clone":
            rest = [w for w in words[2:] if not w.startswith("-")]
            if len(rest) >= 2:
                created.add(rest[1].strip("/").split("/")[0])
            elif rest:
                created.add(rest[0].rstrip("/").rsplit("/", 1)[-1].removesuffix(".git"))
            continue
        if head == "mkdir":
            created.update(w.strip("/").split("/")[0] for w in words[1:] if not w.startswith("-"))
            continue
        if head == "cd" and len(words) >= 2 and _relative(words[1]) and words[1] not in (".", ".."):
            first = words[1].strip("/").split("/")[0]
            if first not in created:
                return "a relative `cd`", words[1]
            return None  # inside a folder an earlier command made: relative paths are its own
        if head == "cd":
            return None
        pip = head in ("pip", "pip3", "uv") or (head in ("python", "python3") and words[1:3] == ["-m", "pip"])
        if pip:
            args = words[1:]
            for i, w in enumerate(args):
                if w in ("-r", "--requirement", "-c", "--constraint", "-e", "--editable") and i + 1 < len(args):
                    target = args[i + 1]
                    if _relative(target) and (target == "." or _exists(project, target)):
                        return f"`pip install {w} {target}`", target
                elif w == "." or (w.startswith("./") and _exists(project, w)):
                    return f"`pip install {w}`", w
            continue
        if words[0].startswith("./") and _exists(project, words[0]):
            return f"`{words[0]}`", words[0]
        if head in _INTERPRETERS:
            for w in words[1:]:
                if w.startswith("-"):
                    continue
                if _relative(w) and w.strip("/").split("/")[0] not in created and _exists(project, w):
                    return f"`{head} {w}`", w
                if head in ("python", "python3", "bash", "sh", "source", "."):
                    break
    return None


def _exists(project, rel: str) -> bool:
    path = project.path(rel)
    return project.inside(path) and project.exists(path)


class RunUsesProjectFile(Rule):
    """A `build.run` command that needs a file of the project.

    ## What it does
    Reports a `build.run` command that reads a file of the model folder: `pip install -r
    requirements.txt`, `pip install -e .`, `python download.py`, `bash scripts/setup.sh`,
    `cp weights.json …`, or a relative `cd` into a folder no earlier command created.

    ## Why is this bad?
    cog runs `build.run` commands right after installing packages and **before** it copies the
    project into the image (`COPY . /src` comes later in the generated Dockerfile), from a
    folder that holds none of your files: the command fails with "No such file or directory",
    or works on the wrong files.

    ## Example
    ```yaml
    build:
      run:
        - pip install -r requirements.txt
        - python download_weights.py
    ```

    ## Use instead
    ```yaml
    build:
      python_requirements: requirements.txt
    ```
    and download weights in `setup()` (or with `pget` at setup time).
    """

    code = "CG130"
    name = "run-uses-project-file"
    severity = Severity.WARNING
    targets = ("cog",)
    cog_versions = ""
    files = ("cog.yaml",)

    def check(self) -> None:
        from pipelint.analysis import cog_build

        created: set[str] = set()
        for cmd in cog_build.run_commands(self.project):
            if cmd.text is None or cmd.node is None:
                continue
            found = project_uses(self.project, cmd.text, created)
            if found is None:
                continue
            what, path = found
            self.report_yaml(cmd.node, f"{what} needs `{path}` from the project, but `build.run` runs before cog "
                             "copies the project into the image", help="install requirements with "
                             "`build.python_requirements`; run project scripts in `setup()`")

    VALID = [
        Case(_model("    - git clone https://github.com/xinntao/Real-ESRGAN\n    - cd Real-ESRGAN && pip install -e .\n")),
        Case(_model("    - pip install -r /tmp/requirements.txt\n    - curl -L -o /usr/local/bin/pget https://x/pget\n")),
        Case(_model("    - python -c 'import torch'\n    - cd /opt && ls\n")),
        Case(_model("    - python setup.py install\n"), note="setup.py is not a project file here"),
    ]
    INVALID = [
        Case(_model("    - pip install -r requirements.txt\n    - python download_weights.py --out /weights\n",
                    **{"download_weights.py": "print(1)\n"}),
             expect=[("cog.yaml", 4, 7, 4, 38, "`pip install -r requirements.txt` needs `requirements.txt`"),
                     ("cog.yaml", 5, 7, 5, 48, "`python download_weights.py` needs")]),
        Case(_model("    - cd src/ext && make\n    - pip install .\n"),
             expect=[("cog.yaml", 4, 7, 4, 25, "a relative `cd` needs `src/ext`"),
                     ("cog.yaml", 5, 7, 5, 20, "`pip install .` needs `.`")]),
    ]
