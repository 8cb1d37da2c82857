"""PL203 requirement-excludes-runtime-version."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule
from pipelint.model.requirements import line_span, requirement_spec, runtime_requirements


class RequirementExcludesRuntimeVersion(Rule):
    """A requirement's version specifier excludes the version the runtime pins.

    ## What it does
    Reports a requirement of a runtime package whose specifier the runtime's pinned version
    does not satisfy (`pydantic>=2` against pydantic 1.10.22, `pillow==10.0.0` against
    11.2.1). `replicate` has its own rule (PL205).

    ## Why is this bad?
    The runtime installs its pinned version whatever requirements.txt asks for, so code written
    for the requested version runs against another one. `cog push` refuses the model
    (`pydantic>=2: Python package not available in pipelines runtime`).

    ## Example
    ```text
    pydantic>=2
    ```

    ## Use instead
    ```text
    pydantic==1.10.22
    ```
    and write the code for that version.
    """

    code = "PL203"
    name = "requirement-excludes-runtime-version"
    files = ("requirements.txt",)

    def check(self) -> None:
        runtime = self.project.runtime
        for source, line in runtime_requirements(self.project):
            pkg = runtime.package(line.name)
            if pkg is None or pkg.version is None or line.name == "replicate" or not str(line.requirement.specifier):
                continue
            if line.requirement.specifier.contains(pkg.version, prereleases=True):
                continue
            self.report_at(source.path, *line_span(source, line), f"`{requirement_spec(line)}` excludes the runtime's {pkg.name} {pkg.version}, which is what runs on Replicate "
                         f"(`{requirement_spec(line)}: Python package not available in pipelines runtime`)",
                         help=f"write code for {pkg.name} {pkg.version} and require `{pkg.name}=={pkg.version}` "
                              f"(or no version at all)")

    VALID = [Case({"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\npydantic<2\npillow>=11,<12\nnumpy==2.3.1\nrequests\n"})]
    INVALID = [
        Case({"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\npydantic>=2\nPillow==10.0.0 ; python_version >= '3.8'\n"},
             expect=[("requirements.txt", 2, 1, 2, 12, "`pydantic>=2` excludes the runtime's pydantic 1.10.22, "
                                                       "which is what runs on Replicate"),
                     ("requirements.txt", 3, 1, 3, 41, "`Pillow==10.0.0 ; python_version >= '3.8'` excludes the "
                                                       "runtime's pillow 11.2.1, which is what runs on Replicate")]),
    ]
