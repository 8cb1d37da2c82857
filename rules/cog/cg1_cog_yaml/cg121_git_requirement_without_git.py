"""CG121 git-requirement-without-git: a `git+…` requirement while `system_packages` has no `git`."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_PREDICT = "from cog import BasePredictor\n\n\nclass Predictor(BasePredictor):\n    def predict(self, x: str) -> str:\n        return x\n"
_YAML = 'build:\n  python_version: "3.11"\n  python_requirements: requirements.txt\n{extra}predict: "predict.py:Predictor"\n'


def _model(requirements: str, extra: str = "") -> dict:
    return {"cog.yaml": _YAML.format(extra=extra), "predict.py": _PREDICT, "requirements.txt": requirements,
            "main.py": None}


class GitRequirementWithoutGit(Rule):
    """A `git+…` requirement while `build.system_packages` does not install `git`.

    ## What it does
    Reports a line of the requirements file (at the `build.python_requirements` value that names
    the file) or an item of `build.python_packages` that pip
    can only install by cloning a repository (`git+https://…`, `name @ git+…`, `-e git+…`) when
    `git` is not in `build.system_packages`.

    ## Why is this bad?
    cog's prebuilt cog-base images carry `git`, but when no cog-base image matches the
    CUDA/Python/torch combination cog falls back to `python:<version>-slim` or `nvidia/cuda`
    images, which have no `git`: pip stops with `Cannot find command 'git'`. Whether the build
    works then depends on a base image choice the cog.yaml does not show.

    ## Example
    ```text
    git+https://github.com/openai/CLIP.git
    ```

    ## Use instead
    ```yaml
    build:
      system_packages:
        - git
    ```
    """

    code = "CG121"
    name = "git-requirement-without-git"
    severity = Severity.INFO
    targets = ("cog",)
    cog_versions = ""
    files = ("cog.yaml", "requirements.txt")

    def check(self) -> None:
        from pipelint.analysis import cog_build
        from pipelint.model import yamlnodes

        p = self.project
        if p.cog_root is None:
            return
        if any(v.strip().split("=")[0].strip() == "git" for _, v in cog_build.system_packages(p)):
            return
        msg = "pip clones this requirement with `git`, which `build.system_packages` does not install " \
              "(`Cannot find command 'git'` on bases without it)"
        help_ = "add `git` to `build.system_packages`"
        build = p.cog_get("build")
        if build is not None and yamlnodes.is_mapping(build[1]):
            hit = yamlnodes.get(build[1], "python_packages")
            if hit is not None and yamlnodes.is_sequence(hit[1]):
                for item in hit[1].value:
                    v = yamlnodes.scalar(item)
                    if isinstance(v, str) and "git+" in v:
                        self.report_yaml(item, msg, help=help_)
        named = p.cog_get("build", "python_requirements")
        if named is None:
            return
        reqs, f = p.requirements, p.requirements_file
        if reqs is None or f is None:
            return
        for line in reqs.lines:
            if "git+" in line.text:
                # Reported where cog.yaml names the file: the fix (add `git`) is in cog.yaml too.
                self.report_yaml(named[1], f"{f.rel} line {line.line}: `{line.text}`: {msg}", help=help_)

    VALID = [
        Case(_model("torch==2.3.1\n")),
        Case(_model("git+https://github.com/openai/CLIP.git\n", "  system_packages:\n    - ffmpeg\n    - git\n")),
    ]
    INVALID = [
        Case(_model("torch==2.3.1\nclip @ git+https://github.com/openai/CLIP.git@dcba3cb\n",
                    "  system_packages:\n    - ffmpeg\n"),
             expect=[("cog.yaml", 3, 24, 3, 40, "requirements.txt line 2: `clip @ git+https://github.com/openai/CLIP.git@dcba3cb`: pip clones")]),
        Case({**_model(""), "cog.yaml": 'build:\n  python_version: "3.11"\n  python_packages:\n'
                                        '    - "git+https://github.com/openai/CLIP.git"\npredict: "predict.py:Predictor"\n'},
             expect=[("cog.yaml", 4, 7, 4, 47, "`build.system_packages` does not install")]),
    ]
