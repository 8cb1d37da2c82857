"""The torch family (torch, torchvision, torchaudio) and the GPU settings of an ordinary cog model,
read the way cog reads them and the way pip installs them.

cog (``pkg/config/config.go`` ``pythonPackageVersion``, ``pkg/requirements``) reads the lines of the
``build.python_requirements`` file (no ``-r`` is followed) or, when that is not set, the items of
``build.python_packages``. A line counts for a package only when its name is exactly that package
(case-sensitive, no extras), and the version cog reasons about is the *first* version written after an
operator (``torch>=2.4,<2.5`` → ``2.4``; ``torch<2.5`` → ``2.5``) or after ``@``; no version at all
is ``""``. pip, in contrast, installs a release the specifier admits; ``admitted`` answers that
with ``packaging`` over the releases the shipped data knows.

Everything here reads the project model only and never raises on user input.
"""

from __future__ import annotations

import re

from pipelint.core.diagnostics import Position
from pipelint.core.records import Record
from pipelint.model import cog_data, yamlnodes
from pipelint.model.requirements import RequirementLine, line_span, parse, requirement_spec, with_includes

TORCH_FAMILY = ("torch", "torchvision", "torchaudio")

# cog's package name reading: leading name characters, extras kept (``torch[opt]`` is not ``torch``).
_COG_NAME = re.compile(r"^([a-zA-Z0-9_\-.]+(?:\[[^\]]+\])?)")
# The first version after a comparison operator, or a direct reference after ``@``.
_COG_VERSION = re.compile(r"[<>=!~]=?\s*([^\s,;|]+)")
_COG_URL = re.compile(r"@\s*(\S+)")
# A PyTorch wheel index that names its CUDA build (``…/whl/cu121``).
_INDEX_CUDA = re.compile(r"/whl/cu(\d+)(\d)/?$")


class PinLine(Record):
    """One requirement cog or pip reads: a line of a requirements file or an item of
    ``build.python_packages``."""

    text: str  # the requirement as written (comment and pip options stripped)
    requirement: object | None  # packaging Requirement, None when packaging cannot read it
    source: object | None  # the requirements SourceFile; None for a python_packages item
    line: RequirementLine | None
    node: object | None  # the python_packages item node
    included: bool  # pulled in with ``-r`` (pip reads it, cog does not)

    def __init__(
        self,
        text: str,
        requirement: object | None,
        source: object | None = None,
        line: RequirementLine | None = None,
        node: object | None = None,
        included: bool = False,
    ) -> None:
        self.text = text
        self.requirement = requirement
        self.source = source
        self.line = line
        self.node = node
        self.included = included

    @property
    def name(self) -> str | None:
        """The canonical distribution name (pip's view), or None."""
        from packaging.utils import canonicalize_name

        return canonicalize_name(self.requirement.name) if self.requirement is not None else None

    @property
    def cog_name(self) -> str:
        """The package name exactly as cog reads it (case and extras kept)."""
        m = _COG_NAME.match(self.text)
        return m.group(1) if m else ""

    @property
    def cog_version(self) -> str:
        """The version cog reasons about: the first one written (``""`` when none)."""
        m = _COG_VERSION.search(self.text)
        if m:
            return m.group(1)
        m = _COG_URL.search(self.text)
        return m.group(1) if m else ""

    @property
    def path(self):
        return self.source.path if self.source is not None else None

    def span(self) -> tuple[Position, Position]:
        """Where a diagnostic about this requirement goes."""
        if self.node is not None:
            return yamlnodes.start(self.node), yamlnodes.end(self.node)
        return line_span(self.source, self.line)


def _packages_node(project):
    hit = project.cog_get("build", "python_packages")
    return hit[1] if hit is not None and yamlnodes.is_sequence(hit[1]) else None


def requirements_key_set(project) -> bool:
    hit = project.cog_get("build", "python_requirements")
    value = yamlnodes.scalar(hit[1]) if hit else None
    return isinstance(value, str) and bool(value.strip())


def _from_file(source, reqs, included: bool) -> list[PinLine]:
    out = []
    for line in reqs.lines:
        if line.option is not None:
            continue
        out.append(PinLine(requirement_spec(line), line.requirement, source, line, None, included))
    return out


