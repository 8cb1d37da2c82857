"""The pipelines runtime as data: its packages, the import names they provide, its Python.

Everything comes from files in ``pipelint/data/`` (regenerated from real wheels and real Python
interpreters by ``scripts/regenerate_runtime_data.py``), never from the interpreter pipelint
runs on: pipelint may run on Python 3.10 while the runtime is 3.13. A user may point
``runtime_requirements`` at a newer runtime list; import names of distributions the shipped
data does not know come from installed metadata (read, never imported) or from the name.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SHIPPED_REQUIREMENTS = DATA_DIR / "runtime-requirements.txt"
from pipelint.core.records import Record
from pipelint.model.requirements import MARKER_ENVIRONMENT, RUNTIME_PYTHON  # noqa: E402,F401


class RuntimeDataError(Exception):
    """A runtime requirements file that cannot be read."""


class RuntimePackage(Record):
    name: str  # canonical (PEP 503)
    text: str  # the line as the runtime list writes it
    version: object | None  # packaging Version, or None when the list does not pin one
    import_names: tuple[str, ...]

    def __init__(
        self,
        name: str,
        text: str,
        version: object | None,
        import_names: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.text = text
        self.version = version
        self.import_names = import_names


class RuntimeData(Record):
    source: Path
    packages: dict[str, RuntimePackage]  # by canonical name
    modules: dict[str, str]  # top-level import name → canonical name
    stdlib: frozenset[str]
    removed: dict[str, str]  # stdlib module → Python version that removed it
    python: str

    def __init__(
        self,
        source: Path,
        packages: dict[str, RuntimePackage] | None = None,
        modules: dict[str, str] | None = None,
        stdlib: frozenset[str] = frozenset(),
        removed: dict[str, str] | None = None,
        python: str = RUNTIME_PYTHON,
    ) -> None:
        self.source = source
        self.packages = {} if packages is None else packages
        self.modules = {} if modules is None else modules
        self.stdlib = stdlib
        self.removed = {} if removed is None else removed
        self.python = python

    def package(self, name: str) -> RuntimePackage | None:
        from packaging.utils import canonicalize_name

        return self.packages.get(canonicalize_name(name))

    def provider(self, module: str) -> str | None:
        """The runtime distribution that provides top-level module ``module``, if any."""
        return self.modules.get(module)

    def distribution_named(self, module: str) -> str | None:
        """A runtime distribution whose *name* looks like ``module`` (`import pillow`, `import scikit_learn`)."""
        from packaging.utils import canonicalize_name

        return canonicalize_name(module) if canonicalize_name(module) in self.packages else None


def load(path: Path | str | None = None) -> RuntimeData:
    """The runtime described by ``path`` (default: the list pipelint ships). Cached per file version."""
    source = Path(path).expanduser().resolve() if path else SHIPPED_REQUIREMENTS
    try:
        stamp = source.stat().st_mtime_ns
    except OSError as exc:
        raise RuntimeDataError(f"cannot read the runtime requirements {source}: {exc.strerror or exc}") from None
    return _load(source, stamp)


@lru_cache(maxsize=8)
def _load(source: Path, _stamp: int) -> RuntimeData:
    from packaging.utils import canonicalize_name, parse_wheel_filename
    from packaging.version import InvalidVersion, Version

    from pipelint.model.requirements import parse

    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuntimeDataError(f"cannot read the runtime requirements {source}: {exc}") from None
    shipped_names = _shipped_import_names()
    data = RuntimeData(source, stdlib=_stdlib(), removed=_removed())
    for line in parse(text).requirements:
        req = line.requirement
        version = None
        pins = [s for s in req.specifier if s.operator in ("==", "===")]
        try:
            if pins:
                version = Version(pins[0].version)
            elif req.url and req.url.endswith(".whl"):
                version = parse_wheel_filename(req.url.rsplit("/", 1)[-1])[1]
        except (InvalidVersion, ValueError):
            version = None
        name = canonicalize_name(req.name)
        data.packages[name] = RuntimePackage(name, line.text, version)
    unknown = [n for n in data.packages if n not in shipped_names]
    installed = _installed_import_names(unknown) if unknown else {}
    for name, pkg in data.packages.items():
        pkg.import_names = tuple(shipped_names.get(name) or installed.get(name) or (name.replace("-", "_"),))
        for module in pkg.import_names:
            data.modules.setdefault(module, name)
    # The runtime cannot run a model without `cog`: whatever list it is, `cog` is importable.
    data.modules.setdefault("cog", "coglet" if "coglet" in data.packages else "cog")
    return data


def _read_data(name: str) -> str:
    return (DATA_DIR / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _shipped_import_names() -> dict[str, list[str]]:
    return json.loads(_read_data("import-names.json"))["distributions"]


@lru_cache(maxsize=1)
def _stdlib() -> frozenset[str]:
    return frozenset(line.strip() for line in _read_data(f"stdlib-{RUNTIME_PYTHON}.txt").splitlines()
                     if line.strip() and not line.startswith("#"))


def stdlib_modules() -> frozenset[str]:
    """The top-level module names of the runtime Python's standard library (``sys.stdlib_module_names``)."""
    return _stdlib()


@lru_cache(maxsize=1)
def _removed() -> dict[str, str]:
    out = {}
    for line in _read_data("stdlib-removed.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            module, version = line.split()
            out[module] = version
    return out


def _installed_import_names(names: list[str]) -> dict[str, list[str]]:
    """Import names of installed distributions, from their metadata (nothing is imported)."""
    from importlib.metadata import packages_distributions

    from packaging.utils import canonicalize_name

    wanted = set(names)
    out: dict[str, list[str]] = {}
    try:
        mapping = packages_distributions()
    except Exception:  # broken metadata of some unrelated installed package
        return out
    for module, dists in mapping.items():
        if not module.isidentifier():
            continue
        for dist in dists:
            if canonicalize_name(dist) in wanted:
                out.setdefault(canonicalize_name(dist), []).append(module)
    return {k: sorted(v) for k, v in out.items()}
