"""Differential test: pipelint's import-guard verdicts against Python 3.13 running the module.

Opt-in (``python -m pytest -n 0 -m differential tests/differential/test_coglet_guards.py``). Notes and
results: tests/differential/COGLET.md.

Each case is a small main.py generated here (never user or fixture code): an import of a module that
cannot exist (``pipelint_absent_…``), or of a name coglet's ``cog`` lacks, under one guard or branch:
``try/except`` with handlers that swallow, re-raise or raise something else, ``contextlib.suppress``,
``sys.version_info`` tests (true/false/unknown on 3.13), ``TYPE_CHECKING``, ``__main__`` guards, nested
and ``else``/``elif`` branches. Beside them, the rule cases (VALID and INVALID) of PL201, PL206 and
PL207 themselves. Every case is

* linted by pipelint (pipeline target): it "says the model fails" when PL201/PL206/PL207 report;
* for the own cases, also read by ``pipelint.analysis.load_imports.module_imports`` (what the cog-target
  rules use): it says the model fails when an import of the absent module is not ``guarded``;
* imported for real (``importlib.import_module("main")``, cwd = the case's folder) in a subprocess of
  the Python 3.13 runtime environment with coglet 0.1.0a31's sources first on the path.

The model "really fails" when the import raises an exception whose chain (the exception, its
``__cause__``/``__context__``) holds an ImportError — ``raise RuntimeError(...) from e`` and
``sys.exit(1)`` in the handler count. Asserted: pipelint says it fails exactly when it really fails.
A known disagreement is a strict xfail (DIVERGENCES) with its reason.
"""

from __future__ import annotations

import ast
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import runtime  # noqa: E402  (tests/differential/runtime.py: cached venvs, coglet's sources)

pytestmark = pytest.mark.differential
# the fixtures every coglet differential shares (tests/differential/runtime.py)
git_dir, coglet_root, runtime_env = runtime.git_dir, runtime.coglet_root, runtime.runtime_env

M = "pipelint_absent_module"
M2 = "pipelint_absent_other"
ABSENT = (M, M2)
RUN = "\n\ndef run(prompt: str) -> str:\n    return prompt\n"
IMPORT_RULES = ("PL201", "PL206", "PL207")

