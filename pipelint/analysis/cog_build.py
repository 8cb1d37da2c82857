"""cog.yaml's ``build`` section as cog's Dockerfile generator reads it: ``build.run`` commands and
``build.system_packages`` items, with the nodes that hold them.

What cog does with them (replicate/cog ``pkg/dockerfile/standard_generator.go``): every
``system_packages`` item goes verbatim to one ``apt-get install -qqy``; every ``build.run`` item
(a string, or ``{command: …, mounts: […]}``) becomes its own ``RUN`` line, in order, after the
apt, Python, pip and SDK steps and **before** the project is copied into the image
(``COPY . /src``); a command that still holds a newline is refused (``runCommands``).

API::

    from pipelint.analysis.cog_build import run_commands, system_packages, substring_range
    for c in run_commands(project):      # RunCommand(item, node, text)
        c.node                           # the scalar node of the command (None: not a string)
    for node, value in system_packages(project): ...
    start, end = substring_range(project.cog_file, node, offset, length)   # inside a scalar's text
"""

from __future__ import annotations

from pipelint.core.diagnostics import Position
from pipelint.core.records import Record
from pipelint.model import yamlnodes


class RunCommand(Record, frozen=True):
    item: object  # the sequence item node (a scalar, or a mapping with ``command``)
    node: object | None  # the scalar node holding the command, or None when there is none
    text: str | None  # the command as cog reads it (YAML value), or None when it is not a string
    sequence: object  # the ``build.run`` sequence node

    def __init__(self, item: object, node: object | None, text: str | None, sequence: object = None) -> None:
        object.__setattr__(self, "item", item)
        object.__setattr__(self, "node", node)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "sequence", sequence)


def _build(project):
    if project.cog_root is None:
        return None
    hit = project.cog_get("build")
    return hit[1] if hit is not None and yamlnodes.is_mapping(hit[1]) else None


def run_commands(project) -> list[RunCommand]:
    """The ``build.run`` items in order; empty when there is no such list."""
    build = _build(project)
    hit = yamlnodes.get(build, "run") if build is not None else None
    if hit is None or not yamlnodes.is_sequence(hit[1]):
        return []
    out = []
    for item in hit[1].value:
        node = item
        if yamlnodes.is_mapping(item):
            got = yamlnodes.get(item, "command")
            node = got[1] if got is not None else None
        value = yamlnodes.scalar(node) if node is not None and yamlnodes.is_scalar(node) else None
        if not isinstance(value, str):
            out.append(RunCommand(item, node if yamlnodes.is_scalar(node) else None, None, hit[1]))
        else:
            out.append(RunCommand(item, node, value, hit[1]))
    return out


def system_packages(project) -> list[tuple[object, str]]:
    """(scalar node, package text) of each ``build.system_packages`` string item."""
    build = _build(project)
    hit = yamlnodes.get(build, "system_packages") if build is not None else None
    if hit is None or not yamlnodes.is_sequence(hit[1]):
        return []
    out = []
    for item in hit[1].value:
        value = yamlnodes.scalar(item)
        if isinstance(value, str):
            out.append((item, value))
    return out


def node_source(file, node) -> str:
    """The text of ``node`` exactly as written in ``file``."""
    text = file.text or ""
    a = file.offset(node.start_mark.line + 1, node.start_mark.column + 1)
    b = file.offset(node.end_mark.line + 1, node.end_mark.column + 1)
    return text[a:b]


def offset_position(file, offset: int) -> Position:
    """The 1-based position of a character offset into ``file.text``."""
    import bisect

    from pipelint.core.source import line_offsets

    starts = line_offsets(file.text or "")
    i = bisect.bisect_right(starts, offset) - 1
    return Position(i + 1, offset - starts[i] + 1)


def substring_range(file, node, index: int, length: int) -> tuple[Position, Position]:
    """Where ``length`` characters starting at ``index`` of ``node``'s written text are."""
    a = file.offset(node.start_mark.line + 1, node.start_mark.column + 1) + index
    return offset_position(file, a), offset_position(file, a + length)
