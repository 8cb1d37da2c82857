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
             expect=[("cog.yaml", 3, 3, 3, 18, "`build.python_packages` is not allowed")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\n'
                                'predict: "main.py:run"\n',
                    "requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\nrequests==2.32.4\n"}),
    ]
