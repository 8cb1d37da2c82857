"""The warm path: answer a repeated ``pipelint PATH …`` from a recorded run before importing
anything heavy (argparse, pathlib, dataclasses, rich, the rules).

``main()`` is the console entry point. It computes a cheap key (the arguments, the working
folder, the environment variables that shape the output, whether the streams are terminals and
the terminal's size, the interpreter) with ``os``, ``json`` and ``_blake2`` only, and looks for a
*replay record* of that key in the result cache folder. A record holds the bytes the run printed,
its exit code, and what they depend on:

* every folder under the given paths (its ``mtime``: a file created, deleted or renamed in it
  changes it) and the size and ``mtime_ns`` of every file in them (stat only: the warm path reads
  no file the lint would not; a rewrite with identical bytes is a miss, never a wrong hit);
* the configuration and ``.gitignore`` files that could govern them (in each folder above the
  paths and the working folder: present or absent, size and ``mtime_ns``);
* pipelint's own modules, rules and data files (size and ``mtime``, as ``cache.code_stamp``),
  and the versions of libcst, PyYAML, packaging, pathspec and pipelint (``library_versions``).

When every check holds, the recorded output is written and the process exits; on any miss,
unknown option or error the full CLI runs (``pipelint.app.cli.main``), which records a new
replay when the run can be replayed (a plain lint whose models were all linted without an
internal error). Only options without side effects are replayable; ``--fix``, ``--diff``,
``--watch``, ``--output-file``, ``--config``, stdin, ``--no-cache`` and subcommands always take the
full path.
"""

from __future__ import annotations

import os
import sys

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - interpreters built without the bundled module
    from hashlib import blake2b

from pipelint.app.versions import library_versions

RECORD_FORMAT = 1
CACHE_DIR_NAME = ".pipelint_cache"
CONFIG_NAMES = (".pipelint.toml", "pipelint.toml", "pyproject.toml", ".gitignore")
SKIP_DIRS = (".git", "__pycache__", CACHE_DIR_NAME, ".hg", ".svn")
MAX_FILES = 20_000
# Options that only shape the output (part of the key as typed), with whether they take a value.
REPLAYABLE = {
    "--output-format": True, "--cache-dir": True, "--select": True, "--extend-select": True, "--ignore": True,
    "--exclude": True, "--extend-exclude": True, "--target": True, "--cog-version": True, "--docs-url": True,
    "--statistics": False, "--exit-zero": False, "--no-color": False, "-q": False, "--quiet": False,
    "--isolated": False,
}
ENV_NAMES = ("NO_COLOR", "FORCE_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "COLUMNS", "LINES", "TERM", "COLORTERM",
             "CI", "GITHUB_ACTIONS", "PYTHONIOENCODING", "PYTHONUTF8", "LANG", "LC_ALL", "LC_CTYPE",
             "TTY_COMPATIBLE", "TTY_INTERACTIVE", "HOME", "XDG_CACHE_HOME")


# -- the key and the record's location ---------------------------------------------------------


def replayable(argv: list[str]) -> tuple[list[str], str | None] | None:
    """(the paths, the --cache-dir value) when ``argv`` is a plain lint that may be replayed."""
    if argv and argv[0] == "check":
        argv = argv[1:]
    paths, cache, i = [], None, 0
    while i < len(argv):
        a = argv[i]
        name, eq, value = a.partition("=")
        if a.startswith("-") and a != "-":
            if name not in REPLAYABLE or (eq and not REPLAYABLE[name]):
                return None
            if REPLAYABLE[name] and not eq:
                i += 1
                if i >= len(argv):
                    return None
                value = argv[i]
            if name == "--cache-dir":
                cache = value
        elif a == "-" or a in ("rule", "lsp", "clean") and not paths:
            return None
        else:
            paths.append(a)
        i += 1
    return (paths or ["."]), cache


def _terminal(fd: int) -> list:
    try:
        if not os.isatty(fd):
            return [False]
        size = os.get_terminal_size(fd)
        return [True, size.columns, size.lines]
    except (OSError, ValueError):
        return [None]


