"""The cog-target facts pipelint ships in ``pipelint/data/cog/`` (written by
``scripts/regenerate_cog_data.py``; provenance in ``scripts/cog-sources.json``).

Standard library only. Every accessor reads its file once (``lru_cache``) and answers ``None`` (or an
empty result) for a version or name the data does not know, never raising on user input.

Cog versions are given as a release line (``"0.16"``: its newest release, here 0.16.12) or as an exact
release (``"0.16.3"``); ``known_cog_versions()`` lists the lines. The newest line (``"0.23"``) is the
untagged HEAD of the cog snapshot the data was read from (see the ``note`` of ``cog_release``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "cog"


@lru_cache(maxsize=None)
def _text(name: str) -> str:
    return (DATA_DIR / name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _load(name: str) -> dict[str, Any]:
    return json.loads(_text(name))


def _value_after(text: str, head: str, start: int = 0, end: int | None = None) -> int:
    """The offset just after ``head`` when ``text[start:end]`` holds it exactly once, else -1."""
    end = len(text) if end is None else end
    at = text.find(head, start, end)
    if at < 0 or text.find(head, at + 1, end) >= 0:
        return -1
    return at + len(head)


def _decoded(text: str, at: int, whole):
    """The JSON value at offset ``at``; ``whole()`` (the same value, parsed with its file) when
    ``at`` is -1 or the text there does not decode."""
    if at >= 0:
        try:
            return json.JSONDecoder().raw_decode(text, at)[0]
        except ValueError:
            pass
    return whole()


@lru_cache(maxsize=None)
def _top(name: str, key: str) -> Any:
    """``_load(name)[key]``, parsing that value alone: a pipeline lint needs cuda-matrix.json's
    4 KB of release names, not its 420 KB of matrices (~3.5 ms). The regenerator writes every file
    with ``json.dumps(indent=1, sort_keys=True)``, so a key of the top-level object, and only one,
    starts a line after a single space (a JSON string holds no raw newline). Any other layout:
    the whole file is parsed."""
    text = _text(name)
    return _decoded(text, _value_after(text, f'\n "{key}": '), lambda: _load(name)[key])


@lru_cache(maxsize=None)
def _member(name: str, key: str, member: str) -> Any:
    """``_load(name)[key][member]``, parsing that value alone: cuda-matrix.json's ``datasets``
    holds one 30–60 KB dataset per cog release line, and a lint needs one (~3 ms for all ten).
    In the same layout a key of a top-level object starts a line after two spaces, between that
    object's line and the next top-level key's; any other layout: ``_top``."""
    text = _text(name)
    at = _value_after(text, f'\n "{key}": ')
    found = -1
    if at >= 0:
        end = text.find('\n "', at)
        found = _value_after(text, f'\n  "{member}": ', at, len(text) if end < 0 else end)
    return _decoded(text, found, lambda: _top(name, key)[member])


def _parts(version: str) -> tuple[int, ...] | None:
    """cog's own version reading (``pkg/util/version``): up to three integer parts, ``+local`` ignored."""
    number = str(version).strip().split("+", 1)[0]
    pieces = number.split(".")
    if not pieces or len(pieces) > 3:
        return None
    try:
        return tuple(int(p) for p in pieces)
    except ValueError:
        return None


def _sort_key(version: str) -> tuple:
    parts = _parts(version)
    return (0, parts) if parts is not None else (1, (), str(version))


def _cog_matches(a: str, b: str) -> bool:
    """cog's ``version.Matches``: equal major and minor; the patch only when both have one."""
    pa, pb = _parts(a), _parts(b)
    if pa is None or pb is None or len(pa) < 2 or len(pb) < 2 or pa[:2] != pb[:2]:
        return False
    return not (len(pa) > 2 and len(pb) > 2 and pa[2] != pb[2])


