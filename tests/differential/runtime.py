"""Virtualenvs with the real runtime packages, built once and cached, and what they say about a model.

Three environments, all on Python >= 3.12 (replicate 1.1.0b2 requires it; 3.13 is the runtime's):

* "imports": exactly the pipelines runtime's pinned packages from
  pipelint/data/runtime-requirements.txt (installed with --no-deps: the list is the runtime's
  complete freeze), except the coglet wheel, a GitHub URL, which provides the `cog` module. What
  imports there is what imports on Replicate (with `cog` and `coglet` counted as present).
* "sdk": the same pins plus cog==0.23.1 from PyPI, whose ``cog._inspector.create_predictor``
  states the SDK's contract for an entry (its own dependencies, PyYAML and structlog, come along,
  which is why imports are not judged here).
* "legacy": the same pins with cog==0.15.9, the last cog with pipeline tooling, whose
  ``python -m cog.command.openapi_schema`` is what ``cog build`` ran to get a model's schema.

They live under $PIPELINT_DIFFERENTIAL_CACHE (default: <tmp>/pipelint-differential), one folder per
interpreter version and package list, so only the first run pays for the install.

Model code is imported here, in a subprocess of those environments, from a copy of the fixture:
that is our own test data. pipelint itself is never imported there.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RUNTIME_REQUIREMENTS = REPO / "pipelint" / "data" / "runtime-requirements.txt"
CACHE = Path(os.environ.get("PIPELINT_DIFFERENTIAL_CACHE") or Path(tempfile.gettempdir()) / "pipelint-differential")
COG_SDK = "cog==0.23.1"
PROVIDED_BY_COGLET = {"cog", "coglet"}
COG_LEGACY = "cog==0.15.9"
RUN_TIMEOUT = 120  # seconds for one model in one environment

# Runs inside the runtime environment, cwd = the model folder: find_spec for each name, then
# create_predictor for the entry. Results go to a file: model code may print anything.
DRIVER = r'''
import importlib.util, json, os, sys
out, names, module, attr = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
sys.path[:] = [os.getcwd()] + [p for p in sys.path if p and os.path.abspath(p) != os.path.dirname(os.path.abspath(__file__))]
result = {"spec": {}, "entry": "not asked"}
for name in names:
    try:
        result["spec"][name] = importlib.util.find_spec(name) is not None
    except (ImportError, ValueError) as exc:
        result["spec"][name] = False
with open(out, "w") as fh:
    json.dump(result, fh)
if module:
    result["entry"] = "the process died while importing the model"
    try:
        from cog._inspector import create_predictor
        create_predictor(module, attr)
        result["entry"] = "ok"
    except BaseException as exc:
        result["entry"] = f"{type(exc).__name__}: {exc}"[:2000]
    with open(out, "w") as fh:
        json.dump(result, fh)
os._exit(0)  # the model's atexit handlers and threads are not ours to wait for
'''


def find_python() -> tuple[str | None, str]:
    """An interpreter >= 3.12 (3.13, the runtime's, first) and a sentence saying which or why none."""
    candidates = [os.environ.get("PIPELINT_RUNTIME_PYTHON")]
    for version in ("3.13", "3.12"):
        candidates.append(shutil.which(f"python{version}"))
        candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}*/bin/python")), reverse=True)
    candidates.append(sys.executable)
    for candidate in candidates:
        if not candidate or not os.path.exists(candidate):
            continue
        try:
            out = subprocess.run([candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            continue
        if out and tuple(map(int, out.split("."))) >= (3, 12):
            return candidate, f"Python {out} at {candidate}"
    return None, ("no Python >= 3.12 found (tried $PIPELINT_RUNTIME_PYTHON, python3.13, python3.12, ~/.pyenv): "
                  "replicate 1.1.0b2, pinned by the runtime, requires it")


def find_python313() -> tuple[str | None, str]:
    """A Python 3.13 interpreter (cog 0.23's default) and a sentence saying which, or why none."""
    candidates = [os.environ.get("PIPELINT_COG_SDK_PYTHON"), shutil.which("python3.13")]
    candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.13*/bin/python")), reverse=True)
    uv = shutil.which("uv")
    if uv:
        try:
            found = subprocess.run([uv, "python", "find", "3.13"], capture_output=True, text=True, timeout=60)
            candidates.append(found.stdout.strip() if found.returncode == 0 else None)
        except (OSError, subprocess.SubprocessError):
            pass
    candidates.append("/usr/bin/python3.13")
    for c in candidates:
        if not c or not os.path.exists(c):
            continue
        try:
            out = subprocess.run([c, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            continue
        if out == "3.13":
            return c, f"Python 3.13 at {c}"
    return None, ("no Python 3.13 found (tried $PIPELINT_COG_SDK_PYTHON, python3.13, ~/.pyenv/versions/3.13*, "
                  "`uv python find 3.13`, /usr/bin/python3.13)")


def runtime_packages() -> list[str]:
    """The runtime's pins that pip can install from PyPI (not the coglet URL, not pip itself)."""
    out = []
    for line in RUNTIME_REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line or "@" in line or "://" in line or line.lower().startswith("pip=="):
            continue
        out.append(line)
    return out


def python_version(python: str) -> str:
    return subprocess.run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                          capture_output=True, text=True, check=True).stdout.strip()


def venv(name: str, python: str, packages: list[str], no_deps: bool = False) -> Path:
    """A cached virtualenv with ``packages`` installed (binary wheels only: no compiler needed)."""
    version = python_version(python)
    options = ["--only-binary=:all:", "--disable-pip-version-check", *(["--no-deps"] if no_deps else [])]
    key = hashlib.sha256("\n".join([version, *options, *packages]).encode()).hexdigest()[:16]
    final = CACHE / f"{name}-py{version}-{key}"
    if (final / "ok").exists():
        return final
    CACHE.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f"{name}-building-", dir=CACHE))
    try:
        subprocess.run([python, "-m", "venv", str(building)], check=True, capture_output=True, timeout=300)
        proc = subprocess.run([str(building / "bin" / "python"), "-m", "pip", "install", "-q", *options, *packages],
                              capture_output=True, text=True, timeout=1200)
        if proc.returncode != 0:
            raise RuntimeError(f"pip could not build the {name} environment:\n{proc.stderr[-3000:]}")
        (building / "ok").write_text("\n".join(packages) + "\n")
        # Only console scripts' shebangs name the folder; everything here runs `bin/python -m ...`,
        # which finds its environment next to itself, so the finished venv can be moved into place.
        try:
            building.rename(final)
        except OSError:  # another run finished first: use its environment
            if not (final / "ok").exists():
                raise
        return final
    finally:
        shutil.rmtree(building, ignore_errors=True)


def _env(home: Path) -> dict:
    # No tokens, no user site, no PYTHONPATH: the model sees a bare environment, as on Replicate.
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1"}


@dataclass
class RuntimeAnswer:
    spec: dict[str, bool]  # top-level module name -> importable from the model folder
    entry: str  # "ok", "not asked", or why create_predictor refused the entry


def find_specs(env_dir: Path, model: Path, names: list[str]) -> dict[str, bool]:
    """Whether each top-level module name imports in ``env_dir``'s Python, from ``model``."""
    spec = ask_runtime(env_dir, model, names, None, None).spec
    return {name: spec.get(name, False) or name in PROVIDED_BY_COGLET for name in names}


def create_predictor(env_dir: Path, model: Path, module: str, attr: str) -> str:
    """'ok', or why cog 0.23.1's create_predictor(module, attr) rejects the entry of ``model``."""
    return ask_runtime(env_dir, model, [], module, attr).entry


def ask_runtime(env_dir: Path, model: Path, names: list[str], module: str | None, attr: str | None) -> RuntimeAnswer:
    """find_spec for ``names`` and create_predictor(module, attr), run in ``model`` (a copy)."""
    driver = CACHE / "driver.py"
    if not driver.exists() or driver.read_text() != DRIVER:
        driver.write_text(DRIVER)
    with tempfile.TemporaryDirectory(prefix="pipelint-diff-") as tmp:
        out = Path(tmp) / "answer.json"
        try:
            subprocess.run([str(env_dir / "bin" / "python"), "-E", "-s", str(driver), str(out), json.dumps(names),
                            module or "", attr or ""], cwd=model, env=_env(Path(tmp)), capture_output=True,
                           timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        if not out.exists():
            return RuntimeAnswer({}, "the runtime process ended before answering")
        data = json.loads(out.read_text())
        if data["entry"] == "the process died while importing the model":
            data["entry"] = "the process died while importing the model (crash or timeout)"
        return RuntimeAnswer(data["spec"], data["entry"])


def ask_legacy_schema(env_dir: Path, model: Path) -> str:
    """'ok', or why ``python -m cog.command.openapi_schema`` (cog 0.15.9) failed in ``model``."""
    with tempfile.TemporaryDirectory(prefix="pipelint-diff-") as tmp:
        try:
            proc = subprocess.run([str(env_dir / "bin" / "python"), "-E", "-s", "-m", "cog.command.openapi_schema"],
                                  cwd=model, env=_env(Path(tmp)), capture_output=True, text=True, timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            return "timed out"
    if proc.returncode == 0:
        try:
            json.loads(proc.stdout)
            return "ok"
        except ValueError:
            return "exit 0 but no JSON schema on stdout"
    lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
    return f"exit {proc.returncode}: {lines[-1] if lines else ''}"[:2000]


# ---- coglet 0.1.0a31, the pipeline runtime's `cog`, from its sources ---------------------------
# The runtime installs coglet from a GitHub wheel pip cannot reach here (and it is not on PyPI).
# Its sources are in replicate/cog-runtime: a git directory (bare mirror or clone) is read with
# `git archive`, extracted into a temporary folder at run time and put first on sys.path of the
# "imports" environment (the runtime's other pins). Nothing of theirs is committed here.
COG_RUNTIME_GIT_DEFAULT = "/work/.mirror/replicate+cog-runtime/repo"
COGLET_TAG = "v0.1.0-alpha31"


def cog_runtime_git() -> tuple[str | None, str]:
    """The replicate/cog-runtime git directory ($PIPELINT_COG_RUNTIME_GIT, default the mirror), or why none."""
    git_dir = os.environ.get("PIPELINT_COG_RUNTIME_GIT") or COG_RUNTIME_GIT_DEFAULT
    if shutil.which("git") is None:
        return None, "git is not on PATH (needed to read coglet's sources from $PIPELINT_COG_RUNTIME_GIT)"
    proc = subprocess.run(["git", "--git-dir", git_dir, "rev-parse", "--verify", "-q", f"{COGLET_TAG}^{{commit}}"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return None, (f"no replicate/cog-runtime git directory with tag {COGLET_TAG} at {git_dir!r}: set "
                      "PIPELINT_COG_RUNTIME_GIT to a clone (or bare mirror) of https://github.com/replicate/cog-runtime")
    return git_dir, f"replicate/cog-runtime at {git_dir}"


def tag_commit(git_dir: str, tag: str = COGLET_TAG) -> str:
    return subprocess.run(["git", "--git-dir", git_dir, "rev-parse", f"{tag}^{{commit}}"], capture_output=True,
                          text=True, check=True).stdout.strip()


def extract_coglet(git_dir: str, dest: Path, tag: str = COGLET_TAG) -> Path:
    """``python/`` of ``tag`` extracted under ``dest``; returns the folder holding ``cog/`` and ``coglet/``."""
    import io
    import tarfile

    archive = subprocess.run(["git", "--git-dir", git_dir, "archive", "--format=tar", tag, "python"],
                             capture_output=True, check=True, timeout=120).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    root = dest / "python"
    if not (root / "cog" / "__init__.py").is_file() or not (root / "coglet" / "__init__.py").is_file():
        raise RuntimeError(f"{tag} has no python/cog and python/coglet")
    return root


def run_python(env_dir: Path, script: str, args: list[str], cwd: Path, timeout: int = RUN_TIMEOUT) -> dict:
    """Run ``script`` (its first argv is the answer file) in ``env_dir``'s Python; its JSON answer."""
    with tempfile.TemporaryDirectory(prefix="pipelint-diff-") as tmp:
        driver, out = Path(tmp) / "driver.py", Path(tmp) / "answer.json"
        driver.write_text(script, encoding="utf-8")
        try:
            proc = subprocess.run([str(env_dir / "bin" / "python"), "-E", "-s", str(driver), str(out), *args],
                                  cwd=cwd, env=_env(Path(tmp)), capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"error": "timed out"}
        if not out.exists():
            return {"error": f"no answer (exit {proc.returncode}): {proc.stderr[-2000:]}"}
        return json.loads(out.read_text(encoding="utf-8"))


# ---- fixtures the coglet differentials share (import them into the test module) ----------------
import pytest  # noqa: E402


@pytest.fixture(scope="module")
def git_dir():
    """replicate/cog-runtime's git dir (``PIPELINT_COG_RUNTIME_GIT``), or a skip that names it."""
    found, why = cog_runtime_git()
    if found is None:
        pytest.skip(why)
    return found


@pytest.fixture(scope="module")
def coglet_root(git_dir, tmp_path_factory) -> Path:
    """coglet 0.1.0a31's python/ tree, extracted at run time (none of its code is committed)."""
    return extract_coglet(git_dir, tmp_path_factory.mktemp("coglet-src"))


@pytest.fixture(scope="module")
def runtime_env():
    """The Python 3.13 venv of the pipeline runtime's pinned packages."""
    python, why = find_python313()
    if python is None:
        pytest.skip(why)
    try:
        return venv("imports", python, runtime_packages(), no_deps=True)
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"cannot build the runtime environment with {why}: {exc}")
