"""The result cache: a model nothing has changed in gets its diagnostics back without parsing.

One JSON entry per model folder and configuration. An entry is valid while all of these are
unchanged: the bytes of every file the lint read, which of the files it looked for exist, the
list of ``.py`` files in the model folder (a new local module changes what an import resolves
to), the effective settings, the runtime data pipelint ships (``pipelint/data/``) plus a user's
``runtime_requirements`` file, pipelint itself (the size and time of each of its modules: in a
checkout the code changes under one version) and the versions of the libraries whose behaviour
shapes a result (libcst, PyYAML, packaging, pathspec, and pipelint's own: ``library_versions``,
read from ``*.dist-info`` folder names, no metadata lookup). File contents
are compared by hash, so a ``touch`` or a ``git checkout`` that rewrites identical bytes is still
a hit.

Where it lives (``cache_dir``): never inside a model folder, which ``cog push`` uploads whole.

This module must stay light: a run whose models are all cached never imports libcst, PyYAML or
packaging, and that is where most of the warm-run budget goes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pipelint.app.versions import KEY_DISTRIBUTIONS, library_versions  # noqa: F401 (os and sys only)
from pipelint.core.diagnostics import Applicability, Diagnostic, Edit, Fix, Position, Severity
from pipelint.core.records import Record

DIR_NAME = ".pipelint_cache"
ENV_VAR = "PIPELINT_CACHE_DIR"
# Bumped when the entry layout changes; old entries are then ignored rather than misread.
ENTRY_FORMAT = 3
_ABSENT = None  # the recorded "hash" of a file the lint looked for and did not find
_PRESENT = "present"  # a file the lint only checked for (never read): only existence matters
CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is pipelint's result cache.\n"


try:
    # hashlib would also load OpenSSL (~3 ms of a ~50 ms cached run) for a hash it does not provide.
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - interpreters built without the bundled module
    from hashlib import blake2b


def _digest(data: bytes) -> str:
    return blake2b(data, digest_size=16).hexdigest()


def runtime_data_files(settings) -> list[Path]:
    """Data the rules judge a model against: files shipped in ``pipelint/data/`` and the
    user's ``runtime_requirements`` file, if the settings name one."""
    data_dir = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
    files = []
    for dirpath, dirnames, filenames in os.walk(data_dir):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        files += [Path(dirpath, f) for f in sorted(filenames)]
    extra = getattr(settings, "runtime_requirements", None)
    if extra:
        files.append(Path(extra))
    return files


