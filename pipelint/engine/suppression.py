"""Suppression comments and per-file ignores, applied to a model's diagnostics after the rules ran.

The syntax is the same in all three kinds of file (Python, cog.yaml, requirements files)::

    x = use(name)  # pipelint: ignore[CODE]
    # pipelint: ignore[CODE, OTHER]
    # pipelint: file-ignore[CODE]

What a comment covers (a diagnostic is covered when it *starts* on a covered line):

* ``file-ignore[...]``, anywhere in the file: the whole file.
* ``ignore[...]`` after code on the same line: that physical line only, as ruff's ``noqa``
  does — in a multi-line statement or ``def`` header a comment on one line does not silence
  what starts on another (one on a parameter line covers that parameter's line). In a
  requirements file, the requirement with its ``\\`` continuation lines (pip reads them as one
  line, and a comment can only end the last).
* ``ignore[...]`` on a line of its own: the next physical line of code (with the decorators
  that start a definition: a comment above ``@decorator`` also covers the ``def``/``class``
  line below it). In cog.yaml, the next key with everything nested under it (or the next list
  item). In a requirements file, the next requirement. Further comment lines in between are
  skipped, a blank line is not: a comment followed by a blank line covers nothing.

Python comments are found with ``tokenize``, so a ``#`` inside a string never counts; in
cog.yaml a ``#`` inside a quoted or block scalar never counts either.

A directive that suppresses nothing, names an unknown code, or is malformed is reported by the
rule that implements ``Rule.after_suppression`` (the unused-suppression rule), with a fix that
removes the dead codes. Findings of a rule with ``suppressible = False`` are never silenced.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

from pipelint.core.diagnostics import Diagnostic, Position
from pipelint.core.records import Record

# `# pipelint: ignore[...]` / `# pipelint: file-ignore[...]`; the word is matched loosely so
# that near misses (`ignores`, `file_ignore`, no brackets) are reported instead of ignored.
DIRECTIVE = re.compile(r"#\s*pipelint\s*:\s*(?P<word>[A-Za-z_-]+)(?:\s*\[(?P<codes>[^\]\n]*)\])?")
KINDS = ("ignore", "file-ignore")
_CODE_ITEM = re.compile(r"[^,\s]+")
_PIP_COMMENT = re.compile(r"(?:^|(?<=\s))#")


class Code(Record):
    code: str
    start: int  # 0-based column span of the code inside the line
    end: int

    def __init__(self, code: str, start: int, end: int) -> None:
        self.code = code
        self.start = start
        self.end = end


class Directive(Record):
    path: Path
    line: int  # 1-based line of the comment
    start: int  # 0-based column of the directive's `#`
    end: int  # 0-based column just after the directive (after `]` when there are codes)
    kind: str  # "ignore" | "file-ignore" | the misspelt word
    codes: list[Code]
    covers: tuple[int, int] | None  # lines covered by a line directive; None for file-wide
    line_text: str
    codes_span: tuple[int, int] | None  # 0-based columns of the text between [ and ]
    malformed: str | None  # why this is not a usable directive
    used: set[str]

    def __init__(
        self,
        path: Path,
        line: int,
        start: int,
        end: int,
        kind: str,
        codes: list[Code],
        covers: tuple[int, int] | None,
        line_text: str = "",
        codes_span: tuple[int, int] | None = None,
        malformed: str | None = None,
        used: set[str] | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.start = start
        self.end = end
        self.kind = kind
        self.codes = codes
        self.covers = covers
        self.line_text = line_text
        self.codes_span = codes_span
        self.malformed = malformed
        self.used = set() if used is None else used

    @property
    def file_wide(self) -> bool:
        return self.kind == "file-ignore"

    def applies_to(self, d: Diagnostic) -> bool:
        if self.malformed or d.path != self.path or d.code not in {c.code for c in self.codes}:
            return False
        return self.file_wide or (self.covers is not None and self.covers[0] <= d.start.line <= self.covers[1])


def parse_directive(path: Path, lineno: int, line: str, hash_col: int, covers) -> Directive | None:
    """The directive in a comment starting at ``hash_col`` of ``line``, if it is one."""
    m = DIRECTIVE.match(line, hash_col)
    if m is None:
        return None
    word = m["word"].lower()
    if word not in KINDS:
        import difflib  # (and heapq): only for a name that is misspelt
        close = difflib.get_close_matches(word.replace("_", "-"), KINDS, n=1, cutoff=0.75)
        if not close:
            return None  # prose that happens to start with `pipelint:`
        d = Directive(path, lineno, m.start(), m.end(), word, [], covers, line)
        d.malformed = f"unknown suppression `pipelint: {m['word']}` (did you mean `pipelint: {close[0]}[...]`?)"
        return d
    d = Directive(path, lineno, m.start(), m.end(), word, [], None if word == "file-ignore" else covers, line)
    if m["codes"] is None:
        d.malformed = f"`pipelint: {word}` needs the codes it suppresses in brackets: `pipelint: {word}[CODE]`"
        return d
    base = m.start("codes")
    d.codes_span = (base, m.end("codes"))
    d.codes = [Code(c.group().upper(), base + c.start(), base + c.end()) for c in _CODE_ITEM.finditer(m["codes"])]
    return d


def split_lines(text: str) -> list[str]:
    """Physical lines without their ends, split where pipelint's positions split them."""
    from pipelint.core.source import line_offsets

    starts = line_offsets(text)
    ends = starts[1:] + [len(text)]
    return [text[a:b].rstrip("\r\n") for a, b in zip(starts, ends, strict=True)]


