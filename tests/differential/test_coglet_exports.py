"""Differential test: pipelint's data on coglet 0.1.0a31's `cog` against the real package.

Opt-in (``python -m pytest -n 0 -m differential tests/differential/test_coglet_exports.py``). Notes and
results: tests/differential/COGLET.md.

coglet 0.1.0a31 (the pipelines runtime's ``cog``) is a GitHub wheel, not on PyPI. Its sources are read
from a replicate/cog-runtime git directory ($PIPELINT_COG_RUNTIME_GIT, default the local mirror; the
module skips, naming the variable, when there is none): ``git archive v0.1.0-alpha31 python`` is
extracted into a temporary folder and put first on the path of a Python 3.13 virtualenv holding the
runtime's other pinned packages (pydantic 1.10.22, …: runtime.venv("imports")). That is the runtime's
``cog``, imported for real in a subprocess:

* every name pipelint's data says ``cog`` exports really imports (``from cog import X``), the real
  namespace and ``__all__`` are the data's, and every submodule the data lists imports and binds the
  names the data says;
* every name or module pipelint calls missing (any cog SDK name or module coglet lacks, and the
  ``cog`` imports of PL201/PL507/PL409's own rule cases) really fails, and the message PL201 quotes
  (``cannot import name 'X' from 'cog'``, ``No module named 'cog.ext'``) is the start of Python's;
* the data's provenance (tag and commit) is the extracted tag's.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import runtime  # noqa: E402  (tests/differential/runtime.py: cached venvs, coglet's sources)

pytestmark = pytest.mark.differential
# the fixtures every coglet differential shares (tests/differential/runtime.py)
git_dir, coglet_root, runtime_env = runtime.git_dir, runtime.coglet_root, runtime.runtime_env

DATA = runtime.REPO / "pipelint" / "data" / "cog" / "coglet-cog-exports.json"
# Names/modules the brief and the issue name, beside everything the cog SDK ever had.
NAMED_MISSING = ["BaseRunner", "streaming", "emit_metric", "include", "use", "File", "Predictor", "ExperimentalFeature"]
NAMED_MISSING_MODULES = ["cog.types", "cog.ext", "cog.ext.pipelines", "cog.streaming", "cog.predictor",
                         "cog.server.worker", "cog.server.http.app", "cog.coder.missing_coder"]
_DUNDERS = {"__name__", "__doc__", "__package__", "__loader__", "__spec__", "__path__", "__file__", "__cached__",
            "__builtins__"}

DRIVER = r'''
import importlib, json, os, sys, warnings
out, coglet_root, plan = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
sys.path.insert(0, coglet_root)
warnings.simplefilter("ignore")
res = {}
import cog
res["cog_file"] = os.path.relpath(cog.__file__, coglet_root)
res["namespace"] = sorted(vars(cog))
res["all"] = list(cog.__all__)
def attempt(stmt):
    try:
        exec(stmt, {})
        return "ok"
    except BaseException as exc:
        return f"{type(exc).__name__}: {exc}"
res["stmts"] = {s: attempt(s) for s in plan["stmts"]}
mods = {}
for m in plan["modules"]:
    try:
        mods[m] = sorted(vars(importlib.import_module(m)))
    except BaseException as exc:
        mods[m] = f"{type(exc).__name__}: {exc}"
res["modules"] = mods
with open(out, "w") as fh:
    json.dump(res, fh)
'''


def data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def coglet_data() -> dict:
    return data()["coglet"]


def missing_names() -> list[str]:
    """Every name some cog SDK's ``cog`` had (or the issue names) that coglet's data says it lacks."""
    d = data()
    have = set(d["coglet"]["importable_from_package"])
    names = set(d["sdk_history"]["names"]) | set(d["sdk_wheel"]["importable_from_package"]) | set(NAMED_MISSING)
    for facts in d["sdk"].values():
        names |= set(facts["importable_from_package"])
    return sorted(n for n in names if n not in have and n.isidentifier())


def missing_modules() -> list[str]:
    d = data()
    have = set(d["coglet"]["submodules"])
    mods = set(d["sdk_history"]["modules"]) | set(d["sdk_wheel"]["submodules"]) | set(NAMED_MISSING_MODULES)
    return sorted(m for m in mods if m not in have and m != "cog" and all(p.isidentifier() for p in m.split(".")))


def rule_case_statements() -> list[str]:
    """The ``cog`` import statements of the rule cases of PL201 (missing names), PL507 (use) and PL409 (File)."""
    from pipelint.engine.registry import rule_by_code

    out = []
    for code in ("PL201", "PL507", "PL409"):
        rule = rule_by_code(code)
        for case in [*rule.VALID, *rule.INVALID]:
            for name, text in case.model_files().items():
                if not name.endswith(".py") or not isinstance(text, str):
                    continue
                try:
                    tree = ast.parse(text)
                except SyntaxError:
                    continue
                for node in ast.walk(tree):
                    if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "cog":
                        out += [f"from {node.module} import {a.name}" for a in node.names if a.name != "*"]
                    elif isinstance(node, ast.Import):
                        out += [f"import {a.name}" for a in node.names if a.name.split(".")[0] == "cog"]
    return sorted(set(out))


def plan() -> dict:
    c = coglet_data()
    stmts = [f"from cog import {n}" for n in c["importable_from_package"]]
    stmts += [f"from cog import {n}" for n in missing_names()]
    stmts += [f"import {m}" for m in [*c["submodules"], *missing_modules()]]
    for module, facts in c["modules"].items():
        stmts += [f"from {module} import {n}" for n in facts["bound"]]
    stmts += rule_case_statements()
    return {"stmts": sorted(set(stmts)), "modules": sorted(c["modules"])}


@pytest.fixture(scope="module")
def real(runtime_env, coglet_root, tmp_path_factory) -> dict:
    the_plan = plan()
    answer = runtime.run_python(runtime_env, DRIVER, [str(coglet_root), json.dumps(the_plan)],
                                cwd=tmp_path_factory.mktemp("coglet-cwd"))
    assert "error" not in answer, answer.get("error")
    return answer


def test_provenance_is_the_extracted_tag(git_dir):
    c = coglet_data()
    assert c["repository"] == "replicate/cog-runtime"
    assert c["tag"] == runtime.COGLET_TAG
    assert c["distribution"] == "coglet==0.1.0a31"
    assert c["commit"] == runtime.tag_commit(git_dir, c["tag"]), "the data was read at another commit than the tag's"


def test_submodules_are_the_sources_modules(coglet_root):
    """The data's module list is the tree of python/cog at the tag (a folder without __init__.py counts)."""
    cog = coglet_root / "cog"
    found = set()
    for path in cog.rglob("*"):
        rel = path.relative_to(coglet_root)
        if path.is_dir() and path.name != "__pycache__":
            found.add(".".join(rel.parts))
        elif path.suffix == ".py" and path.name not in ("__init__.py", "__main__.py"):
            found.add(".".join(rel.with_suffix("").parts))
    assert sorted(found) == sorted(coglet_data()["submodules"])


