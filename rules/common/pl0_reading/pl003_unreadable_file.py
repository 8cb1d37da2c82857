"""PL003 unreadable-file: A file of the model is not UTF-8 text, is binary, or cannot be read."""

from __future__ import annotations

from pipelint.core.diagnostics import Diagnostic, Position, Severity
from pipelint.engine.rule import Case, Rule


class UnreadableFile(Rule):
    """A file of the model is not UTF-8 text, is binary, or cannot be read.

    ## What it does
    Reports cog.yaml, the requirements file or a Python module of the model that cannot be
    read as UTF-8 text (UTF-16, Latin-1, NUL bytes, a binary file, no permission, too large),
    and a Python module that pipelint cannot analyse although Python accepts it (an expression
    nested hundreds of levels deep), so that a module left unchecked is never reported as clean.
    A file that is not UTF-8 is reported at the line and column of its first undecodable byte;
    when every such byte of a Python module is inside a comment, CPython 3.13 imports it anyway
    (its tokenizer does not decode comments), so that is a warning, not an error.

    ## Why is this bad?
    Python 3 reads source as UTF-8 and cog reads cog.yaml as UTF-8: the model fails to build
    or load. pipelint cannot check what it cannot read.

    ## Example
    A `main.py` saved as UTF-16 by an editor.

    ## Use instead
    Save the file as UTF-8 (a UTF-8 byte-order mark is accepted).
    """

    code = "PL003"
    targets = ("pipeline", "cog")
    suppressible = False
    blocks_file = True
    name = "unreadable-file"
    files = ("cog.yaml", "requirements.txt", "python")

    def check(self) -> None:
        p = self.project
        files = [p.cog_file, p.requirements_file] + [m.source for m in p.modules]
        seen = set()
        for f in files:
            if f is None or f.ok or f.path in seen:
                continue
            seen.add(f.path)
            at = f.error_position() if f.error_offset is not None else None
            start = Position(*at) if at else Position(1, 1)
            end = Position(start.line, start.column + 1) if at else start
            if f.only_in_comments:
                self.report_at(f.path, start, end,
                               f"{f.rel} {f.error}: the bytes are only in comments, so CPython 3.13 imports it, but "
                               f"pipelint cannot check it", help=_help_for(f.error), severity=Severity.WARNING)
                continue
            self.report_at(f.path, start, end, f"{f.rel} {f.error}", help=_help_for(f.error))

    def after_traversal(self) -> None:
        for module in self.project.loaded_modules:
            if module.limit_error is not None:
                self.sink.append(self.for_unanalysed(module))

    @classmethod
    def for_unanalysed(cls, module) -> Diagnostic:
        """A module Python accepts but pipelint could not analyse (``PythonModule.limit_error``)."""
        err = module.limit_error
        return Diagnostic(
            code=cls.code, severity=cls.severity, name=cls.name,
            message=f"{module.rel} {err.message}; its other checks were skipped",
            help="split the deeply nested expression into smaller statements",
            path=module.source.path, start=err.start, end=err.end,
        )

    VALID = [Case({"main.py": "\ufeffdef run() -> str:\n    return 'x'\n"})]
    INVALID = [
        Case({"main.py": "def run() -> str:\n    return 'caf\xe9'\n".encode("latin-1")},
             expect=[(2, 16, 2, 17, "main.py is not valid UTF-8 (byte 0xe9 at offset 33)")]),
        Case({"main.py": "def run() -> str:\n    return 'x'\n".encode("utf-16")},
             expect=[(1, 1, 1, 1, "main.py is UTF-16 encoded")]),
        Case({"requirements.txt": b"replicate\x00\x01"},
             expect=[("requirements.txt", 1, 1, 1, 1, "requirements.txt is binary (contains NUL bytes), not text")]),
        Case("def run() -> str:\n    return str(" + "-" * 400 + "1)\n",
             expect=[(2, 312, 2, 313, "main.py is nested too deeply for pipelint to analyse (more than 300 levels)")],
             note="valid Python, nested deeper than pipelint analyses"),
    ]


def _help_for(error: str | None) -> str:
    if error and "too large" in error:
        return "split it into smaller files"
    if error and "cannot be read" in error:
        return "make the file readable by the user running pipelint"
    return "save it as UTF-8 text"
