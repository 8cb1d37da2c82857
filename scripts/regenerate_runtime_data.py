#!/usr/bin/env python3
"""Regenerate the runtime data pipelint ships in ``pipelint/data/`` from real sources.

What is derived from what:

* ``scripts/runtime-wheels.json`` (the manifest) records, for every distribution of
  ``pipelint/data/runtime-requirements.txt``, the wheel it was read from (file name, sha256) and
  the top-level entries of that wheel's ``RECORD``. ``--wheels DIR`` refreshes it from the wheel
  files in DIR; ``--download`` first fetches the pinned wheels into DIR with
  ``pip download --no-deps --only-binary=:all: --python-version 3.13``. A distribution whose
  wheel cannot be obtained keeps its recorded entry (the script says so), so the manifest is
  never silently emptied.
* ``pipelint/data/import-names.json`` (which import names each distribution provides) is derived
  from the manifest alone: a top-level ``RECORD`` entry that is a package folder, a ``.py``
  module or an extension module is an import name; ``*.dist-info``, ``*.data`` and ``*.libs``
  folders are not.
* ``pipelint/data/stdlib-3.13.txt`` is ``sys.stdlib_module_names`` of a real Python 3.13, and
  ``pipelint/data/stdlib-removed.txt`` lists the public modules that Python 3.11, 3.12 and 3.13
  dropped, found by comparing each version's ``sys.stdlib_module_names`` with the previous one's.
  These need the interpreters (found on PATH as ``python3.10`` … ``python3.13``, or given with
  ``--python VERSION=PATH``); without them the stdlib files are left alone and reported as such.

Output is deterministic (sorted, stable JSON), so ``--check`` can compare byte for byte:
it writes nothing and exits 1 when a file would change.

    python scripts/regenerate_runtime_data.py                      # data from the manifest
    python scripts/regenerate_runtime_data.py --wheels W --download  # refresh from PyPI first
    python scripts/regenerate_runtime_data.py --check [--wheels W]  # verify, write nothing
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the requirements parser pipelint itself uses
DATA = REPO / "pipelint" / "data"
RUNTIME_REQUIREMENTS = DATA / "runtime-requirements.txt"
IMPORT_NAMES = DATA / "import-names.json"
STDLIB = DATA / "stdlib-3.13.txt"
STDLIB_REMOVED = DATA / "stdlib-removed.txt"
MANIFEST = REPO / "scripts" / "runtime-wheels.json"

RUNTIME_PYTHON = "3.13"
# Each version is compared with the one before it; the first is only a baseline.
STDLIB_VERSIONS = ("3.10", "3.11", "3.12", "3.13")
# The runtime is CPython 3.13 on x86-64 Linux: ask pip for exactly the wheels it would install.
PIP_TARGET = ["--python-version", RUNTIME_PYTHON, "--only-binary=:all:",
              "--platform", "manylinux_2_28_x86_64", "--platform", "manylinux_2_17_x86_64",
              "--platform", "manylinux2014_x86_64", "--platform", "any"]


# ---- the runtime list -----------------------------------------------------------------------
def runtime_requirements(path: Path = RUNTIME_REQUIREMENTS) -> list:
    """(canonical name, version or None, requirement text, url or None) per runtime line."""
    from packaging.utils import canonicalize_name, parse_wheel_filename

    from pipelint.model.requirements import parse

    out = []
    for line in parse(path.read_text(encoding="utf-8")).lines:
        req, text = line.requirement, line.text
        if req is None:
            raise SystemExit(f"{path}:{line.line}: not a requirement: {text}")
        version = None
        pins = [s for s in req.specifier if s.operator in ("==", "===")]
        if pins:
            version = pins[0].version
        elif req.url and req.url.endswith(".whl"):
            version = str(parse_wheel_filename(req.url.rsplit("/", 1)[-1])[1])
        out.append((canonicalize_name(req.name), version, text, req.url))
    return out


# ---- wheels → manifest ----------------------------------------------------------------------
def download(wheels: Path, requirements: list) -> None:
    """Fetch the wheels of ``requirements`` into ``wheels`` with pip (failures are reported)."""
    wheels.mkdir(parents=True, exist_ok=True)
    pinned = [text for _, version, text, url in requirements if url is None and version]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(pinned) + "\n")
    pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--disable-pip-version-check",
           "-d", str(wheels)]
    try:
        done = subprocess.run(pip + PIP_TARGET + ["-r", fh.name], capture_output=True, text=True)
    finally:
        Path(fh.name).unlink(missing_ok=True)
    if done.returncode:
        raise SystemExit(f"pip download failed:\n{done.stderr.strip()}")
    for name, _, _, url in requirements:
        if url is not None:
            done = subprocess.run(pip + [url], capture_output=True, text=True)
            if done.returncode:
                last = (done.stderr.strip().splitlines() or ["?"])[-1]
                print(f"note: cannot download {name} from {url} ({last}); its manifest entry is kept",
                      file=sys.stderr)


def find_wheel(wheels: Path, name: str, version: str | None) -> Path | None:
    from packaging.utils import canonicalize_name, parse_wheel_filename
    from packaging.version import Version

    for path in sorted(wheels.glob("*.whl")):
        try:
            wname, wversion, _, _ = parse_wheel_filename(path.name)
        except ValueError:
            continue
        if canonicalize_name(wname) == name and (version is None or wversion == Version(version)):
            return path
    return None


def record_top_level(wheel: Path) -> list[str]:
    """The distinct first components of the wheel's RECORD paths (folders end with ``/``)."""
    with zipfile.ZipFile(wheel) as zf:
        record = next(n for n in zf.namelist() if n.endswith(".dist-info/RECORD") and n.count("/") == 1)
        lines = zf.read(record).decode("utf-8").splitlines()
    tops = set()
    for line in lines:
        path = line.split(",", 1)[0]
        if path:
            head, sep, _ = path.partition("/")
            tops.add(head + ("/" if sep else ""))
    return sorted(tops)