# ---- cog versions --------------------------------------------------------------------------
def known_cog_versions() -> tuple[str, ...]:
    """The cog release lines pipelint has data for, oldest first (``("0.15", …, "0.23")``)."""
    return tuple(sorted(_top("cuda-matrix.json", "minors"), key=_sort_key))


def newest_cog_version() -> str:
    """The newest release line pipelint knows (the default of ``cog-version``)."""
    return known_cog_versions()[-1]


def resolve_cog_release(cog_version: str) -> str | None:
    """The release a ``cog-version`` stands for: ``"0.16"`` → ``"0.16.12"``, ``"0.16.3"`` → ``"0.16.3"``;
    ``"0.23"`` → ``"head"`` (the untagged snapshot HEAD); ``None`` when the data does not know it."""
    releases, minors = _top("cuda-matrix.json", "releases"), _top("cuda-matrix.json", "minors")
    text = str(cog_version).strip().lstrip("v")
    if text in releases:
        return text
    if text in minors:
        return minors[text]
    parts = _parts(text)
    if parts is not None and len(parts) == 2:
        return minors.get(f"{parts[0]}.{parts[1]}")
    return None


def cog_release(cog_version: str) -> dict[str, Any] | None:
    """Where the data of a cog version came from: ``{"release", "tag", "commit", "note"?}``."""
    release = resolve_cog_release(cog_version)
    if release is None:
        return None
    info = _top("cuda-matrix.json", "releases")[release]
    out = {"release": release, "tag": info["tag"], "commit": info["commit"]}
    if "note" in info:
        out["note"] = info["note"]
    return out


def _dataset(name: str, cog_version: str) -> dict[str, Any] | None:
    releases = _top(name, "releases")
    release = resolve_cog_release(cog_version)
    if release is None or release not in releases:
        return None
    return _member(name, "datasets", releases[release]["data"])


# ---- cog.yaml keys ---------------------------------------------------------------------------
def config_keys(cog_version: str, section: str = "") -> frozenset[str] | None:
    """The keys cog's JSON schema allows in one cog.yaml mapping: ``""`` (the root), ``"build"``,
    ``"concurrency"``, ``"build.run[]"`` (an object item of ``build.run``), ``"weights[]"``, …;
    ``None`` when that cog version or section is unknown."""
    data = _dataset("config-keys.json", cog_version)
    if data is None or section not in data["objects"]:
        return None
    return frozenset(data["objects"][section]["keys"])


def config_sections(cog_version: str) -> tuple[str, ...]:
    """Every mapping path the schema of that cog version describes (``""``, ``"build"``, …)."""
    data = _dataset("config-keys.json", cog_version)
    return tuple(sorted(data["objects"])) if data else ()


def config_key_types(cog_version: str, path: str) -> tuple[str, ...] | None:
    """The JSON types the schema allows for a key, e.g. ``config_key_types("0.23", "build.python_version")``
    → ``("number", "string")``; a list item's types are under ``"x[]"`` via ``config_item_types``."""
    data = _dataset("config-keys.json", cog_version)
    fact = data["keys"].get(path) if data else None
    return tuple(fact["types"]) if fact else None


def config_item_types(cog_version: str, path: str) -> tuple[str, ...] | None:
    """The JSON types the schema allows for the items of list key ``path`` (``"build.run"`` →
    ``("object", "string")``); ``None`` when the key is not a list or unknown."""
    data = _dataset("config-keys.json", cog_version)
    fact = data["keys"].get(path) if data else None
    return tuple(fact["item_types"]) if fact and "item_types" in fact else None


def config_key_fact(cog_version: str, path: str) -> dict[str, Any] | None:
    """Everything the schema says of one key: ``types``, and ``item_types``/``enum``/``pattern`` if any."""
    data = _dataset("config-keys.json", cog_version)
    fact = data["keys"].get(path) if data else None
    return dict(fact) if fact else None


