"""PL202 requirement-not-in-runtime: requirements.txt lists a package the runtime does not have."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule
from pipelint.model.requirements import line_span, requirement_spec, runtime_requirements


class RequirementNotInRuntime(Rule):
    """requirements.txt lists a package the runtime does not have.

    ## What it does
    Reports a requirement whose package is not in the pipelines runtime's package list. Names
    are compared normalised (`Pillow` is `pillow`); a requirement whose environment marker is
    false on the runtime (Linux, CPython 3.13) is left alone. Files included with `-r` are
    checked too.

    ## Why is this bad?
    The runtime does not install the model's requirements: it replaces them with its own list.
    The package is never installed on Replicate, so code that imports it fails when the model
    loads. With a version specifier, `cog push` refuses it outright
    (`torch==2.3.0: Python package not available in pipelines runtime`).

    ## Example
    ```text
    replicate>=1.1.0b1,<2.0.0a1
    torch==2.3.0
    ```

    ## Use instead
    ```text
    replicate>=1.1.0b1,<2.0.0a1
    ```
    and do the work with a runtime package or a Replicate model called with `replicate.use()`.
    """

    code = "PL202"
    name = "requirement-not-in-runtime"
    files = ("requirements.txt",)

    def check(self) -> None:
        runtime = self.project.runtime
        for source, line in runtime_requirements(self.project):
            req = line.requirement
            name = line.name
            if runtime.package(name) is not None:
                continue
            if name == "cog" and runtime.provider("cog") and not str(req.specifier):
                continue  # the runtime provides `cog`; an unpinned line is simply dropped
            pushed = f" (`{requirement_spec(line)}: Python package not available in pipelines runtime`)" if str(req.specifier) else ""
            what = ("`cog` is provided by the runtime (coglet), not installed from requirements.txt"
                    if name == "cog" else
                    f"`{req.name}` is not in the pipelines runtime: requirements.txt is replaced by the runtime's "
                    f"package list, so it is never installed on Replicate")
            self.report_at(source.path, *line_span(source, line), what + pushed,
                         help="remove it; use a runtime package or call a Replicate model with `replicate.use()` instead")

    VALID = [
        Case({"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\nPillow\nnumpy>=2\nscikit_learn\ntorch; sys_platform == 'darwin'\n"
                                  "cog\n"}),
    ]
    INVALID = [
        Case({"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\ntorch==2.3.0\n  transformers  # for captions\n"},
             expect=[("requirements.txt", 2, 1, 2, 13, "`torch` is not in the pipelines runtime"),
                     ("requirements.txt", 3, 3, 3, 15, "`transformers` is not in the pipelines runtime")]),
        Case({"requirements.txt": "-r base.txt\nreplicate>=1.1.0b1,<2.0.0a1\n", "base.txt": "opencv-python>=4\n"},
             expect=[("base.txt", 1, 1, 1, 17, "`opencv-python` is not in the pipelines runtime")]),
        Case({"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\ncog==0.16.8\n"},
             expect=[("requirements.txt", 2, 1, 2, 12, "`cog` is provided by the runtime (coglet), not installed "
                                                       "from requirements.txt")]),
    ]
