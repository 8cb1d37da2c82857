"""What a rule is. Rules live in ``rules/`` (shipped as ``pipelint.rules``) and never read files.

A rule module must not import libcst at module level: ``pipelint rule`` and cached runs load
every rule without parsing anything. Import libcst inside the methods that need it.

Two kinds of rule:

* ``Rule.check()`` looks at the whole project (cog.yaml, requirements, the entry).
* ``visit_<Node>`` / ``leave_<Node>`` methods make a rule a Python visitor: it runs once per
  Python module it applies to (``modules = "entry"`` or ``"all"``), batched with every other
  visitor rule into a single traversal of that module.

The class docstring is the rule's documentation, in ruff's sections (``## What it does``,
``## Why is this bad?``, ``## Example``, ``## Use instead``, optionally ``## Fix safety``).
``VALID`` and ``INVALID`` hold example models that the test suite runs.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from pipelint.core.diagnostics import Applicability, Diagnostic, Edit, Fix, Position, Severity
from pipelint.core.records import Record

if TYPE_CHECKING:
    from pipelint.model.project import Project
    from pipelint.model.python import PythonModule

DEFAULT_COG_YAML = 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\npredict: "main.py:run"\n'
DEFAULT_REQUIREMENTS = "replicate>=1.1.0b1,<2.0.0a1\n"
DEFAULT_MAIN = "from cog import Input\n\n\ndef run(prompt: str = Input(description='Prompt')) -> str:\n    return prompt\n"


class Expect(NamedTuple):
    """One report a Case expects: where it starts and ends (1-based, the end exclusive, as in
    ``Diagnostic``) and a part of its message. ``end_line``/``end_column``/``message`` are None
    for an entry that gives the start only."""

    file: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None
    message: str | None = None

    @classmethod
    def of(cls, entry: tuple) -> Expect:
        """From a Case's ``expect`` entry: an optional file name first (default main.py), then
        ``line, column`` and optionally ``end_line, end_column, "message part"``."""
        parts = tuple(entry)
        if not isinstance(parts[0], str):
            parts = ("main.py", *parts)
        if len(parts) not in (3, 6):
            raise ValueError(f"an expect entry is ([file,] line, column[, end_line, end_column, message]): {entry!r}")
        return cls(*parts)

    @property
    def complete(self) -> bool:
        return self.end_line is not None and self.end_column is not None and bool(self.message)


class Case(Record):
    """An example model for a rule: ``files`` overlay a clean default model.

    ``files`` may be a string (the new main.py). ``expect`` lists the reports the rule must make,
    one entry each: ``(line, column, end_line, end_column, "part of the message")`` in main.py,
    or with the file first, ``("cog.yaml", line, column, end_line, end_column, "part")`` (see
    ``Expect``); ``None`` just requires at least one report. ``fixed`` is the expected content
    after applying the rule's fixes (unsafe ones included), as a string for main.py or a
    ``{file: text}`` mapping. ``python scripts/case_expectations.py CODE`` prints what a rule
    reports on its INVALID cases, in this form. ``cog_version`` is the ``cog-version`` setting the
    example is linted with (None: the default, the newest cog pipelint knows), for rules whose
    ``cog_versions`` leave the newest out.
    """

    files: dict[str, str | bytes | None] | str
    expect: list[tuple] | None
    fixed: dict[str, str] | str | None
    note: str
    cog_version: str | None

    def __init__(
        self,
        files: dict[str, str | bytes | None] | str,
        expect: list[tuple] | None = None,
        fixed: dict[str, str] | str | None = None,
        note: str = "",
        cog_version: str | None = None,
    ) -> None:
        self.files = files
        self.expect = expect
        self.fixed = fixed
        self.note = note
        self.cog_version = cog_version

    def model_files(self) -> dict[str, str | bytes | None]:
        files: dict[str, str | bytes | None] = {
            "cog.yaml": DEFAULT_COG_YAML,
            "requirements.txt": DEFAULT_REQUIREMENTS,
            "main.py": DEFAULT_MAIN,
        }
        files.update({"main.py": self.files} if isinstance(self.files, str) else self.files)
        return files  # a value of None removes the file

    def expectations(self) -> list[Expect] | None:
        """The ``expect`` entries, file names filled in, sorted by position."""
        if self.expect is None:
            return None
        return sorted((Expect.of(e) for e in self.expect), key=lambda e: (e.file, e.line, e.column,
                                                                           e.end_line or 0, e.end_column or 0))

    def expected(self) -> list[tuple[str, int, int]] | None:
        """Where the reports start: ``(file, line, column)``, sorted."""
        found = self.expectations()
        return None if found is None else sorted((e.file, e.line, e.column) for e in found)

    def expected_fixed(self) -> dict[str, str] | None:
        if self.fixed is None:
            return None
        return {"main.py": self.fixed} if isinstance(self.fixed, str) else dict(self.fixed)


class Rule:
    code: ClassVar[str] = ""
    name: ClassVar[str] = ""  # kebab-case
    severity: ClassVar[Severity] = Severity.ERROR
    # Other severities some of its reports carry (``self.report(..., severity=...)``), when the
    # spec gives the rule two (an error for one shape, a warning for another).
    also_severities: ClassVar[tuple[Severity, ...]] = ()
    default_enabled: ClassVar[bool] = True
    files: ClassVar[tuple[str, ...]] = ()  # what it reads: "cog.yaml", "requirements.txt", "python"
    metadata: ClassVar[tuple[str, ...]] = ()  # libcst metadata it needs (see pipelint.model.python.PROVIDERS)
    modules: ClassVar[str] = "entry"  # visitor rules: "entry" module only, or "all" local modules
    fix_availability: ClassVar[str | None] = None  # None | "always" | "sometimes"
    fix_applicability: ClassVar[Applicability | None] = None
    # The kinds of model folder the rule judges: "pipeline", "cog" or both (see
    # pipelint.analysis.target). A rule never runs on a folder of the other kind.
    targets: ClassVar[tuple[str, ...]] = ("pipeline",)
    # The cog versions the rule applies to, as a PEP 440 specifier (">=0.17"); "" for all. Outside
    # it the rule is silent: the setting ``cog-version`` says which cog builds the model.
    cog_versions: ClassVar[str] = ""
    # False for findings about a file that cannot be read or parsed: a comment in it cannot be
    # trusted to silence them (the CLI, the fixer and the language server all read this).
    suppressible: ClassVar[bool] = True
    # True when a finding of this rule means its file was not analysed: that file's suppression
    # comments are then not judged unused, since the findings they would silence were never made.
    blocks_file: ClassVar[bool] = False
    VALID: ClassVar[list[Case]] = []
    INVALID: ClassVar[list[Case]] = []

    def __init__(self, project: Project, module: PythonModule | None = None, sink: list | None = None):
        self.project = project
        self.module = module
        self.sink: list[Diagnostic] = sink if sink is not None else []

    # ---- documentation -----------------------------------------------------------------
    @classmethod
    def docs(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.docs().split("\n\n")[0].replace("\n", " ").strip() if cls.__doc__ else cls.name

    @classmethod
    def doc_section(cls, title: str) -> str:
        text = cls.docs()
        marker = f"## {title}"
        if marker not in text:
            return ""
        body = text.split(marker, 1)[1]
        return body.split("\n## ", 1)[0].strip()

    @classmethod
    def is_visitor(cls) -> bool:
        return bool(_hook_names(cls))

    @classmethod
    def applies_to(cls, project: Project, module: PythonModule) -> bool:
        """Whether this visitor rule can report anything in ``module``. A rule may look at the
        module's text (``module.source.text``) to skip it cheaply: a skipped rule costs no traversal
        and no metadata there."""
        return True

    @classmethod
    def metadata_for(cls, project: Project, module: PythonModule) -> tuple[str, ...]:
        """The metadata the runner computes for this rule in ``module`` before the traversal
        (default: all of ``metadata``). Returning less is a promise not to ask for the rest there."""
        return cls.metadata

    # ---- running -----------------------------------------------------------------------
    def check(self) -> None:
        """Project-level checks. Visitor rules usually leave this alone."""

    def after_traversal(self) -> None:
        """Runs once every visitor rule has traversed every module: what is known only then
        (a module found too deep to analyse during the traversal) can be reported here."""

    def after_suppression(self, applied, enabled: set[str], known: set[str]) -> None:
        """Runs after suppression comments were applied (``applied``: see
        ``pipelint.engine.suppression.Applied``), to judge the comments themselves. ``enabled``
        are the codes of this run, ``known`` every code pipelint has."""

    @classmethod
    def for_folder(cls, folder: Path) -> Diagnostic | None:
        """What to report for a path the user named that holds no model folder (None: nothing)."""
        return None

    @classmethod
    def overrides(cls, hook: str) -> bool:
        """Whether this rule defines ``hook`` (one of the methods above) itself."""
        return any(hook in k.__dict__ for k in cls.__mro__ if k is not Rule and k is not object)

    def get_visitors(self) -> dict:
        """The bound visit_/leave_ methods, for libcst's batched traversal."""
        return {n: getattr(self, n) for n in _hook_names(type(self)) if callable(getattr(self, n))}

    def get_metadata(self, name: str, node, default=None):
        if name not in self.metadata:
            raise RuntimeError(f"{self.code} uses metadata {name!r} without declaring it in `metadata`")
        return self.module.meta(name, node, default)

    # ---- reporting ---------------------------------------------------------------------
    def report_at(
        self,
        path: Path,
        start: Position,
        end: Position,
        message: str,
        *,
        help: str | None = None,
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        diag = Diagnostic(
            code=self.code,
            severity=severity or self.severity,
            message=message,
            path=path,
            start=start,
            end=end,
            help=help,
            fix=fix,
            name=self.name,
        )
        self.sink.append(diag)
        return diag

    def report(self, node, message: str, *, module: PythonModule | None = None, **kw) -> Diagnostic:
        """Report at a libcst node of ``module`` (default: the module being visited)."""
        module = module or self.module or self.project.entry_module
        start, end = module.range(node)
        return self.report_at(module.source.path, start, end, message, **kw)

    def report_yaml(self, node, message: str, **kw) -> Diagnostic:
        """Report at a composed cog.yaml node."""
        from pipelint.model import yamlnodes

        return self.report_at(self.project.cog_file.path, yamlnodes.start(node), yamlnodes.end(node), message, **kw)

    # ---- building fixes ----------------------------------------------------------------
    def fix(self, message: str, *edits: Edit, applicability: Applicability | None = None) -> Fix:
        return Fix(message, tuple(edits), applicability or self.fix_applicability or Applicability.SAFE)

    def edit_node(self, node, content: str, module: PythonModule | None = None) -> Edit:
        module = module or self.module or self.project.entry_module
        start, end = module.range(node)
        return Edit(module.source.path, start, end, content)


_HOOK_NAMES: dict[type, tuple[str, ...]] = {}


def _hook_names(cls) -> tuple[str, ...]:
    """The ``visit_``/``leave_`` attribute names of a rule class, in ``dir()`` order (read once per
    class: ``dir()`` of a rule costs ~15 µs, asked per rule and per module of every lint)."""
    names = _HOOK_NAMES.get(cls)
    if names is None:
        names = _HOOK_NAMES[cls] = tuple(n for n in dir(cls) if n.startswith(("visit_", "leave_")))
    return names