def code_stamp() -> str:
    """Names, sizes and modification times of pipelint's own modules and rules.

    The version alone is not enough where the code changes without it (a development checkout,
    an editable install): a rule edited there must not be answered from an older result.
    Costs one ``stat`` per module, far less than hashing the sources.
    """
    import pipelint.rules

    parts = []
    for top in (Path(__file__).resolve().parent.parent, *map(Path, pipelint.rules.__path__)):
        for dirpath, dirnames, filenames in os.walk(top, onerror=lambda e: parts.append(f"{e.filename}: unreadable")):
            dirnames[:] = [d for d in dirnames if d not in ("__pycache__", "data")]
            for name in filenames:
                if name.endswith(".py"):
                    try:
                        st = os.stat(os.path.join(dirpath, name))
                    except OSError:
                        parts.append(f"{dirpath}/{name}: unreadable")
                        continue
                    parts.append(f"{dirpath}/{name}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(sorted(parts))


def settings_fingerprint(settings) -> str:
    """A digest of everything the lint's result depends on besides the model's own files."""
    h = blake2b(digest_size=16)
    h.update(f"pipelint entry {ENTRY_FORMAT}\n".encode())
    h.update(code_stamp().encode())
    h.update(json.dumps(library_versions(), sort_keys=True).encode())
    h.update(json.dumps(settings.as_dict(), sort_keys=True, default=str).encode())
    for path in runtime_data_files(settings):
        h.update(f"\n{path}\n".encode("utf-8", "surrogateescape"))
        try:
            h.update(path.read_bytes())
        except OSError as exc:
            h.update(f"unreadable: {exc.errno}".encode())
    return h.hexdigest()


def python_files(root: Path) -> list[str]:
    """The model's .py files, relative and sorted (the same walk the rules use)."""
    from pipelint.core.paths import iter_files

    return [p.relative_to(root).as_posix() for p in iter_files(root) if p.suffix == ".py"]


class Snapshot(Record):
    """What the model folder looked like just before linting it: what a stored entry compares."""

    root: Path
    key: str
    python_files: list[str]

    def __init__(self, root: Path, key: str, python_files: list[str]) -> None:
        self.root = root
        self.key = key
        self.python_files = python_files


class Hit(Record):
    diagnostics: list[Diagnostic]
    sources: dict[Path, str | None]  # texts of files with diagnostics
    suppressed: list  # engine.suppression.Suppressed
    target: dict | None  # analysis.target.TargetDecision.as_json()

    def __init__(
        self,
        diagnostics: list[Diagnostic],
        sources: dict[Path, str | None] | None = None,
        suppressed: list | None = None,
        target: dict | None = None,
    ) -> None:
        self.diagnostics = diagnostics
        self.sources = {} if sources is None else sources
        self.suppressed = [] if suppressed is None else suppressed
        self.target = target


class ResultCache:
    """Entries under ``directory``; every method swallows I/O errors (a cache never fails a run)."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._fingerprints: dict[str, str] = {}
        self._tagged = False

    def _fingerprint(self, settings) -> str:
        memo = json.dumps(settings.as_dict(), sort_keys=True, default=str)
        if memo not in self._fingerprints:
            self._fingerprints[memo] = settings_fingerprint(settings)
        return self._fingerprints[memo]

    def _entry_path(self, key: str) -> Path:
        return self.directory / f"v{ENTRY_FORMAT}" / f"{key}.json"

    def snapshot(self, root: Path, settings) -> Snapshot:
        root = root.resolve()
        # surrogateescape: a folder name that is not UTF-8 arrives as lone surrogates
        key = blake2b(f"{root}\0{self._fingerprint(settings)}".encode("utf-8", "surrogateescape"),
                      digest_size=16).hexdigest()
        try:
            py = python_files(root)
        except OSError:
            py = []
        return Snapshot(root, key, py)

    def load(self, snap: Snapshot) -> Hit | None:
        """The stored result when the model is unchanged since it was stored, else None."""
        try:
            entry = json.loads(self._entry_path(snap.key).read_text(encoding="utf-8"))
            if entry.get("root") != str(snap.root) or entry.get("python_files") != snap.python_files:
                return None
            raw_by_rel: dict[str, bytes] = {}
            for rel, recorded in entry["files"].items():
                path = snap.root / rel
                if recorded is _ABSENT or recorded == _PRESENT:
                    if path.is_file() != (recorded == _PRESENT):
                        return None
                    continue
                data = path.read_bytes()
                if _digest(data) != recorded:
                    return None
                raw_by_rel[rel] = data
            diagnostics = [_diagnostic_from_json(d, snap.root) for d in entry["diagnostics"]]
            suppressed = [_suppressed_from_json(x, snap.root) for x in entry["suppressed"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return Hit(diagnostics, _sources_for(diagnostics, snap.root, raw_by_rel), suppressed, entry.get("target"))

    def store(self, snap: Snapshot, result) -> None:
        """Record ``result`` (a runner.LintResult of ``snap.root``) unless it cannot be trusted."""
        if result.internal_errors or result.project is None:
            return  # a crash is not a result: lint it again next time
        project = result.project
        files: dict[str, str | None] = {}
        for path, source in project._files.items():
            # A file outside the folder (main.py symlinked from a shared folder) is keyed by its
            # absolute path, which ``snap.root / key`` gives back.
            rel = _rel(path, snap.root) or str(path)
            if source is None:
                files[rel] = _ABSENT
            elif source.raw is None:
                return  # unreadable or too large: the reason may change without the bytes changing
            else:
                files[rel] = _digest(source.raw)
        for path, existed in project.probed.items():
            rel = _rel(path, snap.root) or str(path)
            if rel not in files:
                files[rel] = _PRESENT if existed else _ABSENT
        entry = {
            "target": result.target.as_json() if getattr(result, "target", None) is not None else None,
            "root": str(snap.root),
            "python_files": snap.python_files,
            "files": files,
            "diagnostics": [_diagnostic_to_json(d, snap.root) for d in result.diagnostics],
            "suppressed": [[_diagnostic_to_json(x.diagnostic, snap.root), x.kind, x.justification]
                           for x in getattr(result, "suppressed", ())],
        }
        self._write(self._entry_path(snap.key), json.dumps(entry, separators=(",", ":")))

    def _write(self, target: Path, text: str) -> None:
        try:
            if not self._tagged:
                self.directory.mkdir(parents=True, exist_ok=True)
                tag = self.directory / "CACHEDIR.TAG"
                if not tag.is_file():
                    # Like other tools' caches: invisible to git and to backup tools, and the
                    # mark ``pipelint clean`` looks for before deleting anything.
                    (self.directory / ".gitignore").write_text("# Created by pipelint\n*\n", encoding="utf-8")
                    tag.write_text(CACHEDIR_TAG, encoding="utf-8")
                self._tagged = True
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, target)  # readers see the old entry or the new one, never half of one
        except OSError:
            pass


def _rel(path: Path, root: Path) -> str | None:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


def _sources_for(diagnostics, root: Path, raw_by_rel: dict[str, bytes]) -> dict[Path, str | None]:
    from pipelint.core.source import decode

    wanted = {d.path for d in diagnostics}
    out: dict[Path, str | None] = {}
    for rel, raw in raw_by_rel.items():
        path = root / rel
        if path in wanted:
            out[path] = decode(raw)[0]
    return out


def _pos(p: Position) -> list[int]:
    return [p.line, p.column]


def _path_to_json(path: Path, root: Path) -> str:
    rel = _rel(path, root)
    return rel if rel is not None else str(path)


def _diagnostic_to_json(d: Diagnostic, root: Path) -> dict:
    fix = None
    if d.fix is not None:
        fix = {
            "message": d.fix.message,
            "applicability": d.fix.applicability.value,
            "edits": [[_path_to_json(e.path, root), _pos(e.start), _pos(e.end), e.content] for e in d.fix.edits],
        }
    return {
        "code": d.code, "severity": d.severity.value, "message": d.message, "path": _path_to_json(d.path, root),
        "start": _pos(d.start), "end": _pos(d.end), "help": d.help, "fix": fix, "name": d.name,
        "docs": d.docs_base, "target": d.target,
    }


def _diagnostic_from_json(data: dict, root: Path) -> Diagnostic:
    fix = None
    if data["fix"] is not None:
        f = data["fix"]
        edits = tuple(Edit(root / p, Position(*a), Position(*b), content) for p, a, b, content in f["edits"])
        fix = Fix(f["message"], edits, Applicability(f["applicability"]))
    return Diagnostic(
        code=data["code"], severity=Severity(data["severity"]), message=data["message"], path=root / data["path"],
        start=Position(*data["start"]), end=Position(*data["end"]), help=data["help"], fix=fix, name=data["name"],
        docs_base=data["docs"], target=data.get("target", ""),
    )


def _suppressed_from_json(data: list, root: Path):
    from pipelint.engine.suppression import Suppressed

    diagnostic, kind, justification = data
    return Suppressed(_diagnostic_from_json(diagnostic, root), kind, justification)


def cache_dir(args_dir: str | None, settings, cwd: Path | None = None) -> Path:
    """Where the cache lives, as ruff decides it: ``--cache-dir``, else ``$PIPELINT_CACHE_DIR``,
    else ``.pipelint_cache`` at the project root (the folder of the configuration file), else in
    the working directory. Never inside a model folder, which ``cog push`` uploads whole: when the
    chosen folder is one (or is inside one), the cache goes next to the outermost model folder."""
    if args_dir:
        return Path(args_dir)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    config = getattr(settings, "config_file", None)
    base = Path(config).resolve().parent if config else (cwd or Path.cwd()).resolve()
    return outside_model_folders(base) / DIR_NAME


def outside_model_folders(folder: Path) -> Path:
    """``folder``, or the parent of the outermost model folder (a folder with cog.yaml) holding it."""
    from pipelint.core.paths import has_cog_yaml

    outermost = None
    for candidate in (folder, *folder.parents):
        try:
            if has_cog_yaml(candidate):
                outermost = candidate
        except OSError:
            continue
    return folder if outermost is None else outermost.parent


def clean(paths: list[str], explicit: str | None = None, default: Path | None = None) -> list[Path]:
    """Remove cache folders: the explicit one, or ``default`` (the one a run here uses) and every
    ``.pipelint_cache`` under ``paths``."""
    import shutil

    from pipelint.core.paths import SKIP_DIRS

    targets: list[Path] = []
    if explicit or os.environ.get(ENV_VAR):
        targets.append(Path(explicit or os.environ[ENV_VAR]))
    else:
        if default is not None:
            targets.append(default)
        for raw in paths or ["."]:
            top = Path(raw)
            if top.name == DIR_NAME:
                targets.append(top)
                continue
            for dirpath, dirnames, _ in os.walk(top):
                if DIR_NAME in dirnames:
                    targets.append(Path(dirpath) / DIR_NAME)
                dirnames[:] = [n for n in dirnames if n not in SKIP_DIRS]
    removed = []
    for t in dict.fromkeys(p.resolve() for p in targets):
        if is_cache_dir(t):
            shutil.rmtree(t, ignore_errors=True)
            removed.append(t)
    return removed


def is_cache_dir(path: Path) -> bool:
    """Only a folder pipelint made and tagged is ever deleted (``--cache-dir ~`` must not wipe ``~``)."""
    try:
        return path.is_dir() and (path / "CACHEDIR.TAG").read_text(encoding="utf-8") == CACHEDIR_TAG
    except (OSError, UnicodeDecodeError):
        return False