def config_required(cog_version: str, section: str = "") -> tuple[str, ...]:
    """The keys a mapping must have (``config_required("0.23", "build")`` → ``("python_version",)``)."""
    data = _dataset("config-keys.json", cog_version)
    obj = data["objects"].get(section) if data else None
    return tuple(obj["required"]) if obj else ()


def config_mutually_exclusive(cog_version: str, section: str = "") -> tuple[str, ...]:
    """Keys that must not all be set together (``("predict", "run")`` at the root from 0.20)."""
    data = _dataset("config-keys.json", cog_version)
    obj = data["objects"].get(section) if data else None
    return tuple(obj.get("mutually_exclusive", ())) if obj else ()


def unknown_keys_rejected(cog_version: str, section: str = "") -> bool | None:
    """True when that cog version refuses an unknown key in ``section`` (≤0.16: the raw YAML is validated
    and the schema says ``additionalProperties: false`` — ``Additional property X is not allowed``);
    False when it is silently ignored (≥0.17: only the decoded struct is validated); None if unknown."""
    data = _dataset("config-keys.json", cog_version)
    if data is None or section not in data["objects"]:
        return None
    if data["unknown_keys"] != "rejected":
        return False
    return not data["objects"][section]["additional_properties"]


def decoded_keys(cog_version: str, section: str = "") -> frozenset[str] | None:
    """The keys cog's Go decoder keeps in a mapping (≥0.17, ``pkg/config/config_file.go``); a key the schema
    allows but the struct lacks (``concurrency.default_target``) is silently dropped. ``None`` before 0.17."""
    data = _dataset("config-keys.json", cog_version)
    decoded = data.get("decoded_keys") if data else None
    if decoded is None or section not in decoded:
        return None
    return frozenset(decoded[section])


def dropped_config_keys(cog_version: str) -> tuple[str, ...]:
    """Key paths the schema accepts but the Go struct does not keep (≥0.17), e.g. ``concurrency.default_target``."""
    data = _dataset("config-keys.json", cog_version)
    return tuple(data.get("schema_keys_not_decoded", ())) if data else ()


def removed_config_keys(cog_version: str) -> dict[str, tuple[str, str]]:
    """Key paths an earlier cog release's schema had and this one's lacks → (first, last release that had it),
    e.g. at 0.17: ``{"build.fast": ("0.13.…", "0.16.12"), …}``."""
    data = _dataset("config-keys.json", cog_version)
    if data is None:
        return {}
    return {path: (h["first"], h["last"]) for path, h in data["removed_keys"].items()}


# Keys old docs and tutorials used that no release schema ever had (cog's first schema is v0.0.19):
# scripts/regenerate_cog_data.py NOT_DERIVED explains why they are not in removed_keys. They were
# rejected as unknown keys up to 0.16 and are silently ignored from 0.17.
_PRE_SCHEMA_KEYS = {"command": "0.0.19", "build.environment": "0.0.19"}


def pre_schema_config_keys() -> dict[str, str]:
    """Key paths that were never in any cog release's JSON schema although old docs used them →
    the first release with a schema (``{"command": "0.0.19", "build.environment": "0.0.19"}``)."""
    return dict(_PRE_SCHEMA_KEYS)


def config_limits(cog_version: str) -> dict[str, Any]:
    """cog's constants for that version: ``minimum_python`` (``"3.8"`` ≤0.16, ``"3.10"`` ≥0.17),
    ``minimum_python_for_concurrency``, ``minimum_cuda_major``."""
    data = _dataset("config-keys.json", cog_version)
    return dict(data["limits"]) if data else {}


# ---- torch / CUDA / cuDNN ---------------------------------------------------------------------
def torch_matrix(cog_version: str) -> tuple[dict[str, Any], ...]:
    """cog's torch rows for that version (after cog drops rows whose CUDA has no base image): each
    ``{"torch", "torch_local", "torchvision", "torchaudio", "cuda" (None = CPU), "pythons", "index", "find_links"}``."""
    data = _dataset("cuda-matrix.json", cog_version)
    return tuple(data["torch"]) if data else ()


