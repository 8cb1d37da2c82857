"""Differential tests: pipelint's verdicts against the real runtime packages, over every fixture.

Opt-in (`python -m pytest -m differential`; CI runs them in .ci/run): the first run builds two
virtualenvs from PyPI (see runtime.py), later runs reuse them.

For each model folder in fixtures/ (a copy of it):

(a) imports: each top-level module the entry module and its local modules import (statements and
    literal ``importlib.import_module("x")``) is looked up with ``importlib.util.find_spec`` in an
    environment holding exactly the runtime's packages, from the model folder. pipelint flags a line (PL201/PL207) exactly when an
    import on it does not resolve there, except that an import that may fail (inside
    ``try: … except ImportError``, or under ``if TYPE_CHECKING:``) is not flagged by design.
(b) issue 3: whenever cog 0.23.1's ``cog._inspector.create_predictor`` rejects the entry (or there
    is no entry it could be asked about), pipelint reports an error for the model.
(c) whenever pipelint reports no error, cog 0.15.9's ``python -m cog.command.openapi_schema``
    produces the model's schema.

pipelint runs with its default settings (the rules' own verdicts, not a fixture's configuration).
A divergence is either fixed or listed below with its reason; a listed one that no longer
diverges fails the run, so the tables stay true.

Known gaps, by design (not failures): the converse of (b) and (c) does not hold; on the last run
41 of 137 fixtures got a pipelint error that create_predictor accepts. test_summary prints them,
grouped by rule (`gap_by_code`). They fall in these groups:

* cog.yaml, requirements.txt and build-time checks (PL1xx, PL202-PL205, PL501-PL503, PL505):
  create_predictor never reads cog.yaml or requirements.txt, and `cog build` (not the inspector)
  checks `replicate.use()` calls; the pipelines runtime enforces them.
* what cog 0.23.1 accepts and the pinned runtime (coglet 0.1.0a31) refuses: PL305, PL311, PL312,
  PL401, PL402, PL403, PL409, PL410 (rules.md, constraints.md).
* model behaviour no loader checks: reading environment variables (PL601), hard-coded
  credentials (PL602).
* files pipelint will not analyse: PL003 for an expression nested deeper than it analyses (Python
  loads it), for a binary requirements.txt (the runtime ignores the file, `cog build`'s pip does
  not), and for a main.py whose only non-UTF-8 bytes sit in a comment: CPython 3.11-3.13 compile
  such a file, pipelint reads Python files as UTF-8 text (rules.md PL003).
* PL002 for duplicate keys: PyYAML's safe_load (used here to find the entry) keeps the last
  duplicate; cog's Go parser refuses them.
"""

from __future__ import annotations

import ast
import json
import shutil
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import runtime  # noqa: E402  (tests/differential/runtime.py, next to this file)
from conftest import FIXTURES  # noqa: E402

pytestmark = pytest.mark.differential

# (a) fixture -> why pipelint's import verdict differs from find_spec in the runtime environment.
IMPORT_DIVERGENCES: dict[str, str] = {
    "suppression/comments_in_all_three_files": "its missing imports carry `# pipelint: ignore[PL201]` comments on "
                                               "purpose: the fixture tests suppression",
    "imports/names_coglet_cog_lacks": "the replica judges modules (find_spec), not names: `from cog import X` "
                                      "resolves the module `cog`, while coglet's cog lacks the name X "
                                      "(`cannot import name 'X' from 'cog'`), which pipelint reports",
    "imports/exits_chained_versions_and_missing_names": "as imports/names_coglet_cog_lacks: `from cog import "
                                                        "BaseRunner` resolves the module; the names are judged by "
                                                        "test_coglet_exports.py against the real coglet",
}
# (b) fixture -> why create_predictor rejects it while pipelint reports no error.
RUNTIME_DIVERGENCES: dict[str, str] = {}
# (c) fixture -> why cog 0.15.9 cannot produce its schema although pipelint reports no error. All are
# limits or bugs of that older, pydantic-based SDK that the pipelines runtime (coglet) does not have.
_LEGACY_ATTRIBUTE_BASE = ("cog 0.15.9's code_xforms crashes on an output class whose base is an attribute "
                          "(`class Output(cog.BaseModel)`: `'Attribute' object has no attribute 'id'`), a bug of "
                          "that tool; coglet loads it")
