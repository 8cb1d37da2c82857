"""Which model folders a run lints: a PATH is a model folder, a file in one, or a tree of them."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from pipelint.core.paths import COG_YAML, SKIP_DIRS, has_cog_yaml, is_file, iter_files, skip_dir  # noqa: F401
from pipelint.core.records import Record
from pipelint.engine.config import is_config_file


class Discovery(Record):
    models: list[Path]  # resolved, unique, in argument order
    empty: list[Path]  # directories named that hold no model
    missing: list[str]  # paths that do not exist

    def __init__(
        self,
        models: list[Path] | None = None,
        empty: list[Path] | None = None,
        missing: list[str] | None = None,
    ) -> None:
        self.models = [] if models is None else models
        self.empty = [] if empty is None else empty
        self.missing = [] if missing is None else missing


class GitIgnore:
    """The .gitignore files met while walking down a tree, matched as git does (``pathspec``):
    a deeper file's rules win over a higher one's, the last matching line of a file wins."""

    def __init__(self):
        self.specs: list[tuple[Path, object]] = []  # (folder of the .gitignore, its GitIgnoreSpec)

    def add_file(self, directory: Path) -> None:
        try:
            lines = (directory / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
        if any(line.strip() and not line.startswith("#") for line in lines):
            from pathspec import GitIgnoreSpec

            self.specs.append((directory, GitIgnoreSpec.from_lines(lines)))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        result = False
        for base, spec in self.specs:
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                continue
            verdict = spec.check_file(rel + "/" if is_dir else rel).include
            if verdict is not None:
                result = verdict
        return result


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