def torch_versions_in_matrix(cog_version: str) -> tuple[str, ...]:
    """The torch releases cog's matrix lists for that version, oldest first."""
    return tuple(sorted({row["torch"] for row in torch_matrix(cog_version)}, key=_sort_key))


def cuda_for_torch(cog_version: str, torch_version: str) -> tuple[str, ...]:
    """The CUDA versions cog associates with a torch pin, as cog's ``cudasFromTorch`` does: a ``+cuXYZ``
    local tag picks that CUDA when the matrix has it; otherwise every matrix CUDA whose torch matches
    (major.minor equal, patch when both have one: ``"2.1"`` matches 2.1.x). Ordered oldest→newest, so the
    last one is what cog picks when ``cuda`` is not set. Empty: cog doesn't know a CUDA for it."""
    rows = torch_matrix(cog_version)
    text = str(torch_version).strip()
    number, _, local = text.partition("+")
    if local.startswith("cu") and len(local) >= 4 and local[2:].isdigit():
        wanted = f"{local[2:-1]}.{local[-1]}"
        for row in rows:
            if row["cuda"] == wanted and _cog_matches(number, row["torch"]):
                return (wanted,)
    found = {row["cuda"] for row in rows if row["cuda"] is not None and _cog_matches(number, row["torch"])}
    return tuple(sorted(found, key=_sort_key))


def base_images(cog_version: str) -> tuple[dict[str, Any], ...]:
    """The nvidia/cuda base images cog knows for that version: ``{"tag", "cuda", "cudnn", "ubuntu", "devel"}``."""
    data = _dataset("cuda-matrix.json", cog_version)
    return tuple(data["base_images"]) if data else ()


def cuda_has_base_image(cog_version: str, cuda: str) -> bool | None:
    """Whether a ``build.cuda`` value finds a base image (cog's ``latestCuDNNForCUDA``: ``"11.8"`` matches
    11.8.0; ``"11.8.2"`` or ``"12.7"`` do not → ``CUDA … is not supported by Cog``). None: unknown version."""
    images = base_images(cog_version)
    if not images:
        return None
    return any(_cog_matches(str(cuda), image["cuda"]) for image in images)


def cudnn_for_cuda(cog_version: str, cuda: str) -> tuple[str, ...]:
    """The cuDNN versions a ``build.cudnn`` may name with that ``build.cuda``, as that cog version's
    ``compatibleCuDNNsForCUDA`` computes them: up to 0.21 the CUDA string must equal a base image's CUDA
    exactly (``"12.1"`` finds none when the images say ``12.1.1``), from 0.22 it matches by major.minor."""
    data = _dataset("cuda-matrix.json", cog_version)
    if data is None:
        return ()
    exact = data["cudnn_lookup"] == "exact"
    found = {image["cudnn"] for image in data["base_images"]
             if (image["cuda"] == str(cuda) if exact else _cog_matches(str(cuda), image["cuda"]))}
    return tuple(sorted(found, key=_sort_key))


def cudnn_lookup(cog_version: str) -> str | None:
    """``"exact"`` or ``"matches"``: how that cog version compares ``build.cuda`` with base-image CUDAs
    when it checks ``build.cudnn`` (see ``cudnn_for_cuda``)."""
    data = _dataset("cuda-matrix.json", cog_version)
    return data["cudnn_lookup"] if data else None


def base_image_cudnns(cog_version: str, cuda: str) -> tuple[str, ...]:
    """The cuDNN versions of the base images whose CUDA matches ``cuda`` by cog's ``version.Matches``
    (what the Dockerfile generator's ``cudaBaseImageFor`` looks up), oldest first."""
    found = {image["cudnn"] for image in base_images(cog_version) if _cog_matches(str(cuda), image["cuda"])}
    return tuple(sorted(found, key=_sort_key))


