"""PL106–PL113: the `build` and `concurrency` settings the pipelines runtime refuses."""

from __future__ import annotations

from pipelint.edits import yamledit

from pipelint.model import yamlnodes
from pipelint.core.diagnostics import Applicability, Edit, Position
from pipelint.engine.rule import Case, Rule

ALLOWED_SYSTEM_PACKAGES = ("curl", "ffmpeg", "imagemagick")


class GpuEnabled(Rule):
    """`build.gpu: true`: pipelines run on CPU.

    ## What it does
    Reports `gpu: true` in the `build` section of cog.yaml.

    ## Why is this bad?
    Pipeline models run on CPU hardware only; `cog push` refuses the model with
    `GPU is not supported in pipelines runtime`.

    ## Example
    ```yaml
    build:
      gpu: true
    ```

    ## Use instead
    ```yaml
    build:
      gpu: false
    ```
    """

    code = "PL106"
    name = "gpu-enabled"
    files = ("cog.yaml",)
    fix_availability = "always"

    def check(self) -> None:
        hit = self.project.cog_get("build", "gpu")
        if hit is None or yamlnodes.scalar(hit[1]) is not True:
            return
        key, value = hit
        self.report_yaml(key, "`gpu: true` is not allowed: pipeline models run on CPU (`GPU is not supported in pipelines runtime`)",
                         help="set `gpu: false` or remove the key",
                         fix=self.fix("Set `gpu: false`", yamledit.replace(self.project.cog_file, value, "false")))

    VALID = [Case({"cog.yaml": 'build:\n  gpu: false\npredict: "main.py:run"\n'})]
    INVALID = [
        Case({"cog.yaml": 'build:\n  gpu: true\npredict: "main.py:run"\n'}, expect=[("cog.yaml", 2, 3)],
             fixed={"cog.yaml": 'build:\n  gpu: false\npredict: "main.py:run"\n'}),
        Case({"cog.yaml": 'build: {gpu: true}\npredict: "main.py:run"\n'}, expect=[("cog.yaml", 1, 9)],
             fixed={"cog.yaml": 'build: {gpu: false}\npredict: "main.py:run"\n'}),
        Case({"cog.yaml": 'build:\n  gpu: yes  # needed?\npredict: "main.py:run"\n'}, expect=[("cog.yaml", 2, 3)],
             fixed={"cog.yaml": 'build:\n  gpu: false  # needed?\npredict: "main.py:run"\n'}),
    ]


