"""Text edits on cog.yaml that keep everything else byte for byte (comments, quoting, order)."""

from __future__ import annotations

from pipelint.core.diagnostics import Edit, Position
from pipelint.core.source import SourceFile
from pipelint.model import yamlnodes


def replace(file: SourceFile, node, text: str) -> Edit:
    return Edit(file.path, yamlnodes.start(node), yamlnodes.end(node), text)


def delete_entry(file: SourceFile, mapping, key_node, value_node) -> Edit:
    """Remove ``key: value`` from ``mapping``: whole lines in block style, the item in flow style."""
    text = file.text or ""
    if mapping.flow_style:
        return _delete_flow_item(file, mapping, key_node, value_node)
    lines = text.splitlines(keepends=True)
    first = key_node.start_mark.line
    indent = key_node.start_mark.column
    last = max(value_node.end_mark.line, first)
    # A block value's end mark may sit at the start of the next key's line: not part of it.
    end_line = lines[last] if last < len(lines) else ""
    if last > first and not end_line[: value_node.end_mark.column].strip():
        last -= 1
    i = last + 1
    while i < len(lines):
        s = lines[i].strip()
        if not s or len(lines[i]) - len(lines[i].lstrip()) <= indent:
            break
        i += 1
    return Edit(file.path, Position(first + 1, 1), Position(i + 1, 1), "")


def _delete_flow_item(file: SourceFile, mapping, key_node, value_node) -> Edit:
    text = file.text or ""
    starts = _line_starts(text)
    a = starts[key_node.start_mark.line] + key_node.start_mark.column
    b = starts[value_node.end_mark.line] + value_node.end_mark.column
    after = text[b:]
    stripped = after.lstrip(" \t")
    if stripped.startswith(","):
        b += len(after) - len(stripped) + 1
        b += len(text[b:]) - len(text[b:].lstrip(" \t"))
    else:
        before = text[:a]
        k = len(before.rstrip(" \t"))
        if k and before[k - 1] == ",":
            a = k - 1
    return Edit(file.path, _pos(starts, a), _pos(starts, b), "")


def append_lines(file: SourceFile, lines: list[str]) -> Edit:
    """Add lines at the end of a file, keeping its newline style."""
    text = file.text or ""
    nl = file.newline
    starts = _line_starts(text)
    end = _pos(starts, len(text))
    prefix = "" if not text or text.endswith(("\n", "\r")) else nl
    return Edit(file.path, end, end, prefix + "".join(line + nl for line in lines))


def _line_starts(text: str) -> list[int]:
    from pipelint.core.source import line_offsets

    return line_offsets(text)


def _pos(starts: list[int], offset: int) -> Position:
    import bisect

    i = bisect.bisect_right(starts, offset) - 1
    return Position(i + 1, offset - starts[i] + 1)
