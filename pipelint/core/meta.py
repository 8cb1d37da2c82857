"""What pipelint knows about itself: its version, where its repository lives, where its rule
pages are, and how it was installed. One source: ``pyproject.toml`` (``version`` and
``[project.urls]``).

Read from the installed distribution's metadata (``importlib.metadata``) where pipelint is
installed, and from ``pyproject.toml`` itself when it runs from a checkout (editable or not: the
metadata of an editable install is a copy made at install time, the checkout is the truth).
Everything here is computed on first use: a cached run that prints nothing needs none of it.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache

TYPE_CHECKING = False  # typing itself is not imported for this
if TYPE_CHECKING:
    from pathlib import Path

DIST_NAME = "pipelint"
# ``pipelint --version`` reads this module and nothing heavier: no json, no pathlib (whose
# imports cost more than the rest of that command). PACKAGE_DIR and CHECKOUT are Paths on first use.
_PACKAGE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # the ``pipelint`` package
# In a checkout the package sits next to pyproject.toml and docs/; in a wheel, docs/ is inside it.
_CHECKOUT = os.path.dirname(_PACKAGE)


def __getattr__(name: str):
    if name in ("PACKAGE_DIR", "CHECKOUT"):
        from pathlib import Path

        return Path(_PACKAGE if name == "PACKAGE_DIR" else _CHECKOUT)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
_REPOSITORY_KEYS = ("repository", "source", "source code", "homepage")


@lru_cache(maxsize=1)
def _pyproject() -> dict | None:
    """The checkout's ``[project]`` table, or None when pipelint does not run from a checkout."""
    try:
        with open(os.path.join(_CHECKOUT, "pyproject.toml"), encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        project = tomllib.loads(text).get("project", {})
    except ValueError:
        return None
    return project if isinstance(project, dict) and project.get("name") == DIST_NAME else None


@lru_cache(maxsize=1)
def _distribution():
    """The installed distribution, or None (run from a checkout that was never installed).

    The one pip installed (it records ``direct_url.json`` or ``INSTALLER``) wins over metadata
    lying around on the path, such as a checkout's stale ``pipelint.egg-info`` in the current
    directory."""
    from importlib import metadata

    found = list(metadata.distributions(name=DIST_NAME))
    for dist in found:
        if dist.read_text("direct_url.json") or dist.read_text("INSTALLER"):
            return dist
    return found[0] if found else None


_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what email's parser could also split on


@lru_cache(maxsize=1)
def _installed_headers() -> dict[str, list[str]] | None:
    """The header fields of the METADATA that ``_distribution()`` would read, read the way
    ``email`` reads them (``{lower-cased name: [values]}``), without importing ``importlib.metadata``
    (~12 ms of a cold run, for one link). None when that is not surely the same: the distribution
    is not a ``.dist-info`` folder on a listed ``sys.path`` entry, or a header is folded or odd."""
    found = []
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except OSError:
            if os.path.exists(folder):  # a zip or an unlistable entry: importlib.metadata may see more
                return None
            continue
        for name in sorted(names):
            base, _, ext = name.rpartition(".")
            if ext in ("dist-info", "egg-info") and base.partition("-")[0].lower().replace(".", "_") \
                    .replace("-", "_") == DIST_NAME:
                found.append(os.path.join(folder, name))
    chosen = next((p for p in found if os.path.isfile(os.path.join(p, "direct_url.json"))
                   or os.path.isfile(os.path.join(p, "INSTALLER"))), found[0] if found else None)
    if chosen is None or not chosen.endswith(".dist-info"):
        return None
    try:
        with open(os.path.join(chosen, "METADATA"), encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return None
    headers: dict[str, list[str]] = {}
    for line in text.split("\n"):
        if line == "":
            break
        name, colon, value = line.partition(":")
        if (not colon or not name or any(c in line for c in _LINE_BREAKS)
                or not all("\x21" <= c <= "\x7e" for c in name)):
            return None  # a folded, empty-named or odd header: leave it to email's parser
        headers.setdefault(name.lower(), []).append(value.lstrip(" \t"))
    return headers


def from_checkout() -> bool:
    return _pyproject() is not None


def version() -> str:
    project = _pyproject()
    if project is not None and isinstance(project.get("version"), str):
        return project["version"]
    headers = _installed_headers()
    if headers is not None and headers.get("version"):
        return headers["version"][0]
    dist = _distribution()
    return dist.version if dist is not None else "0+unknown"


def urls() -> dict[str, str]:
    """``[project.urls]``, keys lower-cased."""
    project = _pyproject()
    if project is not None:
        table = project.get("urls") or {}
        return {str(k).lower(): str(v) for k, v in table.items()}
    headers = _installed_headers()
    if headers is not None:
        entries = headers.get("project-url", [])
    else:
        dist = _distribution()
        entries = (dist.metadata.get_all("Project-URL") or []) if dist is not None else []
    found = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        found[label.strip().lower()] = url.strip()
    return found


def repository_url() -> str | None:
    """The repository's public address, if ``[project.urls]`` names one."""
    table = urls()
    for key in _REPOSITORY_KEYS:
        if table.get(key):
            return table[key].rstrip("/")
    return None


def docs_dir() -> Path:
    """The folder of the rule pages (``CODE.md``): ``pipelint/docs/rules`` in a wheel,
    ``docs/rules`` in a checkout."""
    from pathlib import Path

    shipped = Path(_PACKAGE) / "docs" / "rules"
    if shipped.is_dir():
        return shipped
    return Path(_CHECKOUT) / "docs" / "rules"


def default_docs_base() -> str:
    """Where diagnostics link to when the ``docs-url`` setting is not set: the rule pages in the
    repository, at this version's tag, if the repository has a public address; else the pages
    shipped with this installation (a ``file://`` address that always exists and matches)."""
    repo = repository_url()
    if repo:
        return f"{repo}/blob/v{version()}/docs/rules/"
    return docs_dir().as_uri() + "/"


def docs_base(configured: str | None = None) -> str:
    base = configured or default_docs_base()
    return base if base.endswith("/") else base + "/"


# ---- how pipelint was installed ----------------------------------------------------------
def _direct_url() -> dict:
    dist = _distribution()
    if dist is None:
        return {}
    try:
        import json

        return json.loads(dist.read_text("direct_url.json") or "{}")
    except (ValueError, OSError):
        return {}


def editable_checkout() -> Path | None:
    """The checkout an editable install (``pip install -e``) points at, if this is one."""
    info = _direct_url()
    if not (info.get("dir_info") or {}).get("editable"):
        return None
    url = info.get("url", "")
    if not url.startswith("file://"):
        return None
    from pathlib import Path
    from urllib.parse import unquote, urlparse

    return Path(unquote(urlparse(url).path))


def extra_requirements(extra: str) -> list[str]:
    """The requirement specifiers of an optional extra (``lsp``, ``watch``), from the one source."""
    project = _pyproject()
    if project is not None:
        return list((project.get("optional-dependencies") or {}).get(extra, []))
    dist = _distribution()
    found = []
    for req in (dist.requires or []) if dist is not None else []:
        spec, _, marker = req.partition(";")
        if marker and f'extra == "{extra}"' in marker.replace("'", '"'):
            found.append(spec.strip())
    return found


def install_command(extra: str) -> str:
    """The command that installs an extra's packages for *this* pipelint, as it was installed:
    the extra of the editable checkout, else the packages themselves (``pipelint[extra]`` only
    resolves from an index that has pipelint)."""
    from pathlib import Path

    python = sys.executable or "python"
    pip = f"{_quote(python)} -m pip install"
    checkout = editable_checkout()
    # An editable install of *this* checkout (not another one found on the path).
    if checkout is not None and _same(checkout, Path(_CHECKOUT)) and (checkout / "pyproject.toml").is_file():
        return f"{pip} -e {_quote(f'{checkout}[{extra}]')}"
    reqs = extra_requirements(extra)
    if reqs:
        return f"{pip} " + " ".join(_quote(r) for r in reqs)
    return f"{pip} {_quote(f'{DIST_NAME}[{extra}]')}"


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _quote(text: str) -> str:
    if os.name == "nt":
        return f'"{text}"' if any(c in text for c in ' []<>=|&') else text
    import shlex

    return shlex.quote(text)
