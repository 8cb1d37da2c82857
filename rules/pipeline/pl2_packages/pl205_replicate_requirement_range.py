"""PL205 replicate-requirement-range."""

from __future__ import annotations

from pipelint.core.diagnostics import Edit, Position
from pipelint.engine.rule import Case, Rule
from pipelint.model.requirements import (
    REPLICATE_LINE,
    REPLICATE_REQUIREMENT,
    applies_on_runtime,
    line_span,
    requirement_spec,
)


class ReplicateRequirementRange(Rule):
    """The `replicate` requirement does not select the client the runtime runs.

    ## What it does
    Reports a `replicate` requirement that excludes the runtime's version (1.1.0b2), that cannot
    select a pre-release at all (plain `replicate` or `replicate>=1.0` installs the latest
    1.0.x release, which has no `use()`), or that is the old guide's malformed
    `replicate >= 1.1.0b1 < 2.0.0a1`.

    ## Why is this bad?
    Locally, pip then installs a client without `replicate.use()` (`AttributeError: module
    'replicate' has no attribute 'use'`) or refuses the file; `cog push` refuses a specifier
    the runtime's version does not satisfy.

    ## Example
    ```text
    replicate
    ```

    ## Use instead
    ```text
    replicate>=1.1.0b1,<2.0.0a1
    ```

    ## Fix safety
    The fix replaces the specifier with `replicate>=1.1.0b1,<2.0.0a1` (keeping an environment
    marker and a trailing comment). It is safe: that range holds the runtime's version. It is
    not offered for a requirement continued over several lines.
    """

    code = "PL205"
    name = "replicate-requirement-range"
    files = ("requirements.txt",)
    fix_availability = "sometimes"

    def check(self) -> None:
        from pipelint.model.requirements import with_includes

        pkg = self.project.runtime.package("replicate")
        pinned = pkg.version if pkg is not None else None
        for source, reqs in with_includes(self.project):
            for line in reqs.lines:
                if line.requirement is None:
                    if line.error and REPLICATE_LINE.match(line.text):
                        self._report(source, line, f"`{line.text}` is not a valid requirement (the old guide's "
                                                   f"spelling lacks the comma): pip refuses the file")
                    continue
                if line.name != "replicate" or not applies_on_runtime(line.requirement):
                    continue
                spec = line.requirement.specifier
                if pinned is not None and not spec.contains(pinned, prereleases=True):
                    self._report(source, line, f"`{requirement_spec(line)}` excludes the runtime's replicate {pinned} "
                                               f"(`{requirement_spec(line)}: Python package not available in pipelines runtime`)")
                elif not spec.prereleases:
                    self._report(source, line, f"`{requirement_spec(line)}` cannot select a pre-release: pip installs replicate "
                                               f"1.0.x, which has no `replicate.use()`")

    def _report(self, source, line, message: str) -> None:
        fix = None
        if line.end_line == line.line and line.option is None:
            spec = requirement_spec(line)
            marker = ""
            if line.requirement is not None and line.requirement.marker is not None:
                marker = f"; {line.requirement.marker}"
            edit = Edit(source.path, Position(line.line, line.column),
                        Position(line.line, line.column + len(spec)), REPLICATE_REQUIREMENT + marker)
            fix = self.fix(f"Require `{REPLICATE_REQUIREMENT}`", edit)
        self.report_at(source.path, *line_span(source, line), message, help=f"require `{REPLICATE_REQUIREMENT}`", fix=fix)

    VALID = [Case({"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\n"}),
             Case({"requirements.txt": "replicate==1.1.0b2\n"}),
             Case({"requirements.txt": "replicate>=1.1.0b1\nreplicate-utils==1.0\n"})]
    INVALID = [
        Case({"requirements.txt": "replicate\n"},
             expect=[("requirements.txt", 1, 1, 1, 10, "`replicate` cannot select a pre-release")],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n"}),
        Case({"requirements.txt": "numpy\nreplicate >= 1.1.0b1 < 2.0.0a1  # from the guide\n"},
             expect=[("requirements.txt", 2, 1, 2, 31, "`replicate >= 1.1.0b1 < 2.0.0a1` is not a valid "
                                                       "requirement (the old guide's spelling lacks the comma)")],
             fixed={"requirements.txt": f"numpy\n{REPLICATE_REQUIREMENT}  # from the guide\n"}),
        Case({"requirements.txt": "Replicate>=1.0\n"},
             expect=[("requirements.txt", 1, 1, 1, 15, "`Replicate>=1.0` cannot select a pre-release")],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n"}),
        Case({"requirements.txt": "replicate>=2.0.0a1\n"},
             expect=[("requirements.txt", 1, 1, 1, 19, "`replicate>=2.0.0a1` excludes the runtime's replicate "
                                                       "1.1.0b2")],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n"}),
    ]
