"""The versions of the libraries whose behaviour shapes a result, read cheaply (``os`` and
``sys`` only): part of the result cache's key and of the warm path's checks."""

from __future__ import annotations

import os
import sys

# Distributions whose behaviour shapes a result: the parser, the YAML composer, the specifier
# logic, the ignore-file matcher, and pipelint itself (its version, beside its code's stamp).
KEY_DISTRIBUTIONS = ("libcst", "pyyaml", "packaging", "pathspec", "pipelint")

def library_versions(path: list[str] | None = None) -> dict[str, str]:
    """The installed version of each of ``KEY_DISTRIBUTIONS``, as the import system would find
    it: the first ``NAME-VERSION.dist-info`` (or ``.egg-info``) folder along ``sys.path``.

    Read from folder names (one ``listdir`` per path entry, ~0.3 ms) rather than with
    ``importlib.metadata`` (~25 ms of imports and parsing on a cached run). A distribution found
    nowhere is recorded as such, so installing it later changes the key too.
    """
    wanted = set(KEY_DISTRIBUTIONS)
    found: dict[str, str] = {}
    for entry in (sys.path if path is None else path):
        if not wanted - found.keys():
            break
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if suffix not in ("dist-info", "egg-info") or not dot:
                continue
            dist, _, version = stem.partition("-")
            dist = dist.lower().replace("-", "_").replace(".", "_")
            if dist in wanted and dist not in found and version:  # a checkout's bare NAME.egg-info: no version
                found[dist] = version
    return {d: found.get(d, "absent") for d in KEY_DISTRIBUTIONS}
