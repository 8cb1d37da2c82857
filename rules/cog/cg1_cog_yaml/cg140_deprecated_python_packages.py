"""CG140 deprecated-python-packages: the deprecated `build.python_packages`."""

from __future__ import annotations

from pipelint.core.diagnostics import Edit, Position, Severity
from pipelint.engine.rule import Case, Rule

_PREDICT = "from cog import BasePredictor\n\n\nclass Predictor(BasePredictor):\n    def predict(self, x: str) -> str:\n        return x\n"
_DEFAULT = "requirements.txt"


def _model(build: str, **files) -> dict:
    out = {"cog.yaml": 'build:\n  python_version: "3.11"\n' + build + 'predict: "predict.py:Predictor"\n',
           "predict.py": _PREDICT, "requirements.txt": None, "main.py": None}
    out.update(files)
    return out


class PythonPackages(Rule):
    """`build.python_packages` (deprecated) in cog.yaml.

    ## What it does
    Reports the `build.python_packages` list.

    ## Why is this bad?
    cog deprecated it in favour of a requirements file
    (`deprecated field "build.python_packages": use "build.python_requirements" instead`). A
    requirements file is what pip, uv and every other tool read, and what cog's own checks of
    torch/CUDA pins and local wheels are written for.

    ## Example
    ```yaml
    build:
      python_packages:
        - torch==2.3.1
    ```

    ## Use instead
    ```yaml
    build:
      python_requirements: requirements.txt
    ```
    with `torch==2.3.1` in requirements.txt.

    ## Fix safety
    Safe: the packages move to the file `build.python_requirements` names (requirements.txt,
    created when missing, when the key is not set), skipping lines the file already has, keeping
    its line endings. No fix is offered when the file would change what cog installs: a
    requirements.txt that exists but is not named by cog.yaml and holds other requirements, a
    package the file already pins differently, or an item that is not a plain string.
    """

    code = "CG140"
    name = "deprecated-python-packages"
    severity = Severity.INFO
    targets = ("cog",)
    cog_versions = ">=0.17"
    files = ("cog.yaml", "requirements.txt")
    fix_availability = "sometimes"

    def check(self) -> None:
        from pipelint.model import yamlnodes

        p = self.project
        build = p.cog_get("build")
        if build is None or not yamlnodes.is_mapping(build[1]):
            return
        hit = yamlnodes.get(build[1], "python_packages")
        if hit is None:
            return
        self.report_yaml(hit[0], '`build.python_packages` is deprecated (`deprecated field "build.python_packages": '
                         'use "build.python_requirements" instead`)',
                         help="list the packages in a requirements file named by `build.python_requirements`",
                         fix=self._fix(build[1], *hit))

    def _fix(self, build, key, value):
        from packaging.requirements import InvalidRequirement, Requirement
        from packaging.utils import canonicalize_name

        from pipelint.edits import yamledit
        from pipelint.model import requirements, yamlnodes

        p = self.project
        if build.flow_style:
            return None
        if yamlnodes.is_null(value):
            packages = []
        elif yamlnodes.is_sequence(value):
            packages = [yamlnodes.scalar(item) for item in value.value]
            if not all(isinstance(x, str) and x.strip() and "\n" not in x for x in packages):
                return None
            packages = [x.strip() for x in packages]
        else:
            return None
        named = p.cog_get("build", "python_requirements")
        rel = yamlnodes.scalar(named[1]) if named else _DEFAULT
        if not isinstance(rel, str) or not rel.strip():
            return None
        path = p.path(rel)
        if not p.inside(path):
            return None
        f = p.file(path)
        if f is not None and f.text is None:
            return None
        existing = requirements.parse(f.text) if f is not None else requirements.Requirements()
        if named is None and any(line.text not in packages for line in existing.lines):
            return None  # cog does not read this file today: naming it would install more
        have_text = {line.text for line in existing.lines}
        have_names = {line.name: line.text for line in existing.requirements}
        add = []
        for pkg in packages:
            if pkg in have_text or pkg in add:
                continue
            try:
                name = canonicalize_name(Requirement(pkg).name)
            except InvalidRequirement:
                name = None
            if name is not None and name in have_names:
                return None  # pinned differently in the file: which one wins is not ours to decide
            add.append(pkg)
        edits = []
        if add:
            if f is None:
                edits.append(Edit(path, Position(1, 1), Position(1, 1), "".join(x + "\n" for x in add)))
            else:
                edits.append(yamledit.append_lines(f, add))
        cog = p.cog_file
        if named is None:
            from pipelint.analysis import cog_build

            text = cog.text or ""
            end = yamlnodes.end(value)
            a = cog.offset(key.start_mark.line + 1, key.start_mark.column + 1)
            b = a + len(text[a:cog.offset(end.line, end.column)].rstrip())
            edits.append(Edit(cog.path, yamlnodes.start(key), cog_build.offset_position(cog, b),
                              f"python_requirements: {rel}"))
        else:
            edits.append(yamledit.delete_entry(cog, build, key, value))
        return self.fix(f"Move the packages to {rel} and name it in `build.python_requirements`", *edits)

    VALID = [Case(_model("  python_requirements: requirements.txt\n", **{"requirements.txt": "torch==2.3.1\n"}))]
    INVALID = [
        Case(_model("  gpu: true\n  python_packages:\n    - torch==2.3.1\n    - \"diffusers>=0.27\"\n  run:\n    - echo hi\n"),
             expect=[("cog.yaml", 4, 3, 4, 18, "`build.python_packages` is deprecated")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.11"\n  gpu: true\n  python_requirements: requirements.txt\n'
                                '  run:\n    - echo hi\npredict: "predict.py:Predictor"\n',
                    "requirements.txt": "torch==2.3.1\ndiffusers>=0.27\n"}),
        Case(_model("  python_requirements: requirements.txt\n  python_packages:\n    - torch==2.3.1\n    - numpy\n",
                    **{"requirements.txt": "numpy\nscipy\n"}),
             expect=[("cog.yaml", 4, 3, 4, 18, "deprecated")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.11"\n  python_requirements: requirements.txt\n'
                                'predict: "predict.py:Predictor"\n',
                    "requirements.txt": "numpy\nscipy\ntorch==2.3.1\n"}),
        Case(_model("  python_packages:\n    - torch==2.3.1\n", **{"requirements.txt": "torch==2.1.0\n"}),
             expect=[("cog.yaml", 3, 3, 3, 18, "deprecated")], note="an unnamed requirements.txt: no fix"),
    ]
