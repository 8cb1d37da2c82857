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


def add_entry(file: SourceFile, mapping, key: str, value: str) -> Edit | None:
    """Add ``key: value`` as the last entry of a mapping node, in its style: a line at its keys'
    indentation (block), or an item before the closing brace (flow). None when the mapping has no
    entry to take the indentation from."""
    text = file.text or ""
    starts = _line_starts(text)
    pairs = list(mapping.value)
    if mapping.flow_style:
        close = starts[mapping.end_mark.line] + mapping.end_mark.column - 1  # the `}`
        if not 0 <= close < len(text) or text[close] != "}":
            return None
        at = _pos(starts, close)
        return Edit(file.path, at, at, (", " if pairs else "") + f"{key}: {value}")
    if not pairs:
        return None
    first_key, _ = pairs[0]
    _, last_value = pairs[-1]
    lines = text.splitlines(keepends=True)
    # a block value ends where the next key begins (maybe after blank and comment lines): step back
    # to the last line of the mapping's own content
    line = last_value.end_mark.line
    if last_value.end_mark.column == 0 or line >= len(lines):
        line -= 1
    while line > first_key.start_mark.line and (not lines[line].strip() or lines[line].lstrip().startswith("#")):
        line -= 1
    entry = " " * first_key.start_mark.column + f"{key}:" + ("" if value.startswith(("\n", "\r")) else " ") + value
    if line + 1 < len(lines):
        return Edit(file.path, Position(line + 2, 1), Position(line + 2, 1), entry + file.newline)
    end = _pos(starts, len(text))
    prefix = "" if text.endswith(("\n", "\r")) else file.newline
    return Edit(file.path, end, end, prefix + entry + file.newline)


def name_requirements_file(project, rel: str) -> Edit | None:
    """The edit that makes cog.yaml's ``build.python_requirements`` name ``rel`` (for a fix that
    creates the file: cog reads no requirements file it is not told of), or None when cog.yaml
    already names it, or is not a mapping such an entry can be added to."""
    root = project.cog_root
    f = project.cog_file
    if root is None or f is None or f.text is None:
        return None
    hit = project.cog_get("build", "python_requirements")
    if hit is not None:
        return None if yamlnodes.scalar(hit[1]) == rel else replace(f, hit[1], rel)
    build = project.cog_get("build")
    if build is not None:
        if not yamlnodes.is_mapping(build[1]):
            return None
        return add_entry(f, build[1], "python_requirements", rel)
    if root.flow_style:
        return add_entry(f, root, "build", f"{{python_requirements: {rel}}}")
    if not list(root.value):
        return None
    return add_entry(f, root, "build", f"{f.newline}  python_requirements: {rel}")
