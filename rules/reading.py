"""PL0: reading the project. A file that cannot be read or parsed is one diagnostic, and the
other files are still linted."""

from __future__ import annotations

from pipelint.model import yamlnodes
from pipelint.core.diagnostics import Diagnostic, Position, Severity
from pipelint.engine.rule import Case, Rule


class SyntaxErrorRule(Rule):
    """Python syntax error in the entry module or a local module it imports.

    ## What it does
    Reports a Python file of the model that does not parse, at the parser's line and column.

    ## Why is this bad?
    The runtime imports `main.py` when the model loads; a syntax error fails the load on
    Replicate after a slow push. pipelint keeps linting `cog.yaml` and `requirements.txt`.

    ## Example
    ```python
    def run(prompt: str) -> str
        return prompt
    ```

    ## Use instead
    ```python
    def run(prompt: str) -> str:
        return prompt
    ```
    """

    code = "PL001"
    targets = ("pipeline", "cog")
    suppressible = False
    blocks_file = True
    name = "syntax-error"
    files = ("python",)

    def check(self) -> None:
        for module in self.project.modules:
            err = module.parse_error
            if err is not None:
                self.report_at(
                    module.source.path, err.start, err.end,
                    f"syntax error: {err.message}",
                    help="fix the syntax; the runtime cannot import this module",
                )

    VALID = [Case("def run(prompt: str) -> str:\n    return prompt\n")]
    INVALID = [
        Case("def run(prompt: str) -> str\n    return prompt\n", expect=[(1, 28)]),
        Case("def run(prompt: str) -> str:\n    return (prompt\n", expect=None),
        Case({"main.py": "import helpers\n\ndef run() -> str:\n    return helpers.x\n",
              "helpers.py": "x = = 1\n"}, expect=[("helpers.py", 1, 5)]),
    ]


class InvalidCogYaml(Rule):
    """cog.yaml is not valid YAML, or its top level is not a mapping.

    ## What it does
    Reports a cog.yaml that does not parse, is empty, has more than one document, repeats a
    key, or whose top level (or `build` section) is not a mapping.

    ## Why is this bad?
    cog reads cog.yaml before anything else: `cog push` stops with a parse error, and with
    a broken cog.yaml no other check of the model can run.

    ## Example
    ```yaml
    predict: "main.py:run
    ```

    ## Use instead
    ```yaml
    predict: "main.py:run"
    ```
    """

    code = "PL002"
    targets = ("pipeline", "cog")
    suppressible = False
    blocks_file = True
    name = "invalid-cog-yaml"
    files = ("cog.yaml",)

    def check(self) -> None:
        doc, f = self.project.cog, self.project.cog_file
        if doc is None:
            return
        help_ = 'cog.yaml must be a YAML mapping such as `predict: "main.py:run"`'
        if doc.error:
            p = doc.error_position or Position(1, 1)
            if doc.error == yamlnodes.NESTED_TOO_DEEPLY:  # valid YAML, but more than pipelint can read
                self.report_at(f.path, p, Position(p.line, p.column + 1), f"cog.yaml {doc.error}",
                               help="cog.yaml needs only a few levels: `build:`, its keys, and lists")
                return
            self.report_at(f.path, p, Position(p.line, p.column + 1), f"cog.yaml is not valid YAML: {doc.error}", help=help_)
            return
        if doc.root is None:
            self.report_at(f.path, Position(1, 1), Position(1, 1), "cog.yaml is empty", help=help_)
            return
        if not yamlnodes.is_mapping(doc.root):
            kind = "a list" if yamlnodes.is_sequence(doc.root) else "a single value"
            self.report_yaml(doc.root, f"cog.yaml must be a mapping of keys to values, not {kind}", help=help_)
            return
        for key, first in doc.duplicate_keys:
            self.report_yaml(
                key, f"duplicate key `{key.value}` (first defined on line {first.start_mark.line + 1}); "
                "cog rejects it (`mapping key already defined`)",
                help=f"keep one `{key.value}` entry",
            )
        build = self.project.cog_get("build")
        if build is not None and not yamlnodes.is_null(build[1]) and not yamlnodes.is_mapping(build[1]):
            self.report_yaml(build[1], "`build` must be a mapping", help="write `build:` followed by indented keys")

    VALID = [Case({"cog.yaml": 'predict: "main.py:run"\n'})]
    INVALID = [
        Case({"cog.yaml": 'predict: "main.py:run\n'}, expect=[("cog.yaml", 2, 1)]),
        Case({"cog.yaml": ""}, expect=[("cog.yaml", 1, 1)]),
        Case({"cog.yaml": "- predict\n"}, expect=[("cog.yaml", 1, 1)]),
        Case({"cog.yaml": 'predict: "main.py:run"\npredict: "main.py:run"\n'}, expect=[("cog.yaml", 2, 1)]),
    ]


