"""Paths of a model folder: resolving names users wrote, and walking a folder's files."""

from __future__ import annotations

import os
from pathlib import Path

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
             ".mypy_cache", ".pytest_cache", ".ruff_cache", ".pipelint_cache", "site-packages"}
COG_YAML = "cog.yaml"


def resolve_path(path: Path) -> Path:
    """``path`` with symlinks resolved, never raising: names in cog.yaml or requirements.txt may
    hold a NUL byte or a lone surrogate, and a symlink may loop (Python 3.11 raises for these).
    Such a path comes back normalised but unresolved, and then simply does not exist."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return Path(os.path.normpath(os.path.abspath(path)))


def is_file(p: Path) -> bool:
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


def is_venv(d: Path) -> bool:
    return is_file(d / "pyvenv.cfg")


def skip_dir(d: Path) -> bool:
    return d.name in SKIP_DIRS or is_venv(d)


def iter_files(root: Path):
    """Every file of one model folder, skipping the same folders as discovery."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        d = Path(dirpath)
        dirnames[:] = sorted(n for n in dirnames if not skip_dir(d / n) and not has_cog_yaml(d / n))
        for name in sorted(filenames):
            yield d / name