LEGACY_DIVERGENCES: dict[str, str] = {
    "clean/coglet_cog_names_it_has": "coglet's cog exports names cog 0.15.9's SDK lacks; the model runs on coglet",
    "hostile/latin1_main_py": "CPython 3.13 imports it (the byte is in a comment: PL003 is a warning), while "
                              "cog 0.15.9's schema step reads the file as UTF-8 and fails",
    "clean/async_iterator_of_paths": "cog 0.15.9 has no async iterator outputs (`Fields of type AsyncIterator are "
                                     "not supported`); coglet streams them",
    "outputs/secret_in_outputs": _LEGACY_ATTRIBUTE_BASE + "; pipelint warns about the Secret output (PL407)",
    "hostile/utf8_bom_in_every_file": "cog 0.15.9 parses main.py without dropping the UTF-8 BOM (`invalid "
                                      "non-printable character U+FEFF`); Python's import, the runtime's, accepts it",
}


def fixture_dirs() -> list[Path]:
    # Ordinary cog models (fixtures/cog/) are not pipelines: the pipelines runtime is not their judge.
    return sorted(p.parent for p in FIXTURES.glob("**/expected.txt") if "cog" != p.relative_to(FIXTURES).parts[0])


def fixture_id(folder: Path) -> str:
    return folder.relative_to(FIXTURES).as_posix()


@dataclass
class ImportSite:
    file: str  # relative to the model folder
    line: int
    name: str  # top-level module
    may_fail: bool  # inside try/except ImportError or `if TYPE_CHECKING:`: pipelint does not flag it


@dataclass
class Verdicts:
    folder: Path
    copy: Path
    errors: list[str]  # pipelint's error-severity diagnostics, "CODE file:line:col"
    flagged_lines: set[tuple[str, int]]  # PL201/PL207 locations
    imports: list[ImportSite]
    analysed: bool  # pipelint parsed the modules (no syntax error or unreadable file)
    entry: tuple[str, str] | None  # (module, name) to give create_predictor, None if cog.yaml names none
    entry_problem: str = ""
    spec: dict[str, bool] = field(default_factory=dict)  # find_spec in the runtime's exact packages
    sdk: str = "not asked"  # create_predictor's answer
    legacy: str | None = None  # None: not asked (pipelint reports an error)
    notes: list[str] = field(default_factory=list)


# ---- what pipelint says --------------------------------------------------------------------