# id -> main.py (RUN is appended). {M}/{M2}: modules that cannot exist.
OWN_CASES: dict[str, str] = {
    # plain imports
    "plain-import": "import {M}\n",
    "plain-from-import": "from {M} import thing\n",
    "plain-dotted-import": "import {M}.sub\n",
    "import-as": "import {M} as alias\n",
    # try / except
    "except-ImportError-pass": "try:\n    import {M}\nexcept ImportError:\n    {M} = None\n",
    "except-ModuleNotFoundError": "try:\n    import {M}\nexcept ModuleNotFoundError:\n    {M} = None\n",
    "except-Exception": "try:\n    import {M}\nexcept Exception:\n    pass\n",
    "except-BaseException": "try:\n    import {M}\nexcept BaseException:\n    pass\n",
    "bare-except": "try:\n    import {M}\nexcept:\n    pass\n",
    "except-tuple": "try:\n    import {M}\nexcept (ValueError, ImportError):\n    pass\n",
    "except-tuple-parenthesised-as": "try:\n    from {M} import x\nexcept (ImportError) as exc:\n    x = exc\n",
    "except-builtins-ImportError": "import builtins\ntry:\n    import {M}\nexcept builtins.ImportError:\n    pass\n",
    "except-ValueError": "try:\n    import {M}\nexcept ValueError:\n    pass\n",
    "except-OSError": "try:\n    import {M}\nexcept OSError:\n    pass\n",
    "except-ImportWarning": "try:\n    import {M}\nexcept ImportWarning:\n    pass\n",
    "second-handler-catches": "try:\n    import {M}\nexcept ValueError:\n    raise\nexcept ImportError:\n    pass\n",
    "first-catching-handler-raises": "try:\n    import {M}\nexcept Exception:\n    raise\nexcept ImportError:\n    pass\n",
    "except-reraise": "try:\n    import {M}\nexcept ImportError:\n    raise\n",
    "except-raise-RuntimeError": "try:\n    import {M}\nexcept ImportError:\n    raise RuntimeError('install it')\n",
    "except-raise-from": "try:\n    import {M}\nexcept ImportError as e:\n    raise RuntimeError('install it') from e\n",
    "except-raise-ImportError-message": "try:\n    import {M}\nexcept ImportError:\n    raise ImportError('pip install it')\n",
    "except-raise-SystemExit": "try:\n    import {M}\nexcept ImportError:\n    raise SystemExit(1)\n",
    "except-sys-exit": "import sys\ntry:\n    import {M}\nexcept ImportError:\n    sys.exit('install it')\n",
    "except-exit-builtin": "try:\n    import {M}\nexcept ImportError:\n    exit(1)\n",
    "except-os-_exit": "import os\ntry:\n    import {M}\nexcept ImportError:\n    print('missing')\n    os._exit(3)\n",
    "except-raise-in-nested-def": "try:\n    import {M}\nexcept ImportError:\n    def fail():\n        raise RuntimeError('missing')\n",
    "except-warn-then-pass": "import warnings\ntry:\n    import {M}\nexcept ImportError:\n    warnings.warn('optional')\n",
    "except-imports-another-absent": "try:\n    import {M}\nexcept ImportError:\n    import {M2}\n",
    "except-imports-stdlib": "try:\n    import {M}\nexcept ImportError:\n    import json as {M}\n",
    "try-else-absent": "try:\n    import {M}\nexcept ImportError:\n    HAVE = False\nelse:\n    import {M2}\n",
    "try-else-after-present": "try:\n    import json\nexcept ImportError:\n    HAVE = False\nelse:\n    import {M}\n",
    "try-finally": "try:\n    import json\nfinally:\n    import {M}\n",
    "try-finally-only": "try:\n    import {M}\nfinally:\n    pass\n",
    "nested-try-inner-guards": "try:\n    try:\n        import {M}\n    except ImportError:\n        pass\nexcept ValueError:\n    pass\n",
    "nested-try-outer-guards": "try:\n    try:\n        import {M}\n    except ValueError:\n        pass\nexcept ImportError:\n    pass\n",
    "nested-try-inner-reraises-outer-guards": "try:\n    try:\n        import {M}\n    except ImportError:\n        raise\n"
                                              "except ImportError:\n    pass\n",
    "except-star": "try:\n    import {M}\nexcept* ImportError:\n    pass\n",
    "except-star-ValueError": "try:\n    import {M}\nexcept* ValueError:\n    pass\n",
    "try-in-class-body": "class Holder:\n    try:\n        import {M}\n    except ImportError:\n        pass\n",
    "import-in-class-body": "class Holder:\n    import {M}\n",
    # contextlib.suppress
    "suppress-ImportError": "import contextlib\nwith contextlib.suppress(ImportError):\n    import {M}\n",
    "suppress-from-import": "from contextlib import suppress\nwith suppress(ModuleNotFoundError):\n    import {M}\n",
    "suppress-Exception": "from contextlib import suppress\nwith suppress(Exception):\n    import {M}\n",
    "suppress-several": "from contextlib import suppress\nwith suppress(KeyError, ImportError):\n    import {M}\n",
    "suppress-ValueError": "from contextlib import suppress\nwith suppress(ValueError):\n    import {M}\n",
    "suppress-second-item": "import contextlib, os\nwith open(os.devnull), contextlib.suppress(ImportError):\n    import {M}\n",
    "with-open": "import os\nwith open(os.devnull):\n    import {M}\n",
    "suppress-then-after": "from contextlib import suppress\nwith suppress(ImportError):\n    import json\nimport {M}\n",
    # sys.version_info (the runtime's Python is 3.13)
    "version-lt-3.12": "import sys\nif sys.version_info < (3, 12):\n    import {M}\n",
    "version-ge-3.13": "import sys\nif sys.version_info >= (3, 13):\n    import {M}\n",
    "version-ge-3.13-else": "import sys\nif sys.version_info >= (3, 13):\n    pass\nelse:\n    import {M}\n",
    "version-lt-3.13-else": "import sys\nif sys.version_info < (3, 13):\n    pass\nelse:\n    import {M}\n",
    "version-gt-3.13": "import sys\nif sys.version_info > (3, 13):\n    import {M}\n",
    "version-ge-3.14": "import sys\nif sys.version_info >= (3, 14):\n    import {M}\n",
    "version-eq-3.13-tuple": "import sys\nif sys.version_info == (3, 13):\n    import {M}\n",
    "version-slice-eq": "import sys\nif sys.version_info[:2] == (3, 13):\n    import {M}\n",
    "version-minor-lt": "import sys\nif sys.version_info.minor < 13:\n    import {M}\n",
    "version-index-major": "import sys\nif sys.version_info[0] == 2:\n    import {M}\n",
    "version-from-import": "from sys import version_info\nif version_info < (3, 12):\n    import {M}\n",
    "version-or": "import sys\nif sys.version_info < (3, 12) or sys.version_info >= (3, 14):\n    import {M}\n",
    "version-and-true": "import sys\nif sys.version_info >= (3, 10) and sys.version_info < (3, 14):\n    import {M}\n",
    "version-not": "import sys\nif not sys.version_info >= (3, 13):\n    import {M}\n",
    "version-chained": "import sys\nif (3, 8) <= sys.version_info < (3, 13):\n    import {M}\n",
    "version-chained-true": "import sys\nif (3, 8) <= sys.version_info < (3, 14):\n    import {M}\n",
    "version-elif-chain": "import sys\nif sys.version_info < (3, 10):\n    import {M}\nelif sys.version_info < (3, 13):\n"
                          "    import {M2}\nelse:\n    X = 1\n",
    "version-elif-taken": "import sys\nif sys.version_info < (3, 10):\n    X = 0\nelif sys.version_info < (3, 14):\n"
                          "    import {M}\nelse:\n    X = 1\n",
    "version-elif-after-true": "import sys\nif sys.version_info >= (3, 12):\n    X = 0\nelif True:\n    import {M}\n",
    "version-nested-false-in-true": "import sys\nif sys.version_info >= (3, 9):\n    if sys.version_info < (3, 11):\n"
                                    "        import {M}\n",
    "version-try-inside-true-branch": "import sys\nif sys.version_info >= (3, 13):\n    try:\n        import {M}\n"
                                      "    except ImportError:\n        raise\n",
    "version-in-try": "import sys\ntry:\n    if sys.version_info >= (3, 13):\n        import {M}\nexcept ImportError:\n"
                      "    pass\n",
    "version-micro-dependent": "import sys\nif sys.version_info >= (3, 13, 1):\n    import {M}\n",
    # TYPE_CHECKING, __main__, constants
    "type-checking": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import {M}\n",
    "typing-type-checking": "import typing\nif typing.TYPE_CHECKING:\n    from {M} import Thing\n",
    "type-checking-else": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    pass\nelse:\n    import {M}\n",
    "type-checking-not": "from typing import TYPE_CHECKING\nif not TYPE_CHECKING:\n    import {M}\n",
    "type-checking-or-false-version": "import sys\nfrom typing import TYPE_CHECKING\n"
                                      "if TYPE_CHECKING or sys.version_info < (3, 12):\n    import {M}\n",
    "type-checking-nested-try": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    try:\n        import {M}\n"
                                "    except ImportError:\n        raise\n",
    "main-guard": "if __name__ == '__main__':\n    import {M}\n",
    "main-guard-else": "if __name__ == '__main__':\n    pass\nelse:\n    import {M}\n",
    "if-false": "if False:\n    import {M}\n",
    "if-zero": "if 0:\n    import {M}\n",
    "if-true-else": "if True:\n    pass\nelse:\n    import {M}\n",
    "while-false": "while False:\n    import {M}\n",
    "for-empty": "for _ in ():\n    import {M}\n",
    "for-one": "for _ in (1,):\n    import {M}\n",
    "while-false-else": "while False:\n    pass\nelse:\n    import {M}\n",
    "for-empty-else": "for _ in []:\n    pass\nelse:\n    import {M}\n",
    # coglet's cog: a missing *name* is an ImportError, not a ModuleNotFoundError
    "cog-name": "from cog import BaseRunner\n",
    "cog-name-except-ImportError": "try:\n    from cog import BaseRunner\nexcept ImportError:\n    BaseRunner = None\n",
    "cog-name-except-ModuleNotFoundError": "try:\n    from cog import BaseRunner\nexcept ModuleNotFoundError:\n"
                                           "    BaseRunner = None\n",
    "cog-name-suppress-ModuleNotFoundError": "from contextlib import suppress\nwith suppress(ModuleNotFoundError):\n"
                                             "    from cog import emit_metric\n",
    "cog-name-suppress-ImportError": "from contextlib import suppress\nwith suppress(ImportError):\n"
                                     "    from cog import emit_metric\n",
    "cog-module-except-ModuleNotFoundError": "try:\n    import cog.types\nexcept ModuleNotFoundError:\n    pass\n",
    "cog-module-from-except-ModuleNotFoundError": "try:\n    from cog.ext.pipelines import include\n"
                                                  "except ModuleNotFoundError:\n    include = None\n",
    "cog-name-type-checking": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cog import BaseRunner\n",
    "cog-name-version-false": "import sys\nif sys.version_info < (3, 12):\n    from cog import BaseRunner\n",
    "absent-name-except-ModuleNotFoundError": "try:\n    from {M} import thing\nexcept ModuleNotFoundError:\n"
                                              "    thing = None\n",
}