def base_image_cudas(cog_version: str) -> tuple[str, ...]:
    """Every CUDA version cog's base images provide for that cog version, oldest first."""
    return tuple(sorted({image["cuda"] for image in base_images(cog_version)}, key=_sort_key))


def latest_cudnn_for_cuda(cog_version: str, cuda: str) -> str | None:
    """The cuDNN cog picks when ``cudnn`` is not set (the newest among matching base images), or None."""
    found = {image["cudnn"] for image in base_images(cog_version) if _cog_matches(str(cuda), image["cuda"])}
    return max(found, key=_sort_key) if found else None


def default_cuda(cog_version: str) -> str | None:
    """The CUDA cog uses for a GPU model with neither torch nor TensorFlow pinned (``"11.8"``)."""
    data = _dataset("cuda-matrix.json", cog_version)
    return data["default_cuda"] if data else None


def tensorflow_cuda(cog_version: str, tf_version: str) -> tuple[str, str] | None:
    """(CUDA major.minor, cuDNN major) cog's TensorFlow matrix gives an exact ``tensorflow==`` pin, or None."""
    data = _dataset("cuda-matrix.json", cog_version)
    for row in data["tensorflow"] if data else ():
        if row["tf"] == str(tf_version).strip():
            return row["cuda"], row["cudnn"]
    return None


# ---- torch / torchvision / torchaudio wheels -------------------------------------------------
class TorchWheels(NamedTuple):
    """Which CPython versions a torch-family release has Linux x86_64 wheels for on PyPI."""

    pythons: tuple[str, ...]  # CPython versions with a cpXY wheel ("3.10", …)
    free_threaded: tuple[str, ...]  # free-threaded builds ("3.13t", …)
    any_python3: str | None  # a py3-none wheel exists: its Requires-Python ("" when it has none)


TORCH_PACKAGES = ("torch", "torchaudio", "torchvision")


def _norm(package: str) -> str:
    return str(package).strip().lower().replace("_", "-")


def _norm_release(version: str) -> str:
    return str(version).strip().split("+", 1)[0]


def torch_releases(package: str) -> tuple[str, ...]:
    """Every release of ``torch``/``torchvision``/``torchaudio`` pipelint has wheel data for, oldest first
    (from torch 1.8, torchvision 0.9, torchaudio 0.8)."""
    packages = _top("torch-wheels.json", "packages")
    info = packages.get(_norm(package))
    return tuple(sorted(info["releases"], key=_sort_key)) if info else ()


def torch_python_versions(package: str, version: str) -> TorchWheels | None:
    """The Linux x86_64 wheels of one release (``+cu118`` local tags are ignored: PyPI has no such
    files), or None when the release is not in the data (unknown, older than the floor, or no Linux wheel)."""
    info = _top("torch-wheels.json", "packages").get(_norm(package))
    row = info["releases"].get(_norm_release(version)) if info else None
    if row is None:
        return None
    any3 = row.get("any_python3")
    return TorchWheels(tuple(row["pythons"]), tuple(row["free_threaded"]),
                       None if any3 is None else (any3.get("requires_python") or ""))


def torch_has_wheel(package: str, version: str, python: str) -> bool | None:
    """Whether pip finds a Linux x86_64 wheel of ``package==version`` for CPython ``python`` (``"3.12"``;
    ``"3.13t"`` for a free-threaded build). None when the release is unknown to the data."""
    wheels = torch_python_versions(package, version)
    if wheels is None:
        return None
    py = str(python).strip()
    if py in wheels.pythons or py in wheels.free_threaded:
        return True
    if wheels.any_python3 is not None and not py.endswith("t"):
        if not wheels.any_python3:
            return True
        from_spec = _requires_python_admits(wheels.any_python3, py)
        return True if from_spec is None else from_spec
    return False