# ---- finding directives in each kind of file -------------------------------------------------
def directives_in(path: Path, text: str) -> tuple[list[Directive], bool]:
    """(directives, complete): complete is False when the file could not be fully read as its kind."""
    if "pipelint" not in text:
        return [], True
    if path.suffix == ".py":
        return _python(path, text)
    if path.suffix in (".yaml", ".yml"):
        return _yaml(path, text)
    return _requirements(path, text), True


def _python(path: Path, text: str) -> tuple[list[Directive], bool]:
    import io
    import tokenize

    lines = split_lines(text)
    comments: list[tuple[int, int, bool]] = []  # (line, col, alone on its line)
    logical: list[list] = []  # [first line, last line, first token string]
    current: list | None = None
    pending: list[int] = []  # indexes of own-line comments waiting for the next code token
    complete = True
    skip = {tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING, tokenize.ENDMARKER}
    targets: dict[int, int] = {}  # comment index -> index into ``logical``
    rows: dict[int, int] = {}  # own-line comment index -> the line of the next code token
    try:
        # newline=None reads \r and \r\n as line ends, as pipelint's positions count lines.
        for tok in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            if tok.type == tokenize.COMMENT:
                row, col = tok.start
                alone = not lines[row - 1][:col].strip() if row - 1 < len(lines) else True
                comments.append((row, col, alone))
                if alone:
                    pending.append(len(comments) - 1)
                elif current is not None:
                    targets[len(comments) - 1] = len(logical) - 1
                continue
            if tok.type == tokenize.NL and pending and current is None:
                # A blank line (a NL not ending a comment line) separates a comment from the code.
                row = tok.start[0]
                if row - 1 < len(lines) and not lines[row - 1].strip():
                    pending.clear()
                continue
            if tok.type in skip:
                continue
            if tok.type == tokenize.NEWLINE:
                if current is not None:
                    current[1] = tok.start[0]
                current = None
                continue
            if current is None:
                current = [tok.start[0], tok.end[0], tok.string]
                logical.append(current)
            current[1] = max(current[1], tok.end[0])
            for i in pending:
                targets[i] = len(logical) - 1
                rows[i] = tok.start[0]
            pending.clear()
    except (tokenize.TokenError, SyntaxError):
        complete = False
    directives = []
    for i, (row, col, alone) in enumerate(comments):
        covers = _python_covers(logical, targets.get(i), row, alone, rows.get(i))
        line = lines[row - 1]
        start = col
        while True:
            d = parse_directive(path, row, line, start, covers)
            if d is not None:
                directives.append(d)
            start = line.find("#", (d.end if d else start + 1))
            if start == -1:
                break
    return directives, complete


def _python_covers(logical, index, row: int, alone: bool, next_row: int | None = None) -> tuple[int, int] | None:
    """The physical lines a Python comment covers: its own line after code; on a line of its
    own, the first line of the next statement (through a decorator chain, to the decorated
    ``def``/``class`` line)."""
    if not alone:
        return row, row
    if index is None:
        return None
    first, _, token = logical[index]
    if next_row is not None and next_row != first:
        return next_row, next_row  # inside brackets: the next line of code
    last = first
    j = index
    while token == "@" and j + 1 < len(logical):  # decorators belong to what they decorate
        j += 1
        last, _, token = logical[j]
    return first, last