# case id -> why pipelint and Python disagree (strict xfail: once fixed the XPASS fails).
DIVERGENCES: dict[str, str] = {
    "own/version-micro-dependent": "`>= (3, 13, 1)` depends on the runtime's micro release (this venv is 3.13.0): "
                                   "pipelint does not decide it and counts the import as run (conservative)",
}

DRIVER = r'''
import importlib, json, os, sys, traceback, warnings
out, coglet_root = sys.argv[1], sys.argv[2]
here = os.getcwd()
sys.path[:] = [here, coglet_root] + [p for p in sys.path[1:] if p and os.path.abspath(p) != here]
warnings.simplefilter("ignore")
result = {"ok": False, "error": "the process ended while importing main", "import_error_in_chain": False}
def save():
    with open(out, "w") as fh:
        json.dump(result, fh)
save()
import atexit
try:
    importlib.import_module("main")
    result = {"ok": True, "error": None, "import_error_in_chain": False}
except BaseException as exc:
    chain, seen, e = [], set(), exc
    todo = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        chain.append(f"{type(e).__name__}: {e}")
        todo += [e.__cause__, e.__context__]
    result = {"ok": False, "error": chain[0][:500], "chain": chain,
              "import_error_in_chain": any(c.startswith(("ImportError", "ModuleNotFoundError")) for c in chain)}
save()
os._exit(0)
'''
# os._exit() in a case's handler ends the process before any answer but the first: that is a failure
# whose chain cannot be read; the driver's first answer says "ended while importing" (counted as failing).


