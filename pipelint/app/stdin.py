"""``pipelint --stdin-filename PATH -``: lint a buffer read from standard input as the file PATH.

Editors and formatters pipe the unsaved buffer: it stands in for PATH in PATH's model folder (an
overlay of the project model, as the language server's buffers are), and the folder's other files
are read from disk. Only PATH's diagnostics are reported. With ``--fix`` the fixed text is printed
(to stdout, as ruff does; what remains goes to stderr) and nothing is written to disk; fixes that
would also edit another file of the model are left out, since that file is not the buffer.
"""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def read_stdin() -> str:
    raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    # surrogateescape: bytes that are not UTF-8 come back out unchanged when the text is printed.
    return raw.decode("utf-8", errors="surrogateescape")


def _write_text(text: str) -> None:
    out = sys.stdout
    if hasattr(out, "buffer"):
        out.flush()
        out.buffer.write(text.encode("utf-8", errors="surrogateescape"))
        out.buffer.flush()
    else:
        out.write(text)


def _only_this_file(result, path: Path):
    """The lint result with every fix that edits another file than ``path`` taken away."""
    for i, d in enumerate(result.diagnostics):
        if d.fix is not None and any(e.path != path for e in d.fix.edits):
            result.diagnostics[i] = d.replace(fix=None)
    return result


def check_stdin(args, settings_for, emit) -> int:
    from pipelint.app.discovery import _excluded, enclosing_model
    from pipelint.engine import runner

    path = Path(args.stdin_filename).expanduser()
    path = (path if path.is_absolute() else Path.cwd() / path).resolve()
    text = read_stdin()
    fixing = args.fix or args.diff
    model = enclosing_model(path)
    settings = settings_for(model) if model is not None else None
    if model is None or _excluded(model, settings.exclude + settings.extend_exclude):
        why = "is in no model folder (no cog.yaml above it)" if model is None else "is in an excluded model folder"
        print(f"pipelint: warning: {args.stdin_filename} {why}: nothing to lint", file=sys.stderr)
        if args.fix and not args.diff:
            _write_text(text)  # the buffer, unchanged: a formatter's caller replaces it with stdout
        return EXIT_CLEAN

    def lint(root, s, overlays=None):
        return _only_this_file(runner.lint(root, s, overlays={path: text, **(overlays or {})}), path)

    if not fixing:
        result = lint(model, settings)
        diagnostics = [d for d in result.diagnostics if d.path == path]
        return emit(args, diagnostics, result.internal_errors, {path: text})

    from pipelint.app import report
    from pipelint.engine import fixer

    outcome = fixer.fix_model(model, settings, unsafe=args.unsafe_fixes, lint=lint)
    for problem in outcome.refused:
        print(f"pipelint: error: {problem}", file=sys.stderr)
    change = outcome.changes.get(path)
    applied = [d for d in outcome.applied if d.path == path]
    if args.diff:
        if change is not None:
            sys.stdout.write(fixer.unified_diff(change, report.display_path(path)))
        if not args.quiet:
            n = len(applied)
            print(f"Would fix {n} issue{'s' if n != 1 else ''}." if n else "No fixes available.", file=sys.stderr)
        return EXIT_ERROR if outcome.internal_errors else (EXIT_FINDINGS if change is not None else EXIT_CLEAN)
    fixed = change.after if change is not None else text
    if change is not None and change.bom:
        fixed = "\ufeff" + fixed
    _write_text(fixed)
    remaining = [d for d in outcome.remaining if d.path == path]
    for e in outcome.internal_errors:
        print(f"pipelint: internal error (please report it): {e}", file=sys.stderr)
    if outcome.internal_errors:
        return EXIT_ERROR
    if not args.fix_only and not args.quiet:
        # stdout is the fixed file: what remains goes to stderr, one line each.
        sys.stderr.write(report.render_concise(remaining, args.unsafe_fixes))
        sys.stderr.write(report.summary_line(remaining, fixed=len(applied)) + "\n")
    if args.exit_non_zero_on_fix and change is not None:
        return EXIT_FINDINGS
    if args.fix_only or args.exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if any(d.severity.value in ("error", "warning") for d in remaining) else EXIT_CLEAN
