"""requirements.txt parsed with ``packaging``, one entry per logical line, with positions.

Handles comments, blank lines, ``\\`` continuations, pip options (``-r``, ``-c``, ``-e``,
``--index-url`` …), ``name @ url`` references, bare URLs and environment markers. Files named
by ``-r`` are followed by the project model (their entries carry their own file).
"""

from __future__ import annotations

import re

from pipelint.core.records import Record

_COMMENT = re.compile(r"(^|\s)#.*$")
_URL_LIKE = re.compile(r"^(\w+\+)?(https?|file|ftp)://|^\.{0,2}/|\.(whl|zip|tar\.gz)$")
# PEP 508 ``name [extras] @ url``: a named requirement, although its URL looks like a bare one.
_NAMED_URL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@")


class RequirementLine(Record):
    line: int  # 1-based first physical line
    end_line: int  # 1-based last physical line
    column: int  # 1-based column where the requirement text starts
    text: str  # the logical line without comment, stripped
    requirement: object | None  # packaging.requirements.Requirement
    option: str | None  # "-r", "-c", "-e", "--index-url", …
    option_value: str | None
    error: str | None  # why ``text`` is not a valid requirement

    def __init__(
        self,
        line: int,
        end_line: int,
        column: int,
        text: str,
        requirement: object | None = None,
        option: str | None = None,
        option_value: str | None = None,
        error: str | None = None,
    ) -> None:
        self.line = line
        self.end_line = end_line
        self.column = column
        self.text = text
        self.requirement = requirement
        self.option = option
        self.option_value = option_value
        self.error = error

    @property
    def name(self) -> str | None:
        from packaging.utils import canonicalize_name

        return canonicalize_name(self.requirement.name) if self.requirement is not None else None

    @property
    def end_column(self) -> int:
        return self.column + len(self.text)


class Requirements(Record):
    lines: list[RequirementLine]

    def __init__(self, lines: list[RequirementLine] | None = None) -> None:
        self.lines = [] if lines is None else lines

    @property
    def requirements(self) -> list[RequirementLine]:
        return [r for r in self.lines if r.requirement is not None]

    def find(self, name: str) -> list[RequirementLine]:
        from packaging.utils import canonicalize_name

        want = canonicalize_name(name)
        return [r for r in self.requirements if r.name == want]

    @property
    def includes(self) -> list[RequirementLine]:
        return [r for r in self.lines if r.option in ("-r", "--requirement", "-c", "--constraint")]


def logical_lines(physical: list[str]) -> list[tuple[int, int]]:
    """(first, last) 0-based indexes of each logical line, as pip joins them: a line continues
    only when it really ends with a backslash (not when a comment follows the backslash)."""
    spans = []
    i = 0
    while i < len(physical):
        first = i
        while physical[i].endswith("\\") and i + 1 < len(physical):
            i += 1
        spans.append((first, i))
        i += 1
    return spans


def parse(text: str) -> Requirements:
    from packaging.requirements import InvalidRequirement, Requirement

    result = Requirements()
    physical = text.splitlines()
    for first, last in logical_lines(physical):
        raw = physical[first]
        logical = " ".join([line[:-1] for line in physical[first:last]] + [physical[last]])
        logical = _COMMENT.sub("", logical)
        i = last + 1
        stripped = logical.strip()
        if not stripped:
            continue
        column = len(raw) - len(raw.lstrip()) + 1
        entry = RequirementLine(first + 1, i, column, stripped)
        if stripped.startswith("-"):
            opt, _, value = stripped.partition(" ")
            if "=" in opt and opt.startswith("--"):
                opt, _, value = opt.partition("=")
            elif len(opt) > 2 and not opt.startswith("--"):
                opt, value = opt[:2], opt[2:]
            entry.option, entry.option_value = opt, value.strip() or None
        elif _URL_LIKE.search(stripped.split(";")[0].strip()) and not _NAMED_URL.match(stripped):
            entry.option, entry.option_value = "url", stripped
        else:
            # pip allows per-requirement options after the specifier: `pkg --hash=…`
            spec = re.split(r"\s+--?\w", stripped, maxsplit=1)[0].strip()
            try:
                entry.requirement = Requirement(spec)
            except InvalidRequirement as exc:
                entry.error = str(exc)
        result.lines.append(entry)
    return result


def with_includes(project, limit: int = 20) -> list[tuple[object, Requirements]]:
    """(SourceFile, Requirements) of the file cog.yaml names and every file it pulls in with
    ``-r``/``--requirement`` (relative to the including file, inside the model folder), in order."""
    first = project.requirements_file
    if first is None or first.text is None:
        return []
    out, seen, queue = [], {first.path}, [(first, project.requirements)]
    while queue and len(out) < limit:
        source, reqs = queue.pop(0)
        out.append((source, reqs))
        for line in reqs.includes:
            if line.option not in ("-r", "--requirement") or not line.option_value:
                continue
            from pipelint.core.paths import resolve_path

            path = resolve_path(source.path.parent / line.option_value)  # a looping link must not raise
            if path in seen or not project.inside(path):
                continue
            seen.add(path)
            included = project.file(path)
            if included is not None and included.text is not None:
                queue.append((included, parse(included.text)))
    return out


# ---- what the requirement rules share -------------------------------------------------------
RUNTIME_PYTHON = "3.13"
# What the runtime evaluates requirement markers against: CPython 3.13 on x86-64 Linux.
MARKER_ENVIRONMENT = {
    "python_version": RUNTIME_PYTHON,
    "python_full_version": f"{RUNTIME_PYTHON}.0",
    "implementation_name": "cpython",
    "implementation_version": f"{RUNTIME_PYTHON}.0",
    "platform_python_implementation": "CPython",
    "os_name": "posix",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
}

# The range the guide asks for: it holds the runtime's replicate (1.1.0b2) and lets pip pick a pre-release.
REPLICATE_REQUIREMENT = "replicate>=1.1.0b1,<2.0.0a1"
# A line that names replicate, even one packaging cannot parse (the old guide's `replicate >= 1.1.0b1 < 2.0.0a1`).
REPLICATE_LINE = re.compile(r"(?i)replicate(?![A-Za-z0-9._-])")


def applies_on_runtime(req) -> bool:
    """Whether the requirement's environment marker holds on the runtime (Linux, CPython 3.13)."""
    if req.marker is None:
        return True
    try:
        return req.marker.evaluate(dict(MARKER_ENVIRONMENT, extra=""))
    except Exception:  # an unknown marker variable: assume it applies
        return True


def runtime_requirements(project):
    """(file, line) of every requirement (following ``-r``) that applies on the runtime's platform."""
    for source, reqs in with_includes(project):
        for line in reqs.requirements:
            if applies_on_runtime(line.requirement):
                yield source, line


def requirement_spec(line) -> str:
    """The requirement as written, without pip's per-requirement options (``--hash=…``)."""
    return re.split(r"\s+--?\w", line.text, maxsplit=1)[0].strip()


def line_span(source, line):
    """Where a diagnostic about ``line`` of ``source`` goes: its requirement text on its first
    physical line (to the end of that line when the requirement is continued)."""
    from pipelint.core.diagnostics import Position

    raw = source.lines()[line.line - 1] if line.line <= len(source.lines()) else ""
    end_col = line.end_column if line.end_line == line.line else len(raw) + 1
    return Position(line.line, line.column), Position(line.line, max(end_col, line.column))