def _case_text(text: str) -> str:
    return text.replace("{M}", M).replace("{M2}", M2) + RUN


def own_models() -> dict[str, dict[str, str]]:
    from pipelint.engine.rule import DEFAULT_COG_YAML, DEFAULT_REQUIREMENTS

    return {f"own/{cid}": {"cog.yaml": DEFAULT_COG_YAML, "requirements.txt": DEFAULT_REQUIREMENTS,
                           "main.py": _case_text(text)} for cid, text in OWN_CASES.items()}


def _runs_imports_only_when_called(files: dict) -> bool:
    """An import (or import_module/__import__ call) inside a function: it runs when the function
    is called, which importing the module does not show."""
    for name, text in files.items():
        if not name.endswith(".py") or not isinstance(text, str):
            continue
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                for node in ast.walk(fn):
                    if isinstance(node, (ast.Import, ast.ImportFrom)) or (
                            isinstance(node, ast.Call) and "import" in ast.unparse(node.func)):
                        return True
    return False


def rule_models() -> dict[str, dict[str, str]]:
    """The VALID/INVALID cases of the import rules (those whose imports all run at load)."""
    from pipelint.engine.registry import rule_by_code

    out = {}
    for code in IMPORT_RULES:
        rule = rule_by_code(code)
        for kind, cases in (("valid", rule.VALID), ("invalid", rule.INVALID)):
            for i, case in enumerate(cases):
                files = {k: v for k, v in case.model_files().items() if v is not None}
                if _runs_imports_only_when_called(files):
                    continue
                out[f"{code}/{kind}-{i}"] = files
    return out


def all_models() -> dict[str, dict[str, str]]:
    return {**own_models(), **rule_models()}


def _write(folder: Path, files: dict) -> Path:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return folder


