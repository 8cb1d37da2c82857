"""Differential test: pipelint's CG errors against cog 0.23.1's own loader, over every cog-target fixture.

Opt-in (``python -m pytest -m differential tests/differential/test_cog_sdk_load.py``). Notes, method
and the list of divergences: tests/differential/COG_SDK.md.

For every fixture folder (``fixtures/**/expected.txt``) that pipelint lints as an ordinary cog model
(``LintResult.target.target == "cog"``), a copy of the folder is loaded in a subprocess of a cached
Python 3.13 virtualenv holding cog==0.23.1, coglet==0.23.1 and pydantic 2:

1. heavy third-party imports are stubbed: a meta-path finder answers every top-level module that is
   not the standard library, not cog/coglet/pydantic (and their dependencies) and not a file of the
   model folder with a permissive stub module (any attribute, call, subscript, base class works);
2. ``cog.predictor.load_predictor_from_ref(ref)`` is called for real for the ``run:``/``predict:``
   ref (cwd = the model folder, as on a cog image): it imports the module by path, picks the class,
   validates run()/predict() and instantiates it (``setup()`` is not called: that is model code
   that downloads weights);
3. ``cog._inspector.create_predictor(module, name)``, the SDK's setup-free schema step, is asked
   about the same entry.

Then: every load failure must correspond to a pipelint *error* of the cog target (a CG rule, or PL0,
the reading rules both targets share: a file Python cannot compile, a cog.yaml without an entry): at the file and line
of the deepest traceback frame in the model folder (a CG error anywhere inside the statement that
starts on that line counts: Python reports a class body's failure at the ``class`` line, pipelint
at the field), or, when no model frame is on the stack (cog's own loader refused the entry), any
error of the model. The schema step's answer is printed by test_summary and not asserted (see
COG_SDK.md: its refusals are CG3/CG4 matters). And every fixture pipelint calls clean of CG errors must load. A known
divergence is an xfail with its reason (DIVERGENCES below); one that no longer diverges fails
(strict), so the list stays true.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import runtime  # noqa: E402  (tests/differential/runtime.py: cached venvs)
from conftest import FIXTURES  # noqa: E402

pytestmark = pytest.mark.differential

SDK_PACKAGES = ["cog==0.23.1", "coglet==0.23.1", "pydantic==2.10.6"]
LOAD_TIMEOUT = 120

# fixture id -> why cog's loader and pipelint disagree on it (an xfail, strict).
DIVERGENCES: dict[str, str] = {
    "hostile/code_with_import_side_effects": "its main.py calls sys.exit() at import on purpose (it proves pipelint "
                                             "never runs model code): behaviour, not a fault any static rule judges",
    "imports/relative_import_in_entry": "`from .x import y` in a module cog loads by path: `attempted relative "
                                        "import with no known parent package`; no CG rule of cog-rules.md covers it "
                                        "(CG308 judges top-level sibling imports from a sub-folder)",
    "inputs/unknown_input_keywords": "`Input(descripton=...)`: cog 0.23.1's Input() raises `TypeError: Input() got "
                                     "an unexpected keyword argument` at import; cog-rules.md has no CG rule for it "
                                     "(the pipeline target's PL310 is pipeline-only)",
}

# Runs inside the SDK environment with cwd = a copy of the model folder. Writes its answer to a file:
# model code may print anything.
DRIVER = r'''
import importlib.abc, importlib.machinery, json, os, sys, traceback, types, warnings
out, ref, key = sys.argv[1], sys.argv[2], sys.argv[3]
here = os.getcwd()
sys.path[:] = [here] + [p for p in sys.path if p and os.path.abspath(p) != os.path.dirname(os.path.abspath(__file__))]
REAL = {"cog", "coglet", "pydantic", "pydantic_core", "annotated_types", "typing_extensions", "typing_inspection",
        "yaml", "structlog", "attrs", "attr", "requests", "urllib3", "certifi", "idna", "charset_normalizer",
        "_distutils_hack", "pkg_resources", "setuptools", "pip"}

class _StubMeta(type):
    def __getattr__(cls, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _stub_class(name)
    def __getitem__(cls, item):
        return cls
    def __or__(cls, other):
        return cls
    def __ror__(cls, other):
        return cls
    def __iter__(cls):
        return iter(())

class _Stub(metaclass=_StubMeta):
    def __init__(self, *a, **k):
        pass
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _Stub()
    def __call__(self, *a, **k):
        if len(a) == 1 and not k and callable(a[0]):
            return a[0]  # a decorator: keep the function
        return _Stub()
    def __getitem__(self, item):
        return _Stub()
    def __setitem__(self, k, v):
        pass
    def __iter__(self):
        return iter(())
    def __len__(self):
        return 0
    def __bool__(self):
        return True
    def __enter__(self):
        return self
    def __exit__(self, *a):
        return False
    def __mro_entries__(self, bases):
        return (_Stub,)

def _stub_class(name):
    return _StubMeta(name, (_Stub,), {})

class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        value = _stub_class(name)
        setattr(self, name, value)
        return value

class _Loader(importlib.abc.Loader):
    def create_module(self, spec):
        m = _StubModule(spec.name)
        m.__path__ = []
        return m
    def exec_module(self, module):
        pass

class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top in sys.stdlib_module_names or top in REAL:
            return None
        if os.path.exists(os.path.join(here, top + ".py")) or os.path.isdir(os.path.join(here, top)):
            return None
        return importlib.machinery.ModuleSpec(name, _Loader(), is_package=True)

sys.meta_path.insert(0, _Finder())

def where(exc):
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if os.path.isfile(f.filename) and os.path.abspath(f.filename).startswith(here + os.sep)]
    if isinstance(exc, SyntaxError) and exc.filename and os.path.isfile(exc.filename) and \
            os.path.abspath(exc.filename).startswith(here + os.sep):
        return [os.path.relpath(os.path.abspath(exc.filename), here), exc.lineno or 1]
    if not inside:
        return None
    f = inside[-1]
    return [os.path.relpath(os.path.abspath(f.filename), here), f.lineno]

result = {"load": "not run", "load_at": None, "schema": "not run", "schema_at": None}

def save():
    with open(out, "w") as fh:
        json.dump(result, fh)

save()
warnings.simplefilter("ignore")
try:
    result["load"] = "the process died while loading"
    save()
    from cog.predictor import load_predictor_from_ref
    load_predictor_from_ref(ref)
    result["load"] = "ok"
except BaseException as exc:
    result["load"] = f"{type(exc).__name__}: {exc}"[:2000]
    result["load_at"] = where(exc)
save()
try:
    from cog._inspector import create_predictor
    module_path, _, name = ref.partition(":")
    module_name = os.path.basename(module_path)[:-3]
    for m in [m for m in sys.modules if m == module_name]:
        del sys.modules[m]
    create_predictor(module_name, name or "Runner")
    result["schema"] = "ok"
except BaseException as exc:
    result["schema"] = f"{type(exc).__name__}: {exc}"[:2000]
    result["schema_at"] = where(exc)
save()
os._exit(0)
'''


find_python313 = runtime.find_python313  # shared with test_coglet_exports.py / test_coglet_guards.py


def cog_fixtures() -> list[Path]:
    """Every fixture folder pipelint lints as an ordinary cog model (decided at run time)."""
    from pipelint.core.settings import Settings
    from pipelint.engine.runner import lint

    out = []
    for expected in sorted(FIXTURES.glob("**/expected.txt")):
        folder = expected.parent
        try:
            result = lint(folder.resolve(), Settings())
        except Exception:  # a fixture pipelint cannot lint is not this test's subject
            continue
        if result.target is not None and result.target.target == "cog":
            out.append(folder)
    return out


def fixture_id(folder: Path) -> str:
    return folder.relative_to(FIXTURES).as_posix()


@dataclass
class Verdict:
    ref: str | None
    load: str
    load_at: list | None
    schema: str
    schema_at: list | None
    errors: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, code) of CG/PL0 errors
    spans: dict = field(default_factory=dict)  # file -> {line: end line of the statement starting there}


@pytest.fixture(scope="module")
def sdk_env():
    python, why = find_python313()
    if python is None:
        pytest.skip(why)
    try:
        return runtime.venv("cog-sdk-load", python, SDK_PACKAGES)
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot build the cog 0.23.1 environment with {why}: {exc}")


def _entry_ref(folder: Path) -> str | None:
    import yaml

    try:
        data = yaml.safe_load((folder / "cog.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    for key in ("run", "predict"):
        if isinstance(data.get(key), str):
            return data[key].strip()
    return None


def _statement_spans(folder: Path) -> dict:
    """file -> {first line: last line} of every statement (so a class-line failure covers its body)."""
    spans = {}
    for path in folder.rglob("*.py"):
        try:
            tree = ast.parse(path.read_bytes())
            nodes = list(ast.walk(tree))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        lines: dict[int, int] = {}
        for node in nodes:
            if isinstance(node, ast.stmt):
                first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
                lines[first] = max(lines.get(first, 0), node.end_lineno or node.lineno)
                lines[node.lineno] = max(lines.get(node.lineno, 0), node.end_lineno or node.lineno)
        spans[path.relative_to(folder).as_posix()] = lines
    return spans


def judge(env: Path, folder: Path, scratch: Path) -> Verdict:
    from pipelint.core.diagnostics import Severity
    from pipelint.core.settings import Settings
    from pipelint.engine.runner import lint

    copy = scratch / fixture_id(folder).replace("/", "__")
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("expected.txt", "intended.txt", "__pycache__"))
    result = lint(copy.resolve(), Settings())
    errors = [(d.path.resolve().relative_to(copy.resolve()).as_posix(), d.start.line, d.code)
              for d in result.diagnostics
              if d.code.startswith(("CG", "PL0")) and d.severity == Severity.ERROR]
    ref = _entry_ref(copy)
    v = Verdict(ref, "not run", None, "not run", None, errors, _statement_spans(copy))
    if ref is None:
        v.load = v.schema = "no run:/predict: entry"
        return v
    out = scratch / (copy.name + ".json")
    driver = scratch / (copy.name + "-driver.py")  # one per model: the judges run in parallel
    driver.write_text(DRIVER, encoding="utf-8")
    try:
        subprocess.run([str(env / "bin" / "python"), str(driver), str(out), ref, "run"], cwd=copy,
                       env=runtime._env(scratch), capture_output=True, timeout=LOAD_TIMEOUT)
    except subprocess.TimeoutExpired:
        pass
    try:
        data = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {"load": "the driver wrote no answer"}
    v.load, v.load_at = data.get("load", "?"), data.get("load_at")
    v.schema, v.schema_at = data.get("schema", "?"), data.get("schema_at")
    return v


def explained(v: Verdict, at: list | None) -> bool:
    """A CG error that accounts for a failure at ``at`` (file, line), or any CG error when no model
    frame was on the stack."""
    if at is None:
        return bool(v.errors)
    file, line = at
    end = v.spans.get(file, {}).get(line, line)
    return any(f == file and line <= ln <= end for f, ln, _ in v.errors)


_FIXTURE_DIRS: list[Path] | None = None


def _opted_in(config) -> bool:
    expr = config.getoption("markexpr") or ""
    return "differential" in expr and "not differential" not in expr


def fixture_dirs(config) -> list[Path]:
    """The cog-target fixtures, found once per run and only when the test is opted in (linting every
    fixture at collection would slow the ordinary suite)."""
    global _FIXTURE_DIRS
    if not _opted_in(config):
        return []
    if _FIXTURE_DIRS is None:
        _FIXTURE_DIRS = cog_fixtures()
    return _FIXTURE_DIRS


def pytest_generate_tests(metafunc):
    if "fixture" in metafunc.fixturenames:
        ids = [fixture_id(f) for f in fixture_dirs(metafunc.config)] or ["(not opted in)"]
        metafunc.parametrize("fixture", ids)


@pytest.fixture(scope="module")
def verdicts(sdk_env, tmp_path_factory, request):
    from concurrent.futures import ThreadPoolExecutor

    scratch = tmp_path_factory.mktemp("cog-sdk-load")
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda f: (fixture_id(f), judge(sdk_env, f, scratch)),
                              fixture_dirs(request.config)))
    return dict(found)


def _xfail_if_known(request, fid: str):
    if fid in DIVERGENCES:
        request.applymarker(pytest.mark.xfail(reason=DIVERGENCES[fid], strict=True))


def test_a_load_failure_is_a_pipelint_error_at_its_line(verdicts, fixture, request):
    _xfail_if_known(request, fixture)
    v = verdicts[fixture]
    problems = []
    if v.load != "ok" and not explained(v, v.load_at):
        problems.append(f"load_predictor_from_ref({v.ref!r}) failed at {v.load_at}: {v.load}")
    assert not problems, "; ".join(problems) + f" — pipelint's CG errors: {v.errors}"


def test_a_model_pipelint_calls_clean_loads(verdicts, fixture, request):
    _xfail_if_known(request, fixture)
    v = verdicts[fixture]
    if v.errors:
        return
    assert v.load == "ok", f"pipelint reports no CG error, but load_predictor_from_ref({v.ref!r}) failed: {v.load}"


def test_summary(verdicts):
    """Prints what happened to every fixture (``-s`` to see it)."""
    rows = [f"{fid}: load={v.load[:80]!r} at {v.load_at}; schema={v.schema[:80]!r}; CG errors={len(v.errors)}"
            for fid, v in sorted(verdicts.items())]
    print("\n".join(["", f"{len(rows)} cog-target fixtures", *rows]))
    assert rows
