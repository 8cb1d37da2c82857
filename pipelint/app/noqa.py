"""``pipelint --add-noqa``: a ``# pipelint: ignore[CODE]`` comment for every current diagnostic
(ruff's ``--add-noqa``), so that a codebase can adopt pipelint and fix its findings later.

Each comment goes at the end of a line the diagnostic's start is covered from (see
``pipelint.engine.suppression``): in Python, a physical line of the same logical line whose end
is neither inside a string nor a ``\\`` continuation; in cog.yaml, the line itself unless it ends
inside a scalar; in a requirements file, the requirement's last line. A directive already on that
line gets the code added to its list. Nothing is written for a file unless linting the commented
text shows every one of its diagnostics silenced and nothing new (an unused-suppression finding);
such a file is named instead.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pipelint.core.diagnostics import Edit, Position

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
_IGNORE = re.compile(r"#\s*pipelint\s*:\s*ignore\s*\[(?P<codes>[^\]\n]*)\]")


def _python_bad_ends(text: str) -> set[int] | None:
    """1-based lines whose end lies inside a multi-line token or is a ``\\`` continuation;
    None when the file does not tokenize."""
    import io
    import tokenize

    bad: set[int] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            if tok.start[0] < tok.end[0] and tok.type not in (tokenize.NEWLINE, tokenize.NL):
                bad.update(range(tok.start[0], tok.end[0]))
    except (tokenize.TokenError, SyntaxError):
        return None
    return bad


def _yaml_bad_ends(text: str) -> set[int] | None:
    import yaml

    bad: set[int] = set()
    try:
        for tok in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(tok, yaml.ScalarToken) and tok.end_mark.line > tok.start_mark.line:
                bad.update(range(tok.start_mark.line + 1, tok.end_mark.line + 1))
    except yaml.YAMLError:
        return None
    return bad


def target_line(path: Path, lines: list[str], line: int, bad: set[int]) -> int | None:
    """The 1-based line whose end gets the comment covering a diagnostic starting on ``line``."""
    if not 1 <= line <= len(lines):
        return None
    if path.suffix == ".py":
        while line <= len(lines) and (line in bad or lines[line - 1].rstrip().endswith("\\")):
            line += 1
        return line if line <= len(lines) else None
    if path.suffix in (".yaml", ".yml"):
        return None if line in bad else line
    from pipelint.model.requirements import logical_lines

    for first, last in logical_lines(lines):
        if first + 1 <= line <= last + 1:
            return last + 1
    return line


def _edits_for(path: Path, lines: list[str], wanted: dict[int, set[str]]) -> list[Edit]:
    edits = []
    for line, codes in sorted(wanted.items()):
        text = lines[line - 1]
        hit = None
        for m in _IGNORE.finditer(text):
            if _is_comment_start(path, text, m.start()):
                hit = m
        if hit is not None:
            old = [c.strip().upper() for c in hit["codes"].split(",") if c.strip()]
            merged = ", ".join(sorted(set(old) | codes))
            a, b = hit.start("codes"), hit.end("codes")
            edits.append(Edit(path, Position(line, a + 1), Position(line, b + 1), merged))
        else:
            end = len(text)
            edits.append(Edit(path, Position(line, end + 1), Position(line, end + 1),
                              f"{'  ' if text.strip() else ''}# pipelint: ignore[{', '.join(sorted(codes))}]"))
    return edits


def _is_comment_start(path: Path, text: str, col: int) -> bool:
    # In cog.yaml and requirements files a comment starts the line or follows a space. (A Python
    # string that looks like a directive would be merged into: the verification lint catches it.)
    return col == 0 or text[col - 1].isspace() or path.suffix == ".py"


def _key(d) -> tuple:
    return (d.code, d.start, d.message)


def add_noqa(models: list[Path], settings_for) -> int:
    from pipelint.app.report import display_path
    from pipelint.engine import fixer, runner
    from pipelint.engine.registry import all_rules
    from pipelint.engine.suppression import split_lines

    rules = {r.code: r for r in all_rules()}
    # A finding about the comments themselves (an unused suppression) is fixed, not suppressed.
    about_comments = {code for code, r in rules.items() if r.overrides("after_suppression")}
    added = files_written = 0
    left: list[str] = []
    for model in models:
        settings = settings_for(model)
        result = runner.lint(model, settings)
        if result.internal_errors:
            for e in result.internal_errors:
                print(f"pipelint: internal error (please report it): {e}", file=sys.stderr)
            return EXIT_ERROR
        project = result.project
        per_file: dict[Path, dict[int, set[str]]] = {}
        before: dict[Path, list] = {}
        for d in result.diagnostics:
            before.setdefault(d.path, []).append(d)
            rule = rules.get(d.code)
            source = project.file(d.path) if project.inside(d.path) else None
            if (rule is None or not rule.suppressible or d.code in about_comments or source is None
                    or source.text is None):
                continue
            per_file.setdefault(d.path, {}).setdefault(d.start.line, set()).add(d.code)
        overlays: dict[Path, str] = {}
        counts: dict[Path, int] = {}
        untargeted: dict[Path, set] = {}
        for path, by_line in per_file.items():
            source = project.file(path)
            lines = split_lines(source.text)
            bad = (_python_bad_ends(source.text) if path.suffix == ".py"
                   else _yaml_bad_ends(source.text) if path.suffix in (".yaml", ".yml") else set())
            if bad is None:
                left.append(f"{display_path(path)}: cannot be read as its kind of file")
                continue
            wanted: dict[int, set[str]] = {}
            untargeted[path] = set()
            for line, codes in by_line.items():
                target = target_line(path, lines, line, bad)
                if target is None:
                    left.append(f"{display_path(path)}:{line}: no line to put a comment on")
                    untargeted[path] |= {(c, line) for c in codes}
                    continue
                wanted.setdefault(target, set()).update(codes)
            if wanted:
                edits = _edits_for(path, lines, wanted)
                overlays[path] = fixer.apply_edits(source.text, edits, source.newline)
                counts[path] = len(edits)
        if not overlays:
            continue
        # Verify: with the comments, the file's diagnostics are gone and nothing new appeared.
        check = runner.lint(model, settings, overlays=overlays)
        for path, text in overlays.items():
            # What may remain: the file's diagnostics that no comment was meant for.
            allowed = {_key(d) for d in before.get(path, []) if not rules[d.code].suppressible
                       or d.code in about_comments or (d.code, d.start.line) in untargeted[path]}
            still = [d for d in check.diagnostics if d.path == path and _key(d) not in allowed]
            if still:
                left.append(f"{display_path(path)}: a comment would not silence {', '.join(sorted({d.code for d in still}))}; "
                            "file left unchanged")
                continue
            source = project.file(path)
            try:
                fixer.atomic_write(path, (("\ufeff" if source.bom else "") + text).encode("utf-8", "surrogatepass"))
            except OSError as exc:
                left.append(f"{display_path(path)}: cannot write ({exc.strerror or exc})")
                continue
            added += counts[path]
            files_written += 1
    for why in left:
        print(f"pipelint: warning: {why}", file=sys.stderr)
    if added:
        print(f"Added {added} suppression comment{'s' if added != 1 else ''} to {files_written} "
              f"file{'s' if files_written != 1 else ''}.")
    else:
        print("No suppression comments added.")
    return EXIT_CLEAN