def refresh_manifest(manifest: dict, wheels: Path, requirements: list) -> dict:
    entries = dict(manifest.get("wheels", {}))
    wanted = {name for name, *_ in requirements}
    for name, version, text, _url in requirements:
        wheel = find_wheel(wheels, name, version)
        if wheel is None:
            if name not in entries:
                raise SystemExit(f"no wheel for {text} in {wheels} and no recorded entry to keep")
            print(f"note: no wheel for {name} in {wheels}; keeping its recorded entry", file=sys.stderr)
            continue
        entries[name] = {
            "requirement": text,
            "wheel": wheel.name,
            "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
            "record_top_level": record_top_level(wheel),
        }
    return {"about": manifest.get("about", MANIFEST_ABOUT),
            "wheels": {k: v for k, v in sorted(entries.items()) if k in wanted}}


MANIFEST_ABOUT = ("Top-level RECORD entries of the runtime's wheels, written by "
                  "scripts/regenerate_runtime_data.py --wheels DIR; import-names.json is derived from it.")


# ---- manifest → import names ----------------------------------------------------------------
def import_names_from_record(entries: list[str]) -> list[str]:
    names = set()
    for entry in entries:
        if entry.endswith("/"):
            folder = entry[:-1]
            if folder.isidentifier() and folder != "__pycache__":
                names.add(folder)  # .dist-info, .data and .libs folders are not identifiers
        elif entry.endswith((".py", ".so", ".pyd")):
            stem = entry.split(".", 1)[0]  # `_foo.cpython-313-x86_64-linux-gnu.so` → `_foo`
            if stem.isidentifier():
                names.add(stem)
    return sorted(names)


def import_names(manifest: dict) -> dict:
    return {
        "about": "Import names each runtime distribution provides, derived from the top-level entries of "
                 "its wheel's RECORD (scripts/runtime-wheels.json) by scripts/regenerate_runtime_data.py.",
        "distributions": {name: import_names_from_record(entry["record_top_level"])
                          for name, entry in sorted(manifest["wheels"].items())},
    }