def test_the_real_cog_is_the_extracted_one(real):
    assert real["cog_file"] == "cog/__init__.py"


def test_cog_namespace_and_all_are_the_data(real):
    c = coglet_data()
    assert sorted(real["all"]) == sorted(c["all"])  # the data keeps it sorted
    assert sorted(set(real["namespace"]) - _DUNDERS) == sorted(set(c["bound"]) - _DUNDERS)


def test_every_exported_name_imports(real):
    failed = {n: real["stmts"][f"from cog import {n}"] for n in coglet_data()["importable_from_package"]
              if real["stmts"][f"from cog import {n}"] != "ok"}
    assert not failed


def test_every_listed_submodule_imports_and_binds_its_names(real):
    c = coglet_data()
    problems = [f"import {m}: {real['stmts'][f'import {m}']}" for m in c["submodules"]
                if real["stmts"][f"import {m}"] != "ok"]
    for module, facts in c["modules"].items():
        got = real["modules"][module]
        if isinstance(got, str):
            problems.append(f"{module}: {got}")
            continue
        children = {m.rpartition(".")[2] for m in c["submodules"] if m.rpartition(".")[0] == module}
        extra = set(got) - _DUNDERS - set(facts["bound"]) - children
        lacking = set(facts["bound"]) - set(got)
        if extra or lacking:
            problems.append(f"{module}: real has {sorted(extra)} beyond the data, lacks {sorted(lacking)}")
    assert not problems, problems


def test_every_name_and_module_the_data_lacks_fails(real):
    oks = [s for s in [*(f"from cog import {n}" for n in missing_names()), *(f"import {m}" for m in missing_modules())]
           if real["stmts"][s] == "ok"]
    assert not oks, f"pipelint's data says coglet's cog lacks these, but they import: {oks}"


def _quoted(message: str) -> str | None:
    found = re.search(r"\(`((?:cannot import name|No module named)[^`]*)`\)", message)
    return found.group(1) if found else None


