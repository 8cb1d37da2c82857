"""PL109 python-packages: `build.python_packages` is set."""

from __future__ import annotations

from pipelint.core.diagnostics import Applicability, Edit, Position
from pipelint.edits import yamledit
from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes


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
    The fix moves the entries to the requirements file and deletes the key; a package the file
    already names (`replicate`) keeps its line there. When it creates the file, the key becomes
    `python_requirements: requirements.txt`, so that cog reads the file. It is unsafe:
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
        build = p.cog_get("build")[1]
        creates = req is None and p.cog_get("build", "python_requirements") is None
        if packages and all(isinstance(x, str) for x in packages) and (req is None or req.ok) \
                and not (creates and build.flow_style):
            new_lines = _new_lines(packages, p.requirements)
            removal = yamledit.delete_entry(p.cog_file, build, key, value)
            if creates:
                # the new file is read only when cog.yaml names it: the key takes python_packages' place
                removal = Edit(removal.path, removal.start, removal.end,
                               " " * key.start_mark.column + f"python_requirements: {p.requirements_rel}\n")
            edits: list[Edit] = [removal]
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
             expect=[("cog.yaml", 3, 3, 3, 18, "`build.python_packages` is not allowed")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\n'
                                'predict: "main.py:run"\n',
                    "requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\nrequests==2.32.4\n"}),
        Case({"cog.yaml": 'build:\n  python_version: "3.13"\n  python_packages:\n    - "replicate>=1.1.0b1"\n'
                          '    - "requests==2.32.4"\n  python_requirements: requirements.txt\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 3, 3, 3, 18, "`build.python_packages` is not allowed")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\n'
                                'predict: "main.py:run"\n',
                    "requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\nrequests==2.32.4\n"},
             note="requirements.txt already names replicate: no second replicate line"),
        Case({"cog.yaml": 'build:\n  python_version: "3.13"\n  python_packages:\n    - "replicate>=1.1.0b2,<2.0.0a1"\n'
                          'predict: "main.py:run"\n', "requirements.txt": None},
             expect=[("cog.yaml", 3, 3, 3, 18, "`build.python_packages` is not allowed")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\n'
                                'predict: "main.py:run"\n',
                    "requirements.txt": "replicate>=1.1.0b2,<2.0.0a1\n"},
             note="the created requirements.txt is named in cog.yaml, or cog would never read it"),
    ]


def _new_lines(packages: list[str], requirements) -> list[str]:
    """The entries to write: each package the requirements file (or an earlier entry) does not
    already name. A package already there (``replicate`` above all) keeps its line: a second one
    would make pip refuse the file (``Double requirement given``)."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    names = {r.name for r in requirements.requirements if r.name} if requirements else set()
    texts = {r.text for r in requirements.lines} if requirements else set()
    out = []
    for x in packages:
        try:
            name = canonicalize_name(Requirement(x).name)
        except InvalidRequirement:
            name = None
        if x in texts or (name is not None and name in names):
            continue
        if name is not None:
            names.add(name)
        texts.add(x)
        out.append(x)
    return out