def _requires_python_admits(spec: str, python: str) -> bool | None:
    """A small reading of ``>=3.10``/``<3.14``/``,``-joined clauses; None when a clause is not understood."""
    target = _parts(python)
    if target is None:
        return None
    for clause in spec.split(","):
        clause = clause.strip()
        for op in (">=", "<=", "==", "!=", ">", "<"):
            if clause.startswith(op):
                bound = _parts(clause[len(op):].strip().rstrip(".*"))
                if bound is None:
                    return None
                t = target[: len(bound)]
                ok = {">=": t >= bound, "<=": t <= bound, "==": t == bound, "!=": t != bound,
                      ">": t > bound, "<": t < bound}[op]
                if not ok:
                    return False
                break
        else:
            if clause:
                return None
    return True


def torch_pair_spec(package: str, version: str) -> str | None:
    """The ``Requires-Dist: torch`` specifier in a torchvision/torchaudio release's METADATA
    (``"==2.5.1"``, ``">=2.14.0"``), or None when unknown or it names no torch."""
    pairs = _top("torch-wheels.json", "torch_pairs").get(_norm(package), {})
    entry = pairs.get(_norm_release(version))
    return entry["requires_torch"] if entry else None


def torch_pair(package: str, version: str) -> str | None:
    """The torch release a torchvision/torchaudio release belongs with: its METADATA's exact
    ``torch==X`` pin; else (no exact pin: torchvision ≥0.29.1, torchaudio 2.11.x) the pairing of cog's
    newest torch matrix; None when neither source knows. Use ``torch_pair_spec`` for the raw specifier."""
    pkg = _norm(package)
    pairs = _top("torch-wheels.json", "torch_pairs").get(pkg)
    if pairs is None:
        return None
    release = _norm_release(version)
    entry = pairs.get(release)
    if entry and entry["torch"]:
        return entry["torch"]
    found = {row["torch"] for row in torch_matrix(newest_cog_version()) if row.get(pkg) == release}
    return max(found, key=_sort_key) if len(found) == 1 else None


# ---- what `cog` exports -----------------------------------------------------------------------
class CogPackage(NamedTuple):
    """What ``from cog import X`` / ``import cog.X`` reach in one ``cog`` package."""

    importable: frozenset[str]  # names bound in cog/__init__.py, lazily served names, direct submodules
    all: tuple[str, ...]  # cog/__init__.py's __all__ (the intended API)
    lazy: tuple[str, ...]  # names served by a module __getattr__ (deprecated shims)
    submodules: frozenset[str]  # every module under cog ("cog.types", "cog.server.http", …)
    source: str  # where it was read


def _package(facts: dict[str, Any], source: str) -> CogPackage:
    return CogPackage(frozenset(facts["importable_from_package"]), tuple(facts["all"] or ()),
                      tuple(facts["lazy"]), frozenset(facts["submodules"]), source)


def coglet_cog_exports() -> CogPackage:
    """The ``cog`` package of coglet 0.1.0a31, the pipeline runtime (replicate/cog-runtime tag
    v0.1.0-alpha31): importing anything else from it fails (``cannot import name 'X' from 'cog'``)."""
    data = _top("coglet-cog-exports.json", "coglet")
    return _package(data, f"{data['repository']}@{data['tag']} ({data['commit'][:12]})")


def coglet_module_names(module: str) -> frozenset[str] | None:
    """Top-level names one coglet ``cog`` submodule binds (``"cog.server"``), or None if it does not exist."""
    facts = _top("coglet-cog-exports.json", "coglet")["modules"].get(module)
    return frozenset(facts["bound"]) | frozenset(facts["lazy"]) if facts is not None else None