# ---- the standard library -------------------------------------------------------------------
def find_pythons(given: dict[str, str]) -> dict[str, list[str]]:
    """``sys.stdlib_module_names`` of each version whose interpreter can be found and runs.

    Looks at ``--python`` first, then pyenv's installs, then ``pythonX.Y`` on PATH (a pyenv shim
    there may exist and still refuse to run: every candidate is tried).
    """
    import os

    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = {}
    for version in STDLIB_VERSIONS:
        candidates = [given.get(version)]
        candidates += [str(p / "bin" / "python") for p in sorted(pyenv.glob(f"{version}.*"), reverse=True)]
        candidates += [shutil.which(f"python{version}")]
        if f"{sys.version_info[0]}.{sys.version_info[1]}" == version:
            candidates.append(sys.executable)
        for python in filter(None, candidates):
            names = stdlib_names(python, version)
            if names is not None:
                found[version] = names
                break
    return found


def stdlib_names(python: str, version: str) -> list[str] | None:
    code = ("import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}'); "
            "print('\\n'.join(sorted(sys.stdlib_module_names)))")
    try:
        done = subprocess.run([python, "-I", "-c", code], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = done.stdout.split()
    if done.returncode or not out or out[0] != version:
        return None
    return out[1:]


def stdlib_files(names: dict[str, list[str]]) -> dict[Path, str] | None:
    if any(v not in names for v in STDLIB_VERSIONS):
        return None
    current = "\n".join(names[RUNTIME_PYTHON])
    stdlib = (f"# sys.stdlib_module_names of Python {RUNTIME_PYTHON} (the pipelines runtime's Python), "
              f"written by scripts/regenerate_runtime_data.py\n{current}\n")
    removed = []
    for before, after in zip(STDLIB_VERSIONS, STDLIB_VERSIONS[1:], strict=False):
        for name in sorted(set(names[before]) - set(names[after])):
            if not name.startswith("_"):
                removed.append(f"{name} {after}")
    removed_text = ("# Public standard-library modules removed from Python, with the version that removed them:\n"
                    "# sys.stdlib_module_names of each version compared with the previous one's, "
                    "written by scripts/regenerate_runtime_data.py\n" + "\n".join(removed) + "\n")
    return {STDLIB: stdlib, STDLIB_REMOVED: removed_text}


# ---- main -----------------------------------------------------------------------------------
def dumps(obj) -> str:
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheels", type=Path, help="a folder of the runtime's wheels: refresh the manifest from them")
    ap.add_argument("--download", action="store_true", help="download the pinned wheels into --wheels first")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if any file would change")
    ap.add_argument("--python", action="append", default=[], metavar="VERSION=PATH",
                    help="the interpreter of a Python version, e.g. 3.13=/usr/bin/python3.13")
    ap.add_argument("--skip-stdlib", action="store_true", help="leave the standard-library files alone")
    args = ap.parse_args(argv)

    requirements = runtime_requirements()
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {}
    if args.download and not args.wheels:
        ap.error("--download needs --wheels DIR")
    if args.wheels:
        if args.download:
            download(args.wheels, requirements)
        manifest = refresh_manifest(manifest, args.wheels, requirements)
    missing = sorted({name for name, *_ in requirements} - set(manifest.get("wheels", {})))
    if missing:
        raise SystemExit(f"the manifest has no entry for {', '.join(missing)}: run with --wheels DIR --download")

    outputs: dict[Path, str] = {MANIFEST: dumps(manifest), IMPORT_NAMES: dumps(import_names(manifest))}
    if not args.skip_stdlib:
        pythons = find_pythons(dict(p.split("=", 1) for p in args.python))
        stdlib = stdlib_files(pythons)
        if stdlib is None:
            absent = [v for v in STDLIB_VERSIONS if v not in pythons]
            print(f"note: standard-library files not regenerated: no Python {', '.join(absent)} found",
                  file=sys.stderr)
        else:
            outputs.update(stdlib)

    changed = []
    for path, text in outputs.items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            changed.append(path)
            if not args.check:
                path.write_text(text, encoding="utf-8")
    for path in changed:
        print(f"{'would change' if args.check else 'wrote'}: {path.relative_to(REPO)}")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
