"""Which model folders a run lints: a PATH is a model folder, a file in one, or a tree of them."""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipelint.config import is_config_file

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
             ".mypy_cache", ".pytest_cache", ".ruff_cache", ".pipelint_cache", "site-packages"}
COG_YAML = "cog.yaml"


@dataclass
class Discovery:
    models: list[Path] = field(default_factory=list)  # resolved, unique, in argument order
    empty: list[Path] = field(default_factory=list)  # directories named that hold no model
    missing: list[str] = field(default_factory=list)  # paths that do not exist


class GitIgnore:
    """The subset of .gitignore that matters for finding folders: globs, anchors, dirs, negation."""

    def __init__(self):
        self.rules: list[tuple[Path, re.Pattern, bool, bool]] = []  # (base, regex, negate, dir_only)

    def add_file(self, directory: Path) -> None:
        f = directory / ".gitignore"
        try:
            lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
        for line in lines:
            line = line.rstrip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            line = line[1:] if negate else line
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            anchored = "/" in line
            line = line.lstrip("/")
            pat = fnmatch.translate(line).replace(".*", "[^/]*").replace("[^/]*[^/]*", ".*")
            if not anchored:
                pat = r"(?:.*/)?" + pat
            self.rules.append((directory, re.compile(pat), negate, dir_only))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        result = False
        for base, regex, negate, dir_only in self.rules:
            if dir_only and not is_dir:
                continue
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                continue
            if regex.match(rel):
                result = not negate
        return result


def _is_file(p: Path) -> bool:
    """Like ``Path.is_file``, but a folder the user cannot read (chmod 000) is no reason to crash."""
    try:
        return p.is_file()
    except (OSError, ValueError):
        return False


def has_cog_yaml(d: Path) -> bool:
    try:
        return (d / COG_YAML).exists()
    except (OSError, ValueError):
        return False


def _is_venv(d: Path) -> bool:
    return _is_file(d / "pyvenv.cfg")


def skip_dir(d: Path) -> bool:
    return d.name in SKIP_DIRS or _is_venv(d)


def _excluded(path: Path, patterns: list[str]) -> bool:
    posix = path.as_posix()
    return any(fnmatch.fnmatch(posix, p) or fnmatch.fnmatch(path.name, p) or fnmatch.fnmatch(posix, f"*/{p}")
               or fnmatch.fnmatch(posix, f"*/{p}/*") for p in patterns)


def find_models(paths: list[str], exclude: list[str] | None = None) -> Discovery:
    exclude = exclude or []
    out = Discovery()
    seen: set[Path] = set()

    def add(model: Path) -> None:
        if model not in seen:
            seen.add(model)
            out.models.append(model)

    for raw in paths:
        p = Path(raw)
        try:
            exists = p.exists()
        except OSError:
            exists = False
        if not exists:
            out.missing.append(raw)
            continue
        p = p.resolve()
        if p.is_file():
            # A file outside every model folder is ignored (pre-commit passes every changed file),
            # unless it is a configuration file: then the models it governs are linted again.
            model = enclosing_model(p)
            if model is not None and not _excluded(model, exclude):
                add(model)
            elif model is None and is_config_file(p):
                for found in walk_models(p.parent, exclude):
                    add(found)
            continue
        if has_cog_yaml(p):
            add(p)
            continue
        models = walk_models(p, exclude)
        for model in models:
            add(model)
        if not models and not (exclude and walk_models(p, [])):  # all excluded is not "no model here"
            out.empty.append(p)
    return out


def enclosing_model(path: Path) -> Path | None:
    d = path if path.is_dir() else path.parent
    for candidate in [d, *d.parents]:
        if has_cog_yaml(candidate):
            return candidate
    return None


def walk_models(top: Path, exclude: list[str]) -> list[Path]:
    ignore = GitIgnore()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        d = Path(dirpath)
        ignore.add_file(d)
        if COG_YAML in filenames and d != top and not _excluded(d, exclude):
            found.append(d)
            dirnames[:] = []
            continue
        dirnames[:] = sorted(
            n for n in dirnames
            if not skip_dir(d / n) and not ignore.ignored(d / n, True) and not _excluded(d / n, exclude)
        )
    return found


def iter_files(root: Path):
    """Every file of one model folder, skipping the same folders as discovery."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        d = Path(dirpath)
        dirnames[:] = sorted(n for n in dirnames if not skip_dir(d / n) and not has_cog_yaml(d / n))
        for name in sorted(filenames):
            yield d / name