def cog_sdk_exports(version: str | None = None) -> CogPackage | None:
    """The cog SDK's ``cog`` package of a cog release line (default: the newest). The newest line is read
    from the cog 0.23.1 SDK wheel; older lines from ``python/cog`` at their newest release tag
    (an exact release such as ``"0.16.3"`` answers with its line's newest release). None if unknown."""
    wheel = _top("coglet-cog-exports.json", "sdk_wheel")
    newest = newest_cog_version()
    text = newest if version is None else str(version).strip().lstrip("v")
    parts = _parts(text)
    if parts is None or len(parts) < 2:
        return None
    minor = f"{parts[0]}.{parts[1]}"
    if minor == newest:
        return _package(wheel, wheel["requirement"])
    facts = _top("coglet-cog-exports.json", "sdk").get(minor)
    if facts is None:
        return None
    return _package(facts, f"replicate/cog v{facts['release']}")


def cog_sdk_name_history(name: str) -> tuple[tuple[str, str], ...]:
    """The runs of consecutive cog releases whose ``cog/__init__.py`` bound ``name``, as (first, last) pairs:
    ``"Predictor"`` → ``(("0.0.5", "0.1.1"),)``; ``"emit_metric"`` → ``(("0.13.4", "0.13.7"), ("0.17.0", "0.23.1"))``.
    A last release older than the newest SDK means it is gone. Empty: no release ever had it."""
    entry = _top("coglet-cog-exports.json", "sdk_history")["names"].get(name)
    return tuple((a, b) for a, b in entry["ranges"]) if entry else ()


def cog_sdk_module_history(module: str) -> tuple[tuple[str, str], ...]:
    """Like ``cog_sdk_name_history`` for a module path (``"cog.server.worker"`` → ``(("0.5.0", "0.16.12"),)``;
    ``"cog.input"`` has two runs: the 0.0.x decorator module and the 0.17+ ``Input`` module)."""
    entry = _top("coglet-cog-exports.json", "sdk_history")["modules"].get(module)
    return tuple((a, b) for a, b in entry["ranges"]) if entry else ()


def removed_cog_names() -> dict[str, Any]:
    """What the newest SDK lost compared with 0.16: ``{"names", "submodules", "deprecated_shims", …}``."""
    return dict(_top("coglet-cog-exports.json", "removed_since_baseline"))


# ---- import name → distribution --------------------------------------------------------------
def distributions_for_import(name: str) -> tuple[str, ...]:
    """The distributions (normalised PyPI names) that provide an import, from the real wheels' RECORD:
    ``"cv2"`` → ``("opencv-contrib-python", "opencv-python", "opencv-python-headless")``. A dotted name is
    looked up whole, then by its prefixes (``"google.protobuf.message"`` → ``("protobuf",)``,
    ``"PIL.Image"`` → ``("pillow",)``). Empty: the module is unknown — never "missing"."""
    imports = _top("import-distributions.json", "imports")
    parts = str(name).strip().split(".")
    for n in range(len(parts), 0, -1):
        found = imports.get(".".join(parts[:n]))
        if found:
            return tuple(found)
    return ()


def imports_of_distribution(distribution: str) -> tuple[str, ...]:
    """The import names one distribution provides (``"pillow"`` → ``("PIL",)``), or () if unknown."""
    entry = _top("import-distributions.json", "distributions").get(_norm(distribution))
    return tuple(entry["imports"]) if entry else ()


def known_import_names() -> frozenset[str]:
    """Every import name the map knows."""
    return frozenset(_top("import-distributions.json", "imports"))


class Installed(NamedTuple):
    """What a plain ``pip install`` of some distributions brings, as far as the data knows."""

    distributions: frozenset[str]  # the listed ones and everything they require, transitively
    unknown: frozenset[str]  # listed or reached distributions whose own requirements are not in the data


def installed_with(distributions, python_version: str | None = None) -> Installed:
    """The transitive closure of ``distributions`` over the Requires-Dist data of
    ``import-distributions.json`` (extras left out; a marker is evaluated for Linux x86_64 and
    ``python_version`` when given, else kept when it holds for any interpreter a cog image runs)."""
    return _installed_with(frozenset(_norm(d) for d in distributions), python_version or "")