def pipelint_verdict(folder: Path) -> dict:
    from pipelint.analysis.load_imports import module_imports
    from pipelint.core.settings import Settings
    from pipelint.engine.runner import lint
    from pipelint.model.project import Project

    result = lint(folder.resolve(), Settings(target="pipeline"))
    found = [f"{d.code} {d.path.name}:{d.start.line}: {d.message}" for d in result.diagnostics if d.code in IMPORT_RULES]
    project = Project(folder.resolve())
    module = project.module(folder.resolve() / "main.py")
    unguarded = [f"line {imp.statement and _line(module, imp.node)}: {imp.module}" for imp in module_imports(module)
                 if not imp.guarded and imp.module.split(".")[0] in ABSENT]
    return {"reports": found, "unguarded": unguarded}


def _line(module, node) -> int:
    import libcst.metadata as meta

    wrapper = meta.MetadataWrapper(module.tree, unsafe_skip_copy=True)
    positions = wrapper.resolve(meta.PositionProvider)
    return positions[node].start.line if node in positions else 0


@pytest.fixture(scope="module")
def verdicts(runtime_env, coglet_root, tmp_path_factory) -> dict:
    scratch = tmp_path_factory.mktemp("guards")
    models = all_models()
    folders = {cid: _write(scratch / cid.replace("/", "__"), files) for cid, files in models.items()}

    def judge(cid):
        real = runtime.run_python(runtime_env, DRIVER, [str(coglet_root)], cwd=folders[cid], timeout=60)
        return cid, {"real": real, **pipelint_verdict(folders[cid])}

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(judge, folders))


def _really_fails(real: dict) -> bool:
    return not real.get("ok")


# Only module_imports (the cog rules' reading): it is structural and knows no module's absence.
LOAD_IMPORTS_DIVERGENCES: dict[str, str] = {
    "own/try-else-absent": "the `else:` of a try whose body surely fails never runs; module_imports is structural "
                           "and does not know which imports are absent (PL201 does, and agrees)",
}


def _xfail(request, cid, table=DIVERGENCES):
    reason = table.get(cid) or DIVERGENCES.get(cid)
    if reason:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))


def _ids(config) -> list[str]:
    expr = config.getoption("markexpr") or ""
    if "differential" not in expr or "not differential" in expr:
        return ["(not opted in)"]
    return list(all_models())


def pytest_generate_tests(metafunc):
    if "case" in metafunc.fixturenames:
        ids = _ids(metafunc.config)
        if metafunc.function.__name__ == "test_load_imports_guarded_flag_matches_python":
            ids = [i for i in ids if i.startswith("own/") and not i.startswith("own/cog-")] or ids[:1]
        metafunc.parametrize("case", ids)


def test_a_failure_is_an_import_failure(verdicts, case):
    """The cases are sound: a failing import fails because of an import, not a mistake in the case."""
    real = verdicts[case]["real"]
    if real.get("ok") or real.get("error", "").startswith("the process ended"):
        return
    assert real["import_error_in_chain"], f"{case} fails for another reason: {real}"


def test_pipelint_reports_exactly_when_python_fails(verdicts, case, request):
    _xfail(request, case)
    v = verdicts[case]
    fails = _really_fails(v["real"])
    if fails:
        assert v["reports"], f"importing {case} fails ({v['real']['error']}), pipelint reports no import problem"
    else:
        assert not v["reports"], f"{case} imports fine for real, pipelint reports {v['reports']}"


def test_load_imports_guarded_flag_matches_python(verdicts, case, request):
    _xfail(request, case, LOAD_IMPORTS_DIVERGENCES)
    v = verdicts[case]
    fails = _really_fails(v["real"])
    if fails:
        assert v["unguarded"], f"importing {case} fails ({v['real']['error']}), module_imports calls every import guarded"
    else:
        assert not v["unguarded"], f"{case} imports fine for real, module_imports calls {v['unguarded']} unguarded"


def test_summary(verdicts):
    rows = [f"{cid}: real={'ok' if v['real'].get('ok') else v['real'].get('error')!r}; pipelint={len(v['reports'])} "
            f"report(s); unguarded={v['unguarded']}" for cid, v in sorted(verdicts.items())]
    print("\n".join(["", f"{len(rows)} guard cases", *rows]))
    assert rows
    json.dumps(rows)
