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

_MAIN_USE = "from replicate import use\n\nllm = use('a/b')\n\n\ndef run(prompt: str) -> str:\n    return str(llm(prompt=prompt))\n"


class ReplicateRequirementRange(Rule):
    """The `replicate` requirement does not select the client the runtime runs.

    ## What it does
    Reports a `replicate` requirement that excludes the runtime's version (1.1.0b2), that cannot
    select a pre-release at all (plain `replicate` or `replicate>=1.0` installs the latest
    1.0.x release, which has no `use()`), that admits replicate 2.x (`replicate>=1.1.0b1`
    with no upper bound: pre-releases are allowed, so pip installs the newest 2.x one), or that
    is the old guide's malformed `replicate >= 1.1.0b1 < 2.0.0a1`. Specifiers are judged by the
    versions they admit (packaging's `SpecifierSet`), not by their spelling:
    `replicate==1.1.0b2` is fine.

    It is an error for a model that calls `use()`, and a warning for one that does not (it only
    runs `replicate.run()` or the like, which every 1.x client has).

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
        from pipelint.analysis.calls import calls_use
        from pipelint.core.diagnostics import Severity
        from pipelint.model.requirements import with_includes

        pkg = self.project.runtime.package("replicate")
        pinned = pkg.version if pkg is not None else None
        self._severity = None if calls_use(self.project) else Severity.WARNING
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
                else:
                    admitted = next_major_admitted(spec, pinned)
                    if admitted is not None:
                        self._report(source, line, f"`{requirement_spec(line)}` admits replicate {admitted} and the "
                                                   f"other {admitted.split('.')[0]}.x pre-releases: pip installs the newest "
                                                   f"one, not the {pinned} client the runtime runs")

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
        self.report_at(source.path, *line_span(source, line), message, help=f"require `{REPLICATE_REQUIREMENT}`", fix=fix,
                       severity=getattr(self, "_severity", None))

    VALID = [Case({"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\n"}),
             Case({"requirements.txt": "replicate==1.1.0b2\n"}),
             Case({"requirements.txt": "replicate~=1.1.0b1\n"}),
             Case({"requirements.txt": "replicate>=1.1.0b1,<2\n"}, note="`<2` excludes 2.0.0's pre-releases"),
             Case({"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\nreplicate-utils==1.0\n"})]
    INVALID = [
        Case({"requirements.txt": "replicate\n", "main.py": _MAIN_USE},
             expect=[("requirements.txt", 1, 1, 1, 10, "`replicate` cannot select a pre-release")],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n"}),
        Case({"requirements.txt": "numpy\nreplicate >= 1.1.0b1 < 2.0.0a1  # from the guide\n", "main.py": _MAIN_USE},
             expect=[("requirements.txt", 2, 1, 2, 31, "`replicate >= 1.1.0b1 < 2.0.0a1` is not a valid "
                                                       "requirement (the old guide's spelling lacks the comma)")],
             fixed={"requirements.txt": f"numpy\n{REPLICATE_REQUIREMENT}  # from the guide\n"}),
        Case({"requirements.txt": "Replicate>=1.0\n", "main.py": _MAIN_USE},
             expect=[("requirements.txt", 1, 1, 1, 15, "`Replicate>=1.0` cannot select a pre-release")],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n"}),
        Case({"requirements.txt": "replicate>=1.1.0b1\n", "main.py": _MAIN_USE},
             expect=[("requirements.txt", 1, 1, 1, 19, "`replicate>=1.1.0b1` admits replicate 2.0.0a1 and the other "
                                                       "2.x pre-releases")],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n"}),
        Case({"requirements.txt": "replicate!=1.0.0,>=1.1.0b2\n", "main.py": _MAIN_USE},
             expect=[("requirements.txt", 1, 1, 1, 27, "admits replicate 2.0.0a1")]),
        Case({"requirements.txt": "replicate>=2.0.0a1\n", "main.py": _MAIN_USE},
             expect=[("requirements.txt", 1, 1, 1, 19, "`replicate>=2.0.0a1` excludes the runtime's replicate "
                                                       "1.1.0b2")],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n"}),
    ]


def next_major_admitted(spec, pinned) -> str | None:
    """The lowest version of the next major release line after ``pinned`` that ``spec`` admits
    (pre-releases included, no dev releases), probing the line's first versions and every
    version the specifier names in it; None when it admits none."""
    from packaging.version import InvalidVersion, Version

    try:
        major = Version(str(pinned)).major + 1 if pinned is not None else 2
    except InvalidVersion:
        return None
    # The first release of a line is its `a1` (replicate's 2.x starts at 2.0.0a1 on PyPI, measured
    # 2026-12-02): a bound below it (`<2.0.0a1`) admits no published 2.x version.
    probes = {f"{major}.0.0a1", f"{major}.0.0b1", f"{major}.0.0rc1",
              f"{major}.0.0", f"{major}.0.1", f"{major}.1.0", f"{major}.99.0"}
    for one in spec:
        try:
            v = Version(one.version.rstrip(".*"))
        except InvalidVersion:
            continue
        if v.major == major:
            probes.update({str(v), f"{v}.post1", f"{v.major}.{v.minor}.{v.micro + 1}"})
    admitted = sorted((Version(p) for p in probes if spec.contains(p, prereleases=True)))
    return str(admitted[0]) if admitted else None