# The interpreters a cog image may run (cog 0.17+: 3.10-3.13; older releases down to 3.8).
IMAGE_PYTHONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13")


def image_environments(python_version: str | None = None) -> list[dict[str, str]]:
    """PEP 508 marker environments of a cog image (Linux x86_64, CPython): for ``python_version``,
    else one per interpreter an image may run. The regenerator follows dependencies with them too."""
    return [{"python_version": v, "python_full_version": f"{v}.0", "sys_platform": "linux",
             "platform_system": "Linux", "platform_machine": "x86_64", "os_name": "posix",
             "implementation_name": "cpython", "platform_python_implementation": "CPython", "extra": ""}
            for v in ([python_version] if python_version else IMAGE_PYTHONS)]


@lru_cache(maxsize=64)
def _installed_with(start: frozenset[str], python_version: str) -> Installed:
    from packaging.requirements import InvalidRequirement, Requirement

    data = _top("import-distributions.json", "distributions")
    envs = image_environments(python_version or None)
    seen, unknown, todo = set(), set(), list(start)
    while todo:
        dist = todo.pop()
        if dist in seen:
            continue
        seen.add(dist)
        entry = data.get(dist)
        if entry is None or str(entry.get("requires_from", "")).startswith("not read"):
            unknown.add(dist)
            continue
        for text in entry.get("requires", ()):
            try:
                req = Requirement(text)
            except InvalidRequirement:
                continue
            if req.marker is None or any(req.marker.evaluate(env) for env in envs):
                todo.append(_norm(req.name))
    return Installed(frozenset(seen), frozenset(unknown))


@lru_cache(maxsize=1)
def dependency_distributions() -> frozenset[str]:
    """Every distribution that some distribution of the data requires (by default, on some interpreter):
    the ones that may arrive without being listed."""
    from packaging.requirements import InvalidRequirement, Requirement

    out = set()
    for entry in _top("import-distributions.json", "distributions").values():
        for text in entry.get("requires", ()):
            try:
                out.add(_norm(Requirement(text).name))
            except InvalidRequirement:
                continue
    return frozenset(out)


# ---- environment ------------------------------------------------------------------------------
def environment_deny_list(cog_version: str) -> tuple[str, ...]:
    """The names that cog release refuses in cog.yaml's ``environment`` (an entry ending in ``*`` is a
    prefix), from its ``pkg/config/env.go`` ``environmentVariableDenyList`` (config-keys.json); empty
    for a release without one."""
    data = _dataset("config-keys.json", cog_version)
    return tuple(data.get("environment_deny_list", ())) if data else ()


def reserved_environment_pattern(name: str, cog_version: str) -> str | None:
    """The deny-list entry (``"CUDA_*"``, ``"PATH"``) that makes ``name`` a name cog refuses, or None
    (cog's ``validateEnvName``: an exact match, or the prefix before a trailing ``*``)."""
    for pattern in environment_deny_list(cog_version):
        if pattern == name or (pattern.endswith("*") and name.startswith(pattern[:-1])):
            return pattern
    return None


def sdk_dependencies(cog_version: str) -> tuple[str, ...]:
    """The cog SDK's own requirements in that release (its pyproject.toml ``[project].dependencies``,
    e.g. ``"requests>=2.25.0"``), which every image of it installs; empty when unknown."""
    data = _dataset("config-keys.json", cog_version)
    return tuple(data.get("sdk_dependencies", ())) if data else ()


def sdk_requirements(cog_version: str) -> tuple:
    """``sdk_dependencies`` parsed: ``packaging`` Requirements (an unparsable entry left out)."""
    from packaging.requirements import InvalidRequirement, Requirement

    out = []
    for text in sdk_dependencies(cog_version):
        try:
            out.append(Requirement(text))
        except InvalidRequirement:
            continue
    return tuple(out)