def test_pipelint_reports_exactly_what_fails_with_pythons_message(real, tmp_path):
    """One model whose main.py holds every statement of the plan, one per line: PL201 reports a line
    (PL507 for ``use``, PL409 for ``File`` in the entry) exactly when Python's import fails there, and
    the message PL201 quotes is the start of Python's."""
    from pipelint.core.settings import Settings
    from pipelint.engine.runner import lint

    stmts = [s for s in real["stmts"] if s.split()[1].split(".")[0] == "cog"]
    model = tmp_path / "model"
    model.mkdir()
    (model / "cog.yaml").write_text('build:\n  python_version: "3.13"\npredict: "main.py:run"\n', encoding="utf-8")
    (model / "requirements.txt").write_text("replicate>=1.0.0,<2\n", encoding="utf-8")
    (model / "main.py").write_text("\n".join(stmts) + "\n\n\ndef run(prompt: str) -> str:\n    return prompt\n",
                                   encoding="utf-8")
    result = lint(model.resolve(), Settings(target="pipeline"))
    by_line: dict[int, list] = {}
    for d in result.diagnostics:
        if d.path.name == "main.py" and d.code in ("PL201", "PL507", "PL409"):
            by_line.setdefault(d.start.line, []).append(d)
    problems = []
    for line, stmt in enumerate(stmts, start=1):
        actual, found = real["stmts"][stmt], by_line.get(line, [])
        if actual == "ok":
            if found:
                problems.append(f"{stmt}: imports for real, pipelint says {[(d.code, d.message) for d in found]}")
            continue
        if not found:
            problems.append(f"{stmt}: fails for real ({actual}), pipelint reports nothing")
            continue
        for d in found:
            if d.code != "PL201":
                continue
            quoted = _quoted(d.message)
            if quoted is None or not actual.split(": ", 1)[1].startswith(quoted):
                problems.append(f"{stmt}: Python says {actual!r}, PL201 quotes {quoted!r}")
    assert not problems, "\n".join(problems)


# ---- every pipeline fixture: each `cog` import statement, run against the real coglet -----------
# fixture id -> why pipelint's verdict on one of its `cog` imports is not Python's (strict xfail).
FIXTURE_DIVERGENCES: dict[str, str] = {}


_CATCH_MODULE = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
_CATCH_NAME = _CATCH_MODULE - {"ModuleNotFoundError"}  # a missing name is a plain ImportError


def _catches(types, catchers: set) -> bool:
    if types is None:
        return True
    names = types.elts if isinstance(types, ast.Tuple) else [types]
    return any(ast.unparse(n).rpartition(".")[2] in catchers for n in names)


def _try_guards(node, catchers: set) -> bool:
    import test_differential as harness

    for h in node.handlers:
        if _catches(h.type, catchers):
            return not any(isinstance(n, ast.Raise) or (isinstance(n, ast.Call) and ast.unparse(n.func) in harness._EXITS)
                           for child in h.body for n in ast.walk(child))
    return False


def _with_guards(node, catchers: set) -> bool:
    return any(isinstance(i.context_expr, ast.Call) and ast.unparse(i.context_expr.func).rpartition(".")[2] == "suppress"
               and any(_catches(a, catchers) for a in i.context_expr.args) for i in node.items)


def cog_import_statements(text: str) -> list[tuple[int, str, tuple[bool, bool]]]:
    """(line, statement, (guarded against ModuleNotFoundError, against a plain ImportError)) for every
    ``import cog…`` / ``from cog… import x`` (one per name), judged with Python's ast, not pipelint's:
    a missing module raises ModuleNotFoundError, a missing name a plain ImportError, which ``except
    ModuleNotFoundError`` lets by."""
    import test_differential as harness

    tree = ast.parse(text)
    out: list[tuple[int, str, tuple[bool, bool]]] = []

    def walk(node, guards: tuple[bool, bool]) -> None:
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            inner = (guards[0] or _try_guards(node, _CATCH_MODULE), guards[1] or _try_guards(node, _CATCH_NAME))
            for child in node.body:
                walk(child, inner)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                walk(child, guards)
            return
        if isinstance(node, ast.If):
            test = ast.unparse(node.test)
            never = test in ("TYPE_CHECKING", "typing.TYPE_CHECKING", "__name__ == '__main__'", '__name__ == "__main__"')
            version = harness._version_value(node.test)
            for child in node.body:
                walk(child, (True, True) if never or version is False else guards)
            for child in node.orelse:
                walk(child, (True, True) if version is True else guards)
            return
        if isinstance(node, ast.With):
            inner = (guards[0] or _with_guards(node, _CATCH_MODULE), guards[1] or _with_guards(node, _CATCH_NAME))
            for child in node.body:
                walk(child, inner)
            return
        if isinstance(node, ast.Import):
            out.extend((node.lineno, f"import {a.name}", guards) for a in node.names if a.name.split(".")[0] == "cog")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "cog":
            out.extend((node.lineno, f"from {node.module} import {a.name}", guards) for a in node.names
                       if a.name != "*")
        for child in ast.iter_child_nodes(node):
            walk(child, guards)

    walk(tree, (False, False))
    return out