class UnreadableFile(Rule):
    """A file of the model is not UTF-8 text, is binary, or cannot be read.

    ## What it does
    Reports cog.yaml, the requirements file or a Python module of the model that cannot be
    read as UTF-8 text (UTF-16, Latin-1, NUL bytes, a binary file, no permission, too large),
    and a Python module that pipelint cannot analyse although Python accepts it (an expression
    nested hundreds of levels deep), so that a module left unchecked is never reported as clean.

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
            self.report_at(f.path, Position(1, 1), Position(1, 1), f"{f.rel} {f.error}", help=_help_for(f.error))

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
        Case({"main.py": "def run() -> str:\n    return 'caf\xe9'\n".encode("latin-1")}, expect=[(1, 1)]),
        Case({"main.py": "def run() -> str:\n    return 'x'\n".encode("utf-16")}, expect=[(1, 1)]),
        Case({"requirements.txt": b"replicate\x00\x01"}, expect=[("requirements.txt", 1, 1)]),
        Case("def run() -> str:\n    return str(" + "-" * 400 + "1)\n", expect=[(2, 312)],
             note="valid Python, nested deeper than pipelint analyses"),
    ]


def _help_for(error: str | None) -> str:
    if error and "too large" in error:
        return "split it into smaller files"
    if error and "cannot be read" in error:
        return "make the file readable by the user running pipelint"
    return "save it as UTF-8 text"


class MissingCogYaml(Rule):
    """No cog.yaml where a model folder was expected.

    ## What it does
    Reports a folder given to pipelint (or opened in the editor) that has no `cog.yaml`, in it
    or in any folder below it.

    ## Why is this bad?
    A pipeline model is defined by its `cog.yaml`: without one, `cog push` has nothing to build.

    ## Example
    A folder with only `main.py` and `requirements.txt`.

    ## Use instead
    ```yaml
    build:
      python_version: "3.13"
      python_requirements: requirements.txt
    predict: "main.py:run"
    ```
    """

    code = "PL004"
    targets = ("pipeline", "cog")
    suppressible = False
    name = "missing-cog-yaml"
    files = ("cog.yaml",)

    def check(self) -> None:
        if self.project.cog_file is None:
            self.sink.append(self.for_folder(self.project.root))

    @classmethod
    def for_folder(cls, folder) -> Diagnostic:
        return Diagnostic(
            code=cls.code, severity=cls.severity, name=cls.name,
            message=f"no cog.yaml in {folder} (or below it): this is not a pipeline model folder",
            help='create cog.yaml with `predict: "main.py:run"`, or point pipelint at the model folder',
            path=folder / "cog.yaml", start=Position(1, 1), end=Position(1, 1),
        )

    VALID = [Case({})]
    INVALID = [Case({"cog.yaml": None}, expect=[("cog.yaml", 1, 1)])]


__all__ = ["SyntaxErrorRule", "InvalidCogYaml", "UnreadableFile", "MissingCogYaml", "Severity"]
