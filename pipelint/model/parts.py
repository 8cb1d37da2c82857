"""libcst's tree of a large module, parsed one run of top-level statements at a time.

libcst's native parser holds its tokens and its own tree of the whole text while it builds the
Python nodes: ~24 MB of heap per 1,000 lines at its peak, which the process keeps (the tree it
returns is ~3.5 MB per 1,000 lines). Parsed in parts of a few hundred lines, that peak is one
part's, and the heap it leaves is reused by the next part.

The parts are cut only where the cut cannot change the tree:

* right after a top-level statement's last line, when the next top-level statement starts a line
  (column 0) and every line between them is empty or a column-0 comment, which libcst gives to
  that next statement (its ``leading_lines``): no block before can own them (a block's footer
  keeps only comments at its indentation) and they hold no line of only spaces or tabs, which
  libcst renders lossily at the end of a text (``"x=1\\n  \\n\\t\\n"`` gives ``"x=1\\n\\t\\n"``).
  CPython's ``ast``, which has parsed the text already, gives the statements' lines;
* never before the first statement: the module's header is the lines before it;
* the parts must agree on the module's defaults (newline; indentation, for parts that indent),
  else the text is parsed whole.

Joined, the parts are the module libcst's whole parse gives: the first part's header, the last
part's footer, each later part's first statement taking its part's header as its leading lines. ``tests/test_parts.py`` proves the join equal (``deep_equals``, and
every module attribute) to the whole parse on every fixture module, generated models and edge
cases. Any failure in a part (a syntax error, libcst's limits) is left to the whole parse, so
errors point where they always did.
"""

from __future__ import annotations

import re

# A text is parsed in parts from this many lines up; a part closes at the first cut past PART_LINES.
MIN_LINES = 500
PART_LINES = 250

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # CPython's line ends, as ast counts lines


def statement_spans(tree) -> list[tuple[int, int]]:
    """(first line, last line) of each top-level statement of an ``ast.Module``, decorators
    included, for the statements that start a line (column 0)."""
    spans = []
    for stmt in tree.body:
        first = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", ())])
        if stmt.col_offset == 0:
            spans.append((first, stmt.end_lineno or first))
        else:  # after a semicolon: no cut before it
            spans.append((-1, stmt.end_lineno or first))
    return spans


def cut_lines(lines: list[str], spans: list[tuple[int, int]], part_lines: int = PART_LINES) -> list[int]:
    """0-based indexes of the lines where parts start (0 first)."""
    cuts = [0]
    prev_end = 0  # 1-based last line of the previous statement; 0: none yet (the header is the first part's)
    for first, last in spans:
        if prev_end and first > prev_end and first - 1 - cuts[-1] >= part_lines \
                and all(_owned_by_next(line) for line in lines[prev_end:first - 1]):
            cuts.append(prev_end)
        prev_end = max(prev_end, last)
    return cuts


def _owned_by_next(line: str) -> bool:
    """A blank line or a column-0 comment: libcst gives it to the statement after it."""
    body = line.rstrip("\r\n")
    return body == "" or body.startswith("#")


def parse_in_parts(text: str, spans: list[tuple[int, int]] | None, part_lines: int = PART_LINES,
                   min_lines: int = MIN_LINES):
    """The libcst Module of ``text``, parsed in parts where that is safe, else whole."""
    import libcst as cst

    if spans is None:
        return cst.parse_module(text)
    lines = _LINE.findall(text)
    if len(lines) < min_lines or "".join(lines) != text:
        return cst.parse_module(text)
    cuts = cut_lines(lines, spans, part_lines)
    if len(cuts) < 2:
        return cst.parse_module(text)
    joined = _joined(cst, ["".join(lines[a:b]) for a, b in zip(cuts, cuts[1:] + [len(lines)], strict=True)])
    return joined if joined is not None else cst.parse_module(text)


def _joined(cst, texts: list[str]):
    try:
        parts = [cst.parse_module(t) for t in texts]
    except Exception:  # a syntax error, libcst's limits: the whole parse reports it where it is
        return None
    newline = parts[0].default_newline
    indents = {p.default_indent for p in parts if any(_indents(s, cst) for s in p.body)}
    if any(p.default_newline != newline for p in parts) or len(indents) > 1:
        return None
    body = list(parts[0].body)
    for before, part in zip(parts, parts[1:], strict=False):
        if before.footer or not part.body:  # a part ends with its last statement: nothing can trail it
            return None
        first = part.body[0]
        body.append(first.with_changes(leading_lines=[*part.header, *first.leading_lines]))
        body.extend(part.body[1:])
    return cst.Module(body=body, header=parts[0].header, footer=parts[-1].footer,
                      encoding=parts[0].encoding, default_indent=indents.pop() if indents else parts[0].default_indent,
                      default_newline=newline, has_trailing_newline=parts[-1].has_trailing_newline)


def _indents(stmt, cst) -> bool:
    """Whether a top-level statement holds an indented block (blocks only nest in blocks)."""
    if isinstance(stmt, cst.SimpleStatementLine):
        return False
    for name in ("body", "orelse", "handlers", "finalbody", "cases"):
        value = getattr(stmt, name, None)
        for child in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(child, cst.IndentedBlock):
                return True
            if isinstance(child, cst.CSTNode) and not isinstance(child, cst.SimpleStatementSuite) \
                    and _indents(child, cst):
                return True
    return False