def key(argv: list[str]) -> str:
    import json

    env = {k: v for k, v in os.environ.items() if k in ENV_NAMES or k.startswith("PIPELINT_")}
    parts = [RECORD_FORMAT, argv, os.getcwd(), env, _terminal(1), _terminal(2), sys.executable, __file__]
    return blake2b(json.dumps(parts).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def record_dir(cache: str | None) -> str:
    """Where the replay records live: the run's --cache-dir, else PIPELINT_CACHE_DIR, else
    ``.pipelint_cache`` in the working folder (the cache's own default without a config file)."""
    base = cache or os.environ.get("PIPELINT_CACHE_DIR") or CACHE_DIR_NAME
    return os.path.join(os.path.abspath(os.path.expanduser(base)), "replay")


# -- what a record depends on ------------------------------------------------------------------


def _stat(path: str) -> list | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _package_roots() -> list[str]:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # pipelint/
    roots = [here]
    try:
        import pipelint.rules as rules  # found where the installation put it (an editable one maps it)

        roots += [os.path.abspath(p) for p in rules.__path__]
    except ImportError:
        pass
    return roots


def depends(paths: list[str], skip: set[str]) -> dict | None:
    """Everything the run of ``paths`` depends on, as the checks ``holds`` repeats; None when
    it is too big to record."""
    dirs: dict[str, int] = {}
    files: dict[str, str | None] = {}
    configs: dict[str, str | None] = {}
    package: dict[str, list | None] = {}
    for root in _package_roots():
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d != "__pycache__"]
            package[dirpath] = _stat(dirpath)
            for name in filenames:
                if not name.endswith((".pyc", ".pyo")):
                    package[os.path.join(dirpath, name)] = _stat(os.path.join(dirpath, name))
    above = {os.getcwd()}
    for raw in paths:
        top = os.path.abspath(raw)
        above.add(top if os.path.isdir(top) else os.path.dirname(top))
        if not os.path.isdir(top):
            files[top] = _stat(top)
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and os.path.join(dirpath, d) not in skip]
            try:
                dirs[dirpath] = os.stat(dirpath).st_mtime_ns
            except OSError:
                return None
            for name in filenames:
                path = os.path.join(dirpath, name)
                if len(files) >= MAX_FILES:
                    return None
                files[path] = _stat(path)  # size and mtime_ns: never reads a file the lint would not
    for start in above:
        folder = start
        while True:
            for name in CONFIG_NAMES:
                path = os.path.join(folder, name)
                if path not in files:
                    configs[path] = _stat(path) if os.path.isfile(path) else None
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    return {"dirs": dirs, "files": files, "configs": configs, "package": package, "libraries": library_versions()}


def holds(dep: dict) -> bool:
    """Every check of a record is still true."""
    if library_versions() != dep["libraries"]:
        return False
    for path, stamp in dep["package"].items():
        if _stat(path) != stamp:
            return False
    for path, mtime in dep["dirs"].items():
        try:
            if os.stat(path).st_mtime_ns != mtime:
                return False
        except OSError:
            return False
    for table in (dep["files"], dep["configs"]):
        for path, stamp in table.items():
            if (_stat(path) if os.path.isfile(path) else None) != stamp:
                return False
    return True


# -- replay and record -------------------------------------------------------------------------


class Tee:
    """A text stream that also keeps what was written to it (the output to replay)."""

    def __init__(self, stream):
        self._stream = stream
        self.parts: list[str] = []

    def write(self, text):
        self.parts.append(text)
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def replay(argv: list[str]) -> int | None:
    """The exit code of a replayed run, or None (run the full CLI)."""
    found = replayable(argv)
    if found is None:
        return None
    paths, cache = found
    import json

    try:
        with open(os.path.join(record_dir(cache), key(argv) + ".json"), encoding="utf-8") as f:
            rec = json.load(f)
        if rec.get("format") != RECORD_FORMAT or not holds(rec["depends"]):
            return None
        out, err = rec["stdout"], rec["stderr"]
        rc = int(rec["rc"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    try:
        if out:
            sys.stdout.write(out)
            sys.stdout.flush()
        if err:
            sys.stderr.write(err)
            sys.stderr.flush()
    except BrokenPipeError:
        return 2
    return rc


def record(argv: list[str], out: Tee, err: Tee, rc: int, state: dict) -> None:
    """Keep a replay of this run, when the CLI says it may be replayed (``state``)."""
    found = replayable(argv)
    if found is None or not state.get("replayable"):
        return
    paths, cache = found
    where = record_dir(cache)
    import json

    if os.path.dirname(where) != os.path.abspath(state.get("cache_dir") or ""):
        return  # the result cache lives elsewhere (next to a config file): no stray folder here
    try:
        dep = depends(paths, {where, os.path.dirname(where)})
        if dep is None:
            return
        os.makedirs(where, exist_ok=True)
        target = os.path.join(where, key(argv) + ".json")
        tmp = f"{target}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as f:
            json.dump({"format": RECORD_FORMAT, "rc": rc, "stdout": "".join(out.parts), "stderr": "".join(err.parts),
                       "depends": dep}, f, separators=(",", ":"))
        os.replace(tmp, target)
    except (OSError, ValueError, TypeError):
        pass


def main(argv: list[str] | None = None) -> int:
    """The console entry point: a replay when one holds, else the full CLI (recording a replay)."""
    as_program = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv in (["--version"], ["-V"]):  # as argparse would print it, without importing it (or json)
        from pipelint.core.meta import version

        print(f"pipelint {version()}")
        return 0
    if as_program:
        code = replay(argv)
        if code is not None:
            return code
    if not as_program or replayable(argv) is None:
        from pipelint.app.cli import main as full

        return full(None if as_program else argv)
    from pipelint.app import cli

    out, err = Tee(sys.stdout), Tee(sys.stderr)
    sys.stdout, sys.stderr = out, err
    try:
        code = cli.main()
    finally:
        sys.stdout, sys.stderr = out._stream, err._stream
    record(argv, out, err, code, cli.REPLAY_STATE)
    return code