def pipeline_fixture_cog_imports() -> dict[str, dict]:
    """fixture id -> {"sites": [(file, line, stmt, guarded)], "flagged": {(file, line)}} for every
    fixture pipelint lints as a pipeline whose ``cog`` is the runtime's (no local cog module)."""
    from conftest import FIXTURES

    from pipelint.core.settings import Settings
    from pipelint.engine.config import settings_for_model
    from pipelint.engine.runner import lint

    out = {}
    for expected in sorted(FIXTURES.glob("**/expected.txt")):
        folder = expected.parent
        if folder.relative_to(FIXTURES).parts[0] == "cog" or (folder / "cog.py").exists() or (folder / "cog").is_dir():
            continue
        try:
            result = lint(folder.resolve(), Settings(target=settings_for_model(folder).target))
        except Exception:
            continue
        if result.target is None or result.target.target != "pipeline":
            continue
        root = result.root
        sites = []
        for module in result.project.modules:
            if module.tree is None or module.source.text is None:
                continue
            try:
                sites += [(module.rel, line, stmt, g) for line, stmt, g in cog_import_statements(module.source.text)]
            except (SyntaxError, ValueError, RecursionError):
                continue
        if sites:
            flagged = {(d.path.relative_to(root).as_posix(), d.start.line) for d in result.diagnostics
                       if d.code in ("PL201", "PL507", "PL409") and d.path.is_relative_to(root)}
            out[folder.relative_to(FIXTURES).as_posix()] = {"sites": sites, "flagged": flagged}
    return out


def test_every_pipeline_fixtures_cog_imports_match_coglet(runtime_env, coglet_root, tmp_path):
    """For every pipeline fixture: an unguarded ``cog`` import statement that fails against the real
    coglet is flagged on its line (PL201, or PL507 for ``use``, PL409 for ``File``), and a flagged
    line holds a statement that fails. Only the statements are run (``from cog import X``), never
    the fixture's code."""
    fixtures = pipeline_fixture_cog_imports()
    stmts = sorted({s for f in fixtures.values() for _, _, s, _ in f["sites"]})
    answer = runtime.run_python(runtime_env, DRIVER, [str(coglet_root), json.dumps({"stmts": stmts, "modules": []})],
                                cwd=tmp_path)
    assert "error" not in answer, answer.get("error")
    real = answer["stmts"]
    problems = []
    for fid, f in fixtures.items():
        if fid in FIXTURE_DIVERGENCES:
            continue
        failing_lines = {(file, line) for file, line, s, _ in f["sites"] if real[s] != "ok"}

        def guarded(s, guards):  # which guard counts depends on what Python raised
            return guards[0] if real[s].startswith("ModuleNotFoundError") else guards[1]

        for file, line, s, guards in f["sites"]:
            if real[s] == "ok":
                continue
            if not guarded(s, guards) and (file, line) not in f["flagged"]:
                problems.append(f"{fid} {file}:{line} `{s}` fails ({real[s]}), pipelint says nothing")
            if (file, line) in f["flagged"] and all(guarded(s2, g) for fl, ln, s2, g in f["sites"]
                                                    if (fl, ln) == (file, line) and real[s2] != "ok"):
                problems.append(f"{fid} {file}:{line} `{s}` is guarded, pipelint flags it")
        cog_lines = {(file, line) for file, line, _, _ in f["sites"]}
        for where in sorted(f["flagged"] & cog_lines - failing_lines):
            problems.append(f"{fid} {where[0]}:{where[1]}: pipelint flags a `cog` import that imports for real")
    print(f"\n{len(fixtures)} pipeline fixtures with `cog` imports, {len(stmts)} distinct statements, "
          f"{sum(1 for s in stmts if real[s] != 'ok')} of them fail against coglet 0.1.0a31")
    assert not problems, "\n".join(problems)