class CudaSet(Rule):
    """`build.cuda` is set.

    ## What it does
    Reports a `cuda` key in the `build` section of cog.yaml.

    ## Why is this bad?
    There is no GPU in the pipelines runtime; `cog push` refuses the model with
    `CUDA is not supported in pipelines runtime`.

    ## Example
    ```yaml
    build:
      cuda: "12.1"
    ```

    ## Use instead
    Remove the `cuda` key.
    """

    code = "PL107"
    name = "cuda-set"
    files = ("cog.yaml",)
    fix_availability = "always"

    def check(self) -> None:
        p = self.project
        build = p.cog_get("build")
        hit = p.cog_get("build", "cuda")
        if hit is None:
            return
        key, value = hit
        self.report_yaml(key, "`build.cuda` is not allowed: pipeline models run on CPU (`CUDA is not supported in pipelines runtime`)",
                         help="remove the `cuda` key",
                         fix=self.fix("Remove `cuda`", yamledit.delete_entry(p.cog_file, build[1], key, value)))

    VALID = [Case({})]
    INVALID = [
        Case({"cog.yaml": 'build:\n  cuda: "12.1"\n  python_version: "3.13"\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 2, 3)],
             fixed={"cog.yaml": 'build:\n  python_version: "3.13"\npredict: "main.py:run"\n'}),
        Case({"cog.yaml": 'build: {python_version: "3.13", cuda: "11.8"}\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 1, 33)],
             fixed={"cog.yaml": 'build: {python_version: "3.13"}\npredict: "main.py:run"\n'}),
    ]


class BuildRunCommands(Rule):
    """`build.run` commands.

    ## What it does
    Reports a `run` list in the `build` section of cog.yaml.

    ## Why is this bad?
    Pipeline models are not built into an image: there is no build step to run commands in.
    `cog push` refuses the model with `Run commands are not supported in pipelines runtime`.

    ## Example
    ```yaml
    build:
      run:
        - pip install torch
    ```

    ## Use instead
    Remove `build.run`. Use the runtime's packages, or call another model with `replicate.use()`
    for work that needs other software.
    """

    code = "PL108"
    name = "build-run-commands"
    files = ("cog.yaml",)

    def check(self) -> None:
        hit = self.project.cog_get("build", "run")
        if hit is None or yamlnodes.is_null(hit[1]) or (yamlnodes.is_sequence(hit[1]) and not hit[1].value):
            return
        self.report_yaml(hit[0], "`build.run` is not allowed (`Run commands are not supported in pipelines runtime`)",
                         help="remove `build.run`; pipelines cannot install software at build time")

    VALID = [Case({"cog.yaml": 'build:\n  run: []\npredict: "main.py:run"\n'})]
    INVALID = [Case({"cog.yaml": 'build:\n  run:\n    - apt-get install -y git\npredict: "main.py:run"\n'},
                    expect=[("cog.yaml", 2, 3)])]


class PythonPackages(Rule):
    """`build.python_packages` is set.

    ## What it does
    Reports a `python_packages` list in the `build` section of cog.yaml.

    ## Why is this bad?
    `cog push` refuses the model with `Python packages is not supported in pipelines runtime`;
    requirements go in requirements.txt (and only the runtime's packages are installed).

    ## Example
    ```yaml
    build:
      python_packages:
        - requests==2.32.4
    ```

    ## Use instead
    ```text
    # requirements.txt
    requests==2.32.4
    ```

    ## Fix safety
    The fix moves the entries to the requirements file and deletes the key. It is unsafe:
    the requirements file changes, and a package outside the runtime is still not installed.
    """

    code = "PL109"
    name = "python-packages"
    files = ("cog.yaml", "requirements.txt")
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check(self) -> None:
        p = self.project
        hit = p.cog_get("build", "python_packages")
        if hit is None:
            return
        key, value = hit
        fix = None
        packages = [yamlnodes.scalar(v) for v in value.value] if yamlnodes.is_sequence(value) else None
        req = p.requirements_file
        if packages and all(isinstance(x, str) for x in packages) and (req is None or req.ok):
            existing = {r.text for r in p.requirements.lines} if p.requirements else set()
            new_lines = [x for x in packages if x not in existing]
            edits: list[Edit] = [yamledit.delete_entry(p.cog_file, p.cog_get("build")[1], key, value)]
            if req is not None:
                if new_lines:
                    edits.append(yamledit.append_lines(req, new_lines))
            else:
                edits.append(Edit(p.path(p.requirements_rel), Position(1, 1), Position(1, 1),
                                  "".join(x + "\n" for x in new_lines)))
            fix = self.fix(f"Move python_packages to {p.requirements_rel}", *edits)
        self.report_yaml(key, "`build.python_packages` is not allowed (`Python packages is not supported in pipelines runtime`)",
                         help=f"list the packages in {p.requirements_rel} instead", fix=fix)

    VALID = [Case({})]
    INVALID = [
        Case({"cog.yaml": 'build:\n  python_version: "3.13"\n  python_packages:\n    - "requests==2.32.4"\n'
                          '  python_requirements: requirements.txt\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 3, 3)],
             fixed={"cog.yaml": 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\n'
                                'predict: "main.py:run"\n',
                    "requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\nrequests==2.32.4\n"}),
    ]


class SystemPackages(Rule):
    """`build.system_packages` beyond curl, ffmpeg and imagemagick.

    ## What it does
    Reports each system package that the pipelines runtime does not provide.

    ## Why is this bad?
    The runtime has a fixed set of system tools (curl, ffmpeg with ffprobe, imagemagick);
    `cog push` refuses anything else with `<pkg>: System package not available in pipelines runtime`.

    ## Example
    ```yaml
    build:
      system_packages:
        - ffprobe
        - libgl1
    ```

    ## Use instead
    ```yaml
    build:
      system_packages:
        - ffmpeg   # ffprobe ships with it
    ```
    """

    code = "PL110"
    name = "unsupported-system-package"
    files = ("cog.yaml",)

    def check(self) -> None:
        hit = self.project.cog_get("build", "system_packages")
        if hit is None or not yamlnodes.is_sequence(hit[1]):
            return
        for item in hit[1].value:
            value = yamlnodes.scalar(item)
            if not isinstance(value, str):
                continue
            name = value.split("=")[0].strip()
            if name in ALLOWED_SYSTEM_PACKAGES:
                continue
            help_ = ("ffprobe ships with ffmpeg: list `ffmpeg` instead" if name == "ffprobe"
                     else "the runtime has only curl, ffmpeg (with ffprobe) and imagemagick; remove it")
            self.report_yaml(item, f"`{value}`: System package not available in pipelines runtime", help=help_)

    VALID = [Case({"cog.yaml": 'build:\n  system_packages: [curl, ffmpeg, imagemagick]\npredict: "main.py:run"\n'})]
    INVALID = [
        Case({"cog.yaml": 'build:\n  system_packages:\n    - ffmpeg\n    - ffprobe\n    - "libgl1"\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 4, 7), ("cog.yaml", 5, 7)]),
    ]


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
        Case({"cog.yaml": 'build:\n  python_version: "3.11"\npredict: "main.py:run"\n'}, expect=[("cog.yaml", 2, 19)],
             fixed={"cog.yaml": 'build:\n  python_version: "3.13"\npredict: "main.py:run"\n'}),
        Case({"cog.yaml": 'build:\n  python_version: "3.13.1"\npredict: "main.py:run"\n'}, expect=[("cog.yaml", 2, 19)],
             fixed={"cog.yaml": 'build:\n  python_version: "3.13"\npredict: "main.py:run"\n'}),
        Case({"cog.yaml": 'build: {python_version: 3.10}\npredict: "main.py:run"\n'}, expect=[("cog.yaml", 1, 25)],
             fixed={"cog.yaml": 'build: {python_version: "3.13"}\npredict: "main.py:run"\n'}),
    ]


class Concurrency(Rule):
    """`concurrency.max` above 1.

    ## What it does
    Reports a `concurrency.max` greater than 1.

    ## Why is this bad?
    `cog push` refuses the model with `Concurrencies above 1 are not supported in pipelines runtime`.

    ## Example
    ```yaml
    concurrency:
      max: 4
    ```

    ## Use instead
    Remove the `concurrency` section (or set `max: 1`).
    """

    code = "PL112"
    name = "concurrency-above-one"
    files = ("cog.yaml",)

    def check(self) -> None:
        hit = self.project.cog_get("concurrency", "max")
        if hit is None:
            return
        value = yamlnodes.scalar(hit[1])
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 1:
            return
        self.report_yaml(hit[1], f"`concurrency.max: {hit[1].value}` is not allowed "
                         "(`Concurrencies above 1 are not supported in pipelines runtime`)",
                         help="remove `concurrency` or set `max: 1`")

    VALID = [Case({"cog.yaml": 'predict: "main.py:run"\nconcurrency:\n  max: 1\n'})]
    INVALID = [Case({"cog.yaml": 'predict: "main.py:run"\nconcurrency:\n  max: 8\n'}, expect=[("cog.yaml", 3, 8)])]


class RequirementsFileMissing(Rule):
    """`build.python_requirements` names a file that does not exist.

    ## What it does
    Reports a `python_requirements` path that is not a file in the model folder.

    ## Why is this bad?
    cog refuses the configuration: `invalid build.python_requirements "<p>": file does not exist`.

    ## Example
    ```yaml
    build:
      python_requirements: requirement.txt
    ```

    ## Use instead
    ```yaml
    build:
      python_requirements: requirements.txt
    ```
    """

    code = "PL113"
    name = "requirements-file-not-found"
    files = ("cog.yaml",)

    def check(self) -> None:
        p = self.project
        hit = p.cog_get("build", "python_requirements")
        if hit is None:
            return
        value = yamlnodes.scalar(hit[1])
        if not isinstance(value, str) or not value.strip():
            return
        path = p.path(value)
        if p.inside(path) and p.exists(path):
            return
        where = "outside the model folder" if not p.inside(path) else "does not exist"
        self.report_yaml(hit[1], f"`{value}` {where} (`invalid build.python_requirements \"{value}\": file does not exist`)",
                         help="create it (with `replicate>=1.1.0b1,<2.0.0a1`) or fix the path")

    VALID = [Case({})]
    INVALID = [Case({"requirements.txt": None}, expect=[("cog.yaml", 3, 24)])]