def _yaml(path: Path, text: str) -> tuple[list[Directive], bool]:
    import yaml

    lines = split_lines(text)
    scalars: dict[int, list[tuple[int, int]]] = {}  # line -> 0-based column spans inside scalars
    complete = True
    try:
        for tok in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(tok, yaml.ScalarToken):
                a, b = tok.start_mark, tok.end_mark
                for ln in range(a.line, b.line + 1):
                    lo = a.column if ln == a.line else 0
                    hi = b.column if ln == b.line else 10**9
                    scalars.setdefault(ln, []).append((lo, hi))
    except yaml.YAMLError:
        complete = False
    entries = _yaml_entries(text)
    directives = []
    for i, line in enumerate(lines):
        for m in _PIP_COMMENT.finditer(line):
            col = m.start()
            if any(lo <= col < hi for lo, hi in scalars.get(i, ())):
                continue
            alone = not line[:col].strip()
            covers = _next_entry(lines, i, entries) if alone else (i + 1, i + 1)
            start = col
            while start != -1:
                d = parse_directive(path, i + 1, line, start, covers)
                if d is not None:
                    directives.append(d)
                start = line.find("#", d.end if d else start + 1)
            break  # the rest of the line is this comment
    return directives, complete


def _yaml_entries(text: str) -> dict[int, int]:
    """First line -> last line (1-based) of every mapping entry and list item in cog.yaml."""
    from pipelint.model import yamlnodes

    doc = yamlnodes.compose(text)
    spans: dict[int, int] = {}
    if doc.error or doc.root is None:
        return spans
    lines = split_lines(text)

    def last_line(node) -> int:
        mark = node.end_mark
        # A block node ends where the next token starts: on a later line, after indentation only.
        if mark.line > node.start_mark.line and mark.line < len(lines) and not lines[mark.line][: mark.column].strip():
            return mark.line
        return mark.line + 1

    stack, seen = [doc.root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if yamlnodes.is_mapping(node):
            for k, v in node.value:
                first = k.start_mark.line + 1
                spans[first] = max(spans.get(first, first), last_line(v), last_line(k))
                stack.append(v)
        elif yamlnodes.is_sequence(node):
            for item in node.value:
                first = item.start_mark.line + 1
                spans[first] = max(spans.get(first, first), last_line(item))
                stack.append(item)
    return spans


def _next_entry(lines: list[str], index: int, entries: dict[int, int]) -> tuple[int, int] | None:
    """What an own-line comment on line ``index`` (0-based) covers in cog.yaml."""
    j = index + 1
    while j < len(lines) and lines[j].lstrip().startswith("#"):
        j += 1
    if j >= len(lines) or not lines[j].strip():
        return None
    return j + 1, entries.get(j + 1, j + 1)


def _requirements(path: Path, text: str) -> list[Directive]:
    lines = split_lines(text)
    from pipelint.model.requirements import logical_lines

    owner: dict[int, tuple[int, int]] = {}  # 0-based line -> the 1-based span of its requirement
    for first, last in logical_lines(lines):
        for k in range(first, last + 1):
            owner[k] = (first + 1, last + 1)
    directives = []
    for i, line in enumerate(lines):
        m = _PIP_COMMENT.search(line)
        if m is None:
            continue
        col = m.start()
        if line[:col].strip():
            covers = owner[i]
        else:
            j = i + 1
            while j < len(lines) and lines[j].lstrip().startswith("#"):
                j += 1
            covers = owner[j] if j < len(lines) and lines[j].strip() else None
        start = col
        while start != -1:
            d = parse_directive(path, i + 1, line, start, covers)
            if d is not None:
                directives.append(d)
            start = line.find("#", d.end if d else start + 1)
    return directives


# ---- applying them ---------------------------------------------------------------------------
def per_file_ignored(d: Diagnostic, patterns: dict[str, list[str]], base: Path) -> bool:
    """Whether a ``per-file-ignores`` glob (relative to ``base``, or a bare file name) drops ``d``."""
    try:
        rel = d.path.resolve().relative_to(base).as_posix()
    except (ValueError, OSError):
        rel = d.path.as_posix()
    for glob, selectors in patterns.items():
        if fnmatch.fnmatchcase(rel, glob) or ("/" not in glob and fnmatch.fnmatchcase(d.path.name, glob)):
            if any(sel == "ALL" or d.code.startswith(sel) for sel in selectors):
                return True
    return False


class Suppressed(Record):
    """A diagnostic that was reported and then silenced, and by what (SARIF's ``suppressions``)."""

    diagnostic: Diagnostic
    kind: str  # SARIF's suppression kind: "inSource" (a comment) or "external" (per-file-ignores)
    justification: str

    def __init__(self, diagnostic: Diagnostic, kind: str, justification: str) -> None:
        self.diagnostic = diagnostic
        self.kind = kind
        self.justification = justification


class Applied(Record):
    kept: list[Diagnostic]
    directives: list[Directive]
    incomplete: set[Path]  # files whose directives cannot be judged unused (unparsable)
    suppressed: list[Suppressed]

    def __init__(
        self,
        kept: list[Diagnostic],
        directives: list[Directive],
        incomplete: set[Path],
        suppressed: list[Suppressed] | None = None,
    ) -> None:
        self.kept = kept
        self.directives = directives
        self.incomplete = incomplete
        self.suppressed = [] if suppressed is None else suppressed


def _by_comment(d: Directive) -> str:
    return f"`{d.line_text[d.start:d.end].strip()}` ({d.path.name}:{d.line})"


def _by_config(settings) -> str:
    where = settings.config_file.name if settings.config_file else "the configuration"
    return f"per-file-ignores in {where}"


def apply(diagnostics: list[Diagnostic], project, settings) -> Applied:
    """Drop what per-file-ignores and suppression comments cover; remember which codes were used."""
    suppressed: list[Suppressed] = []
    if settings.per_file_ignores:
        base = settings.config_file.parent if settings.config_file else project.root
        dropped = [d for d in diagnostics if per_file_ignored(d, settings.per_file_ignores, base)]
        suppressed += [Suppressed(d, "external", _by_config(settings)) for d in dropped]
        diagnostics = [d for d in diagnostics if d not in dropped]
    directives: list[Directive] = []
    incomplete: set[Path] = set()
    from pipelint.engine.registry import rule_index

    by_code = {r.code: r for r in rule_index()}
    broken = {d.path for d in diagnostics if (r := by_code.get(d.code)) is not None and r.blocks_file}
    fixed = [d for d in diagnostics if (r := by_code.get(d.code)) is not None and not r.suppressible]
    diagnostics = [d for d in diagnostics if d not in fixed]
    for f in project.files_read:
        if f.text is None or not project.inside(f.path):
            continue
        found, complete = directives_in(f.path, f.text)
        directives += found
        if not complete or f.path in broken:
            incomplete.add(f.path)
    if not directives:
        return Applied(fixed + diagnostics, [], incomplete, suppressed)
    by_path: dict[Path, list[Directive]] = {}
    for d in directives:
        by_path.setdefault(d.path, []).append(d)
    kept = []
    for diag in diagnostics:
        hits = [d for d in by_path.get(diag.path, ()) if d.applies_to(diag)]
        for d in hits:
            d.used.add(diag.code)
        if hits:
            suppressed.append(Suppressed(diag, "inSource", _by_comment(hits[0])))
        else:
            kept.append(diag)
    return Applied(fixed + kept, directives, incomplete, suppressed)


def line_span(d: Directive) -> tuple[Position, Position]:
    return Position(d.line, d.start + 1), Position(d.line, d.end + 1)


def suppress(diagnostics: list[Diagnostic], project, settings, rules=None,
             suppressed: list[Suppressed] | None = None) -> list[Diagnostic]:
    """The runner's last step: apply ignores and comments, then run the rules that judge the
    comments themselves (``Rule.after_suppression``). What was silenced is appended to
    ``suppressed`` when given."""
    from pipelint.core.diagnostics import Severity
    from pipelint.engine.registry import load_rules, rule_index

    applied = apply(diagnostics, project, settings)
    if suppressed is not None:
        suppressed += applied.suppressed
    if not applied.directives:
        return applied.kept
    known = rule_index()  # every rule's index row: only the judges of the comments are imported
    enabled = [r for r in known if r.code in settings.enabled_codes(known)] if rules is None else list(rules)
    codes = {r.code for r in enabled}
    found: list[Diagnostic] = []
    for rule_cls in load_rules([r for r in enabled if r.overrides("after_suppression")]):
        rule_cls(project, None, found).after_suppression(applied, codes, {r.code for r in known})
    late: list[Suppressed] = []
    if settings.per_file_ignores:
        base = settings.config_file.parent if settings.config_file else project.root
        late += [Suppressed(d, "external", _by_config(settings)) for d in found
                 if per_file_ignored(d, settings.per_file_ignores, base)]
        found = [d for d in found if not any(d is x.diagnostic for x in late)]
    for d in found:
        if d.code in settings.severity:
            d.severity = Severity(settings.severity[d.code])
    # A finding about comments may itself be silenced by a comment (such a comment is never unused).
    kept = []
    for d in found:
        hit = next((x for x in applied.directives if x.applies_to(d)), None)
        if hit is None:
            kept.append(d)
        else:
            late.append(Suppressed(d, "inSource", _by_comment(hit)))
    if suppressed is not None:
        suppressed += late
    return applied.kept + kept