_MAY_FAIL_HANDLERS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _catches_import_errors(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any((n.id if isinstance(n, ast.Name) else getattr(n, "attr", "")) in _MAY_FAIL_HANDLERS for n in names)


_EXITS = {"sys.exit", "exit", "quit", "os._exit", "_exit", "os.abort"}


def _handler_swallows(node) -> bool:
    """The first handler that catches ImportError neither raises nor exits (a re-raise, or
    ``sys.exit()``, does not guard; test_coglet_guards.py checked it against Python 3.13)."""
    for h in node.handlers:
        if _catches_import_errors(h):
            return not any(isinstance(n, ast.Raise) or (isinstance(n, ast.Call) and ast.unparse(n.func) in _EXITS)
                           for child in h.body for n in ast.walk(child))
    return False


def _suppresses_import_error(node: ast.With) -> bool:
    for item in node.items:
        call = item.context_expr
        if isinstance(call, ast.Call) and ast.unparse(call.func).rpartition(".")[2] == "suppress":
            for arg in call.args:
                names = arg.elts if isinstance(arg, ast.Tuple) else [arg]
                if any(ast.unparse(n).rpartition(".")[2] in _MAY_FAIL_HANDLERS for n in names):
                    return True
    return False


class _VersionInfo(tuple):
    major, minor, micro = property(lambda s: s[0]), property(lambda s: s[1]), property(lambda s: s[2])


_STATIC_NODES = (ast.Expression, ast.Compare, ast.BoolOp, ast.UnaryOp, ast.Not, ast.And, ast.Or, ast.Constant,
                 ast.Tuple, ast.Name, ast.Attribute, ast.Subscript, ast.Slice, ast.Load, ast.Lt, ast.LtE, ast.Gt,
                 ast.GtE, ast.Eq, ast.NotEq)


def _version_value(test) -> bool | None:
    """The value on Python 3.13 (every micro release) of a test made only of literals,
    ``sys.version_info`` (indexed, sliced, ``.major``/``.minor``/``.micro``), ``TYPE_CHECKING``
    (False), comparisons (chained too) and not/and/or; else None. Evaluated by Python itself on
    a vetted tree: no call, no other name, so no model code runs."""
    expr = ast.Expression(test)
    names = {"sys", "version_info", "TYPE_CHECKING", "typing"}
    for node in ast.walk(expr):
        if not isinstance(node, _STATIC_NODES) or (isinstance(node, ast.Name) and node.id not in names):
            return None
        if isinstance(node, ast.Attribute) and node.attr not in ("version_info", "TYPE_CHECKING", "major", "minor",
                                                                 "micro"):
            return None
    values = set()
    for micro in (0, 99):
        info = _VersionInfo((3, 13, micro, "final", 0))
        scope = {"sys": type("sys", (), {"version_info": info}), "version_info": info, "TYPE_CHECKING": False,
                 "typing": type("typing", (), {"TYPE_CHECKING": False})}
        try:
            values.add(bool(eval(compile(ast.fix_missing_locations(expr), "<test>", "eval"), {"__builtins__": {}},
                                 scope)))
        except Exception:
            return None
    return values.pop() if len(values) == 1 else None


def import_sites(text: str, rel: str) -> list[ImportSite]:
    """Every import in ``text`` (Python's own parser: the harness does not trust pipelint's)."""
    tree = ast.parse(text)
    sites: list[ImportSite] = []

    def walk(node, may_fail: bool) -> None:
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            guarded = _handler_swallows(node)
            for child in node.body:
                walk(child, may_fail or guarded)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                walk(child, may_fail)
            return
        if isinstance(node, ast.If):
            test = ast.unparse(node.test)
            never_on_load = test in ("TYPE_CHECKING", "typing.TYPE_CHECKING", "__name__ == '__main__'",
                                     '__name__ == "__main__"')
            version = _version_value(node.test)
            for child in node.body:
                walk(child, may_fail or never_on_load or version is False)
            for child in node.orelse:
                walk(child, may_fail or version is True)
            return
        if isinstance(node, ast.With) and _suppresses_import_error(node):
            for child in node.body:
                walk(child, True)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                sites.append(ImportSite(rel, node.lineno, alias.name.split(".")[0], may_fail))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            sites.append(ImportSite(rel, node.lineno, node.module.split(".")[0], may_fail))
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str) and ast.unparse(node.func) in ("importlib.import_module",
                                                                                    "import_module", "__import__")):
            sites.append(ImportSite(rel, node.lineno, node.args[0].value.split(".")[0], may_fail))
        for child in ast.iter_child_nodes(node):
            walk(child, may_fail)

    walk(tree, False)
    return [s for s in sites if s.name]