def cog_lines(project) -> list[PinLine]:
    """The requirements cog itself reads: the ``build.python_requirements`` file, else the
    ``build.python_packages`` items."""
    if requirements_key_set(project):
        source, reqs = project.requirements_file, project.requirements
        return _from_file(source, reqs, False) if source is not None and reqs is not None else []
    node = _packages_node(project)
    out = []
    for item in node.value if node is not None else ():
        text = yamlnodes.scalar(item)
        if not isinstance(text, str) or not text.strip():
            continue
        parsed = parse(text)
        req = parsed.lines[0].requirement if len(parsed.lines) == 1 else None
        out.append(PinLine(text.strip(), req, None, None, item))
    return out


def pip_lines(project) -> list[PinLine]:
    """The requirements pip installs: what cog reads plus the files pulled in with ``-r``."""
    if not requirements_key_set(project):
        return cog_lines(project)
    out: list[PinLine] = []
    for i, (source, reqs) in enumerate(with_includes(project)):
        out.extend(_from_file(source, reqs, i > 0))
    return out


def index_urls(project) -> list[str]:
    """The ``--index-url``/``--extra-index-url`` values of the requirements cog reads."""
    if not requirements_key_set(project) or project.requirements is None:
        return []
    return [line.option_value for line in project.requirements.lines
            if line.option in ("--index-url", "-i", "--extra-index-url") and line.option_value]


def index_cuda(url: str) -> str | None:
    """The CUDA a PyTorch wheel index builds for (``…/whl/cu121`` → ``"12.1"``), or None."""
    m = _INDEX_CUDA.search(url.strip())
    return f"{m.group(1)}.{m.group(2)}" if m else None


def cog_pin(project, package: str) -> PinLine | None:
    """The line cog takes for ``package`` (the first whose name is exactly that), or None."""
    for pin in cog_lines(project):
        if pin.cog_name == package:
            return pin
    return None


def pip_pins(project, package: str) -> list[PinLine]:
    """Every line pip reads for ``package`` (canonical name, extras allowed)."""
    return [pin for pin in pip_lines(project) if pin.name == package]


# ---- cog.yaml build settings ---------------------------------------------------------------
def build_value(project, key: str):
    """(key_node, value_node, text) of a ``build`` scalar, the text as cog's YAML decoder gets it
    (the raw scalar, so an unquoted ``cuda: 12.10`` is ``"12.10"``); None when absent or empty."""
    hit = project.cog_get("build", key)
    if hit is None or not yamlnodes.is_scalar(hit[1]) or yamlnodes.is_null(hit[1]):
        return None
    text = str(hit[1].value).strip()
    return (hit[0], hit[1], text) if text else None


def gpu(project) -> bool:
    """``build.gpu: true``."""
    hit = project.cog_get("build", "gpu")
    return hit is not None and yamlnodes.scalar(hit[1]) is True


def python_minor(project) -> str | None:
    """``build.python_version`` as MAJOR.MINOR (``"3.11.4"`` → ``"3.11"``), or None."""
    found = build_value(project, "python_version")
    if found is None:
        return None
    parts = found[2].split(".")
    if len(parts) < 2 or not all(p.isdigit() for p in parts[:2]):
        return None
    return f"{int(parts[0])}.{int(parts[1])}"


def version_key(version: str):
    """A sort key for release strings (packaging's order; unreadable ones first)."""
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, str(version))


# ---- what a specifier admits ---------------------------------------------------------------
def _locals(requirement) -> set[str]:
    out = set()
    for spec in requirement.specifier:
        _, plus, local = spec.version.partition("+")
        if plus:
            out.add(local)
    return out


def admits(requirement, release: str) -> bool:
    """Whether pip may install ``release`` for ``requirement`` (a ``+cu121`` local tag in the
    specifier admits that build of the release)."""
    from packaging.version import InvalidVersion, Version

    try:
        version = Version(release)
    except InvalidVersion:
        return False
    spec = requirement.specifier
    if spec.contains(version, prereleases=True):
        return True
    for local in _locals(requirement):
        try:
            if spec.contains(Version(f"{release}+{local}"), prereleases=True):
                return True
        except InvalidVersion:
            continue
    return False


def admitted(requirement, releases) -> list[str]:
    """The releases of ``releases`` the requirement admits, oldest first. A direct reference
    (``name @ url``) admits none that can be known."""
    if requirement is None or getattr(requirement, "url", None):
        return []
    return sorted((r for r in releases if admits(requirement, r)), key=version_key)