def entry_of(copy: Path) -> tuple[tuple[str, str] | None, str]:
    """(module, name) from cog.yaml's `predict:` as the runtime reads it, or None and why not."""
    import yaml

    try:
        config = yaml.safe_load((copy / "cog.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError) as exc:
        return None, f"cog.yaml cannot be read: {type(exc).__name__}"
    predict = config.get("predict") if isinstance(config, dict) else None
    if not isinstance(predict, str) or predict.count(":") != 1:
        return None, f"no usable `predict:` ({predict!r})"
    file, name = predict.split(":")
    if not file.endswith(".py"):
        return None, f"`predict: {predict}` names no .py file"
    return (file[:-3].replace("/", "."), name), ""


def pipelint_verdicts(folder: Path, scratch: Path) -> Verdicts:
    from pipelint.core.diagnostics import Severity
    from pipelint.core.settings import Settings
    from pipelint.engine.runner import lint

    copy = scratch / fixture_id(folder).replace("/", "__")
    shutil.copytree(folder, copy, symlinks=True, ignore=shutil.ignore_patterns(".pipelint_cache", "__pycache__",
                                                                               "expected.txt"))
    from pipelint.engine.config import settings_for_model

    # The default rule set, judged as the kind of model the fixture says it is (its `target`).
    result = lint(copy, Settings(target=settings_for_model(copy).target))
    assert not result.internal_errors, result.internal_errors
    root = result.root
    errors = sorted(f"{d.code} {d.path.relative_to(root).as_posix() if d.path.is_relative_to(root) else d.path}:"
                    f"{d.start.line}:{d.start.column}" for d in result.diagnostics if d.severity == Severity.ERROR)
    flagged = {(d.path.relative_to(root).as_posix(), d.start.line) for d in result.diagnostics
               if d.code in ("PL201", "PL207") and d.path.is_relative_to(root)}
    sites, analysed = [], True
    for module in result.project.modules:
        if module.tree is None:
            analysed = False
            continue
        sites += import_sites(module.source.text, module.rel)
    if result.project.entry_module is None:
        analysed = False
    entry, problem = entry_of(copy)
    return Verdicts(folder, copy, errors, flagged, sites, analysed, entry, problem)


# ---- what the runtime says -----------------------------------------------------------------

@pytest.fixture(scope="module")
def environments():
    python, which = runtime.find_python()
    if python is None:
        pytest.skip(which)
    packages = runtime.runtime_packages()
    try:
        exact = runtime.venv("imports", python, packages, no_deps=True)
        sdk = runtime.venv("sdk", python, [*packages, runtime.COG_SDK])
        legacy = runtime.venv("legacy", python, [*packages, runtime.COG_LEGACY])
    except RuntimeError as exc:
        pytest.fail(str(exc))
    return {"python": which, "imports": exact, "sdk": sdk, "legacy": legacy}


@pytest.fixture(scope="module")
def verdicts(environments, tmp_path_factory) -> dict[str, Verdicts]:
    scratch = tmp_path_factory.mktemp("differential")
    out = {fixture_id(f): pipelint_verdicts(f, scratch) for f in fixture_dirs()}

    def ask(v: Verdicts) -> None:
        v.spec = runtime.find_specs(environments["imports"], v.copy, sorted({s.name for s in v.imports}))
        if v.entry:
            v.sdk = runtime.create_predictor(environments["sdk"], v.copy, *v.entry)
        if not v.errors:
            v.legacy = runtime.ask_legacy_schema(environments["legacy"], v.copy)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(ask, out.values()))
    return out


def _runtime_rejects(v: Verdicts) -> str | None:
    if v.entry is None:
        return f"the runtime has no entry to load: {v.entry_problem}"
    return None if v.sdk == "ok" else v.sdk


# ---- (a) imports ---------------------------------------------------------------------------

def import_divergences(v: Verdicts) -> list[str]:
    if not v.analysed:
        return []  # pipelint could not read the modules: it gives no import verdict
    out = []
    unresolved_lines = {(s.file, s.line) for s in v.imports if not v.spec.get(s.name, False)}
    for s in v.imports:
        resolves = v.spec.get(s.name, False)
        flagged = (s.file, s.line) in v.flagged_lines
        if not resolves and not flagged and not s.may_fail:
            out.append(f"{s.file}:{s.line} `{s.name}` does not resolve in the runtime, pipelint says nothing")
    for file, line in sorted(v.flagged_lines):
        if (file, line) not in unresolved_lines:
            names = sorted({s.name for s in v.imports if (s.file, s.line) == (file, line)})
            out.append(f"{file}:{line} pipelint flags {names or 'an import'}, which resolves in the runtime")
    return out


@pytest.mark.parametrize("fixture", [fixture_id(f) for f in fixture_dirs()])
def test_import_verdicts_match_the_runtime(verdicts, fixture):
    found = import_divergences(verdicts[fixture])
    _judge(fixture, found, IMPORT_DIVERGENCES)


# ---- (b) create_predictor rejects => pipelint errors ---------------------------------------

@pytest.mark.parametrize("fixture", [fixture_id(f) for f in fixture_dirs()])
def test_an_entry_the_sdk_rejects_gets_a_pipelint_error(verdicts, fixture):
    v = verdicts[fixture]
    rejected = _runtime_rejects(v)
    found = [f"create_predictor: {rejected}; pipelint reports no error"] if rejected and not v.errors else []
    _judge(fixture, found, RUNTIME_DIVERGENCES)


# ---- (c) pipelint passes => cog 0.15.9 builds the schema -----------------------------------

@pytest.mark.parametrize("fixture", [fixture_id(f) for f in fixture_dirs()])
def test_the_legacy_schema_accepts_what_pipelint_passes(verdicts, fixture):
    v = verdicts[fixture]
    found = [f"pipelint reports no error; openapi_schema: {v.legacy}"] if v.legacy not in (None, "ok") else []
    _judge(fixture, found, LEGACY_DIVERGENCES)


def _judge(fixture: str, found: list[str], known: dict[str, str]) -> None:
    if fixture in known:
        assert found, f"{fixture} no longer diverges: remove it from the table ({known[fixture]})"
        pytest.xfail(f"known divergence: {known[fixture]}")
    assert not found, "\n".join(found)


def test_the_tables_name_only_existing_fixtures():
    names = {fixture_id(f) for f in fixture_dirs()}
    for table in (IMPORT_DIVERGENCES, RUNTIME_DIVERGENCES, LEGACY_DIVERGENCES):
        assert set(table) <= names, set(table) - names


def test_summary(verdicts, environments, capsys):
    """The figures of the run, printed and written to the cache folder (differential-report.json)."""
    rows = list(verdicts.values())
    report = {
        "python": environments["python"],
        "fixtures": len(rows),
        "import_sites_compared": sum(len(v.imports) for v in rows if v.analysed),
        "import_sites_unresolved_in_runtime": sum(1 for v in rows if v.analysed for s in v.imports
                                                  if not v.spec.get(s.name, False)),
        "sdk_rejects": sum(1 for v in rows if _runtime_rejects(v)),
        "sdk_accepts": sum(1 for v in rows if not _runtime_rejects(v)),
        "pipelint_errors": sum(1 for v in rows if v.errors),
        "gap_pipelint_errors_sdk_accepts": sorted(fixture_id(v.folder) for v in rows
                                                  if v.errors and not _runtime_rejects(v)),
        # which rules make up the gap: errors for what the SDK accepts but the pipelines runtime does not
        "gap_by_code": dict(sorted(Counter(e.split()[0] for v in rows if v.errors and not _runtime_rejects(v)
                                           for e in v.errors).items())),
        "legacy_schema_asked": sum(1 for v in rows if v.legacy is not None),
        "legacy_schema_ok": sum(1 for v in rows if v.legacy == "ok"),
        "divergences_listed": {"imports": len(IMPORT_DIVERGENCES), "sdk": len(RUNTIME_DIVERGENCES),
                               "legacy": len(LEGACY_DIVERGENCES)},
        "sdk_rejections": {fixture_id(v.folder): _runtime_rejects(v) for v in rows if _runtime_rejects(v)},
    }
    (runtime.CACHE / "differential-report.json").write_text(json.dumps(report, indent=2))
    with capsys.disabled():
        print("\ndifferential:", json.dumps({k: (len(v) if isinstance(v, (list, dict)) and k not in (
            "divergences_listed", "gap_by_code") else v) for k, v in report.items()}))
    assert report["fixtures"] == len(fixture_dirs()) and report["import_sites_compared"] > 0