def admits_unknown_newer(requirement, releases) -> bool:
    """Whether the requirement also admits a release newer than every one in ``releases`` (so pip may
    find one the shipped data does not know)."""
    from packaging.version import InvalidVersion, Version

    if requirement is None or getattr(requirement, "url", None):
        return False
    known = [v for v in (version_key(r) for r in releases) if v[0] == 1]
    if not known:
        return True
    newest: Version = max(known)[1]
    major, minor, micro = (list(newest.release) + [0, 0])[:3]
    for candidate in (f"{major}.{minor}.{micro + 1}", f"{major}.{minor + 1}.0", f"{major + 1}.0.0"):
        try:
            if requirement.specifier.contains(Version(candidate), prereleases=True):
                return True
        except InvalidVersion:  # pragma: no cover
            pass
    return False


def marker_holds(requirement, python: str | None) -> bool:
    """Whether the requirement's marker holds on cog's Linux x86_64 image with that Python."""
    if requirement is None or requirement.marker is None:
        return True
    env = {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64",
           "os_name": "posix", "implementation_name": "cpython", "platform_python_implementation": "CPython",
           "extra": ""}
    if python:
        env.update(python_version=python, python_full_version=f"{python}.0")
    try:
        return bool(requirement.marker.evaluate(env))
    except Exception:  # an unknown marker variable: assume it applies
        return True


# ---- cog's CUDA choice -------------------------------------------------------------------
def torch_cudas(cog_version: str, torch_version: str) -> tuple[str, ...]:
    """The CUDAs cog's matrix associates with the version cog read for torch (see
    ``cog_data.cuda_for_torch``)."""
    return cog_data.cuda_for_torch(cog_version, torch_version) if torch_version else ()


def same_minor(a: str, b: str) -> bool:
    """cog's ``version.EqualMinor``: equal major and minor."""
    pa, pb = str(a).split("."), str(b).split(".")
    return len(pa) >= 2 and len(pb) >= 2 and pa[:2] == pb[:2]


def resolved_cuda(project, cog_version: str) -> str | None:
    """The CUDA a GPU build uses: ``build.cuda``; else the newest CUDA cog's matrix gives the torch
    pin; else cog's default (no torch line). None when cog cannot choose one."""
    found = build_value(project, "cuda")
    if found is not None:
        return found[2]
    pin = cog_pin(project, "torch")
    if pin is not None:
        cudas = torch_cudas(cog_version, pin.cog_version)
        return cudas[-1] if cudas else None
    return cog_data.default_cuda(cog_version)


def cuda_shape_problem(cuda: str, minimum_major: int = 11) -> str | None:
    """cog's ``validateCUDAVersion`` (every build, GPU or not): the message when ``cuda`` lacks a minor
    or its major is below the minimum; None when the shape is fine."""
    parts = str(cuda).split(".")
    if len(parts) < 2:
        return "must include both major and minor versions (e.g., '11.8')"
    try:
        major = int(parts[0])
    except ValueError:
        return "invalid major version number"
    if major < minimum_major:
        return f"minimum supported CUDA version is {minimum_major}"
    return None


def cog_version(project) -> str:
    """The cog release line the model is judged for (``cog-version``; default: the newest known)."""
    return project.cog_version


def torch_known_releases(cog_version_: str, package: str = "torch") -> list[str]:
    """The releases of a torch-family package pip could install: those with wheel data, plus those in
    cog's matrix (torch only), oldest first."""
    found = set(cog_data.torch_releases(package))
    if package == "torch":
        found |= set(cog_data.torch_versions_in_matrix(cog_version_))
    else:
        found |= {row[package] for row in cog_data.torch_matrix(cog_version_) if row.get(package)}
    return sorted(found, key=version_key)


def _bump(release: tuple[int, ...]) -> str:
    return ".".join(map(str, (*release[:-1], release[-1] + 1)))


def _clause_excludes_from(spec, floor) -> bool:
    from packaging.version import InvalidVersion, Version

    op, text = spec.operator, spec.version
    try:
        if op in ("==", "===") and text.endswith(".*"):
            return Version(_bump(Version(text[:-2]).release)) <= floor
        if op in ("==", "==="):
            return Version(text) < floor
        if op == "<":
            return Version(text) <= floor
        if op == "<=":
            return Version(text) < floor
        if op == "~=":
            release = Version(text).release
            return len(release) >= 2 and Version(_bump(release[:-1])) <= floor
    except InvalidVersion:
        return False
    return False


def admits_nothing_from(requirement, floor) -> bool:
    """Whether the requirement admits no version at or above ``floor`` (a packaging ``Version``): one of
    its clauses is an upper bound or an exact pin below it (``requests<2.25``, ``pyyaml==5.4.1``,
    ``typing-extensions~=3.10``). A requirement without a specifier admits everything."""
    if requirement is None or getattr(requirement, "url", None):
        return False
    return any(_clause_excludes_from(spec, floor) for spec in requirement.specifier)
