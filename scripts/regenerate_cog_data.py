#!/usr/bin/env python3
"""Regenerate the cog-target data pipelint ships in ``pipelint/data/cog/`` from real sources.

What is derived from what (the manifest ``scripts/cog-sources.json`` records every input: the
repository, tag, commit and sha256 of each git blob read, and the PyPI file names with their sha256):

* ``cuda-matrix.json`` — per cog release, cog's torch→CUDA matrix, its TensorFlow matrix and its
  CUDA/cuDNN base-image list, reshaped into pipelint's format: read from cog's own embedded JSON
  files (``pkg/config/torch_compatibility_matrix.json``/``cuda_base_images.json``/
  ``tf_compatibility_matrix.json`` up to 0.16, ``torch_compatibility.json``/
  ``cuda_compatibility.json``/``tf_compatibility.json`` from 0.17) plus three facts read from
  ``pkg/config/compatibility.go`` (the default CUDA, whether a cuDNN lookup compares the CUDA
  exactly or by major.minor, and that matrix rows whose CUDA has no base image are dropped).
* ``config-keys.json`` — per cog release, every cog.yaml key of cog's JSON schema
  (``pkg/config/data/config_schema_v1.0.json``) with its JSON types, nested objects and their
  ``additionalProperties``/``required``; whether unknown keys are rejected (the raw YAML is
  converted with ``yaml.YAMLToJSON`` and validated: ≤0.16) or silently ignored (only the decoded
  Go struct is validated: ≥0.17); the keys the Go struct decodes (``pkg/config/config_file.go``,
  ≥0.17); the Python/CUDA minimums of ``pkg/config/config.go``; and keys removed since an earlier
  release (every release tag from the first one with the schema file).
* ``coglet-cog-exports.json`` — the names and submodules of the ``cog`` package of coglet
  0.1.0a31 (replicate/cog-runtime tag v0.1.0-alpha31, ``python/cog/``), of the cog SDK of each
  cog release (replicate/cog ``python/cog/``) and of the cog 0.23.1 SDK wheel from PyPI, read
  with ``ast`` (never imported).
* ``torch-wheels.json`` — for each torch/torchvision/torchaudio release from 1.8/0.9/0.8 on, the
  CPython versions with a Linux x86_64 wheel (from the wheel file names PyPI's simple index lists),
  and the torch release each torchvision/torchaudio release requires (the ``Requires-Dist: torch``
  pin in the METADATA of one of its Linux wheels).
* ``import-distributions.json`` — import name → distributions, from the top-level entries of the
  RECORD of the real wheels of the packages ordinary cog models use most (the list, with the reason
  for each, is ``IMPORT_PACKAGES`` below and is copied into the manifest).

Offline (no flags) the script re-derives ``torch-wheels.json`` and ``import-distributions.json``
from the manifest, and checks that the three git-derived files are the ones the manifest recorded
(sha256 of their content, and the tags/commits they name). ``--cog-repo``/``--cog-runtime-repo``
(bare git dirs, e.g. from the search tool's ``fetch``) re-read those repositories; ``--download``
re-reads PyPI (index listings and the wheels) and refreshes the manifest. ``--check`` writes
nothing and exits 1 if any file would change. Output is sorted, stable JSON.

    python scripts/regenerate_cog_data.py --check                       # offline, as CI runs it
    python scripts/regenerate_cog_data.py --cog-repo /work/.mirror/replicate+cog/repo \\
        --cog-runtime-repo /work/.mirror/replicate+cog-runtime/repo --download
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "pipelint" / "data" / "cog"
MANIFEST = REPO / "scripts" / "cog-sources.json"
CUDA_MATRIX = DATA / "cuda-matrix.json"
CONFIG_KEYS = DATA / "config-keys.json"
EXPORTS = DATA / "coglet-cog-exports.json"
TORCH_WHEELS = DATA / "torch-wheels.json"
IMPORTS = DATA / "import-distributions.json"

COG_REPO_NAME = "replicate/cog"
COG_RUNTIME_REPO_NAME = "replicate/cog-runtime"
COGLET_TAG = "v0.1.0-alpha31"
FIRST_MINOR = (0, 15)  # the oldest cog release line pipelint knows (pipelines are pushed by 0.15–0.16)
COG_SDK_WHEEL = ("cog", "0.23.1")  # newer than the snapshot's newest tag; its SDK is read from the wheel
SDK_BASELINE = "0.16"  # CG305/CG306: names the current SDK no longer has, compared with this line

# torch/torchvision/torchaudio: first release pipelint keeps, and the torch pairing's source.
TORCH_FLOORS = {"torch": "1.8.0", "torchvision": "0.9.0", "torchaudio": "0.8.0"}
WHEEL_SIZE_LIMIT = 500 * 1024 * 1024
IMPORT_PYTHON = "cp312"  # the wheel flavour read for the import map (top-level names do not vary)

# What ordinary cog models import, and why each is on the list. The choice follows issue 15 item 4
# and what cog's own examples, docs and the sampled public cog models (cog-evidence.md §3) import;
# it was not measured over a corpus.
IMPORT_PACKAGES = {
    "accelerate": "Hugging Face model loading (device_map) in diffusers/transformers predictors",
    "basicsr": "restoration backbone behind GFPGAN/Real-ESRGAN face and upscaler models",
    "beautifulsoup4": "import name bs4 differs from the distribution; web-scraping helpers in LLM tools",
    "bitsandbytes": "8-bit/4-bit quantised LLM predictors",
    "diffusers": "the library of most image/video generation predictors (SD, SDXL, Flux)",
    "einops": "tensor reshaping in research-code predictors",
    "facexlib": "face detection used by GFPGAN/CodeFormer models",
    "ffmpeg-python": "import name ffmpeg differs from the distribution; audio/video models",
    "gfpgan": "face restoration models, a classic early Replicate model family",
    "huggingface-hub": "import name huggingface_hub; weight downloads in setup()",
    "imageio": "video/GIF output writing",
    "insightface": "face analysis/swap models (InstantID, IP-Adapter FaceID)",
    "librosa": "audio feature extraction in speech/music models",
    "numpy": "used by nearly every model",
    "omegaconf": "config loading in research-code predictors (LDM, SD 1.x)",
    "onnxruntime": "ONNX inference (background removal, face models)",
    "onnxruntime-gpu": "GPU build of onnxruntime: same import name, other distribution",
    "openai-whisper": "import name whisper differs from the distribution; speech-to-text models",
    "opencv-contrib-python": "cv2 with contrib modules: a second distribution of cv2",
    "opencv-python": "import name cv2 differs from the distribution; image pre/post-processing",
    "opencv-python-headless": "cv2 without GUI libs, the variant that works without libGL",
    "peft": "LoRA loading in diffusers/transformers predictors",
    "pillow": "import name PIL differs from the distribution; image inputs/outputs",
    "protobuf": "import name google.protobuf; pulled in by sentencepiece/ONNX tooling",
    "python-dotenv": "import name dotenv differs from the distribution",
    "pyyaml": "import name yaml differs from the distribution; config files",
    "realesrgan": "upscaler models (Real-ESRGAN)",
    "replicate": "models that call other models (replicate.run)",
    "requests": "HTTP downloads of weights and input URLs",
    "safetensors": "weight loading in diffusers/transformers predictors",
    "scikit-image": "import name skimage differs from the distribution",
    "scikit-learn": "import name sklearn differs from the distribution",
    "scipy": "signal/image utilities, audio resampling",
    "sentencepiece": "tokenizers of T5/LLaMA-family models",
    "soundfile": "audio file input/output",
    "timm": "vision backbones (ControlNet annotators, segmentation)",
    "tokenizers": "fast tokenizers behind transformers",
    "torch": "the framework of nearly every GPU cog model (cog resolves CUDA from its pin)",
    "torchaudio": "audio models next to torch",
    "torchvision": "image models next to torch (replicate/cog#1821: forgotten in requirements)",
    "tqdm": "progress bars in download and sampling loops",
    "transformers": "LLM, captioning and text-encoder predictors",
    "vllm": "LLM server predictors",
    "xformers": "memory-efficient attention in diffusion predictors",
}


# ---- small helpers ---------------------------------------------------------------------------
def dumps(obj) -> str:
    return json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=True) + "\n"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def vkey(text: str) -> tuple:
    """A sort key for dotted versions with an optional local part (``2.5.1+cu124``)."""
    from packaging.version import InvalidVersion, Version

    try:
        return (0, Version(text))
    except InvalidVersion:
        return (1, text)


class Git:
    """Read-only access to a bare git directory (``git --git-dir=… show REV:path``)."""

    def __init__(self, git_dir: Path):
        self.git_dir = str(git_dir)

    def _run(self, *args: str) -> bytes:
        done = subprocess.run(["git", "--git-dir", self.git_dir, *args], capture_output=True)
        if done.returncode:
            raise FileNotFoundError(done.stderr.decode(errors="replace").strip())
        return done.stdout

    def commit(self, rev: str) -> str:
        return self._run("rev-parse", f"{rev}^{{commit}}").decode().strip()

    def tags(self) -> list[str]:
        return self._run("tag", "--list").decode().split()

    def show(self, rev: str, path: str) -> bytes | None:
        try:
            return self._run("show", f"{rev}:{path}")
        except FileNotFoundError:
            return None

    def ls(self, rev: str, path: str) -> list[str]:
        out = self._run("ls-tree", "-r", "--name-only", rev, "--", path).decode()
        return sorted(line for line in out.splitlines() if line)


class Reader:
    """Records the sha256 of every blob it reads, per release, for the manifest."""

    def __init__(self, git: Git):
        self.git = git
        self.blobs: dict[str, dict[str, str]] = {}

    def read(self, release: str, rev: str, path: str) -> bytes | None:
        data = self.git.show(rev, path)
        if data is not None:
            self.blobs.setdefault(release, {})[path] = sha256(data)
        return data


def release_tags(git: Git) -> dict[str, str]:
    """Final release tags ``vX.Y.Z`` → version ``X.Y.Z``."""
    out = {}
    for tag in git.tags():
        m = re.fullmatch(r"v(\d+)\.(\d+)\.(\d+)", tag)
        if m:
            out[tag] = ".".join(m.groups())
    return dict(sorted(out.items(), key=lambda kv: vkey(kv[1])))


def cog_releases(git: Git) -> dict[str, dict]:
    """The releases pipelint knows: every final tag from 0.15 on, plus the snapshot's HEAD.

    HEAD is listed as release ``head`` and as the next minor after the newest tag: at the time of
    writing the snapshot's newest tag is v0.22.0 and HEAD is the start of the 0.23 line (cog 0.23.1
    exists on PyPI; its SDK wheel is compared with HEAD's ``python/cog`` in the exports file).
    """
    releases = {}
    for tag, version in release_tags(git).items():
        major, minor, _ = (int(x) for x in version.split("."))
        if (major, minor) >= FIRST_MINOR:
            releases[version] = {"tag": tag, "rev": tag, "commit": git.commit(tag)}
    newest = max(releases, key=vkey)
    head = git.commit("HEAD")
    if head != releases[newest]["commit"]:
        major, minor, _ = (int(x) for x in newest.split("."))
        releases["head"] = {"tag": None, "rev": head, "commit": head,
                            "minor": f"{major}.{minor + 1}",
                            "note": f"untagged HEAD of the snapshot, after v{newest}; no v{major}.{minor + 1} "
                                    "tag exists in it, so this stands for that release line"}
    return releases


def minor_of(version: str, info: dict) -> str:
    return info.get("minor") or ".".join(version.split(".")[:2])


def minors_index(releases: dict) -> dict[str, str]:
    """minor → the newest release of that line (what ``cog-version = "0.16"`` means)."""
    groups: dict[str, list[str]] = {}
    for version, info in releases.items():
        groups.setdefault(minor_of(version, info), []).append(version)
    return {minor: max(versions, key=lambda v: (v != "head", vkey(v)))
            for minor, versions in sorted(groups.items(), key=lambda kv: vkey(kv[0]))}


def dedupe(per_release: dict[str, dict]) -> tuple[dict, dict]:
    """Identical datasets are stored once, named after the first release that has them."""
    datasets: dict[str, dict] = {}
    names: dict[str, str] = {}
    index = {}
    order = sorted(per_release, key=lambda v: (v == "head", vkey(v)))
    for version in order:
        text = dumps(per_release[version])
        if text not in names:
            names[text] = version
            datasets[version] = per_release[version]
        index[version] = names[text]
    return datasets, index


def release_entries(releases: dict, index: dict) -> dict:
    return {v: {"commit": info["commit"], "tag": info["tag"], "data": index[v],
                **({"note": info["note"]} if info.get("note") else {})}
            for v, info in releases.items()}


# ---- cuda-matrix.json ------------------------------------------------------------------------
def cuda_matches(a: str, b: str) -> bool:
    """cog's version.Matches: same major and minor; patch compared only when both have one."""
    pa, pb = a.split("+")[0].split("."), b.split("+")[0].split(".")
    if pa[:2] != pb[:2] or len(pa) < 2 or len(pb) < 2:
        return False
    return not (len(pa) > 2 and len(pb) > 2 and pa[2] != pb[2])


def major_minor(v: str) -> str:
    return ".".join(v.split(".")[:2])


def index_variant(url: str | None) -> str | None:
    """``…/whl/cu118/`` → ``cu118``; ``…/whl/cu111/torch_stable.html`` → ``cu111`` (no host is kept)."""
    if not url:
        return None
    parts = [p for p in url.split("/") if p and not p.endswith(".html")]
    return parts[-1] if parts else None


def go_function(source: str, name: str) -> str:
    m = re.search(r"^func " + re.escape(name) + r"\(.*?^}", source, re.S | re.M)
    return m.group(0) if m else ""


def cuda_dataset(reader: Reader, version: str, rev: str) -> dict:
    def load(*names: str):
        for n in names:
            data = reader.read(version, rev, f"pkg/config/{n}")
            if data is not None:
                return json.loads(data)
        raise SystemExit(f"cog {version}: none of {names} in pkg/config")

    torch_raw = load("torch_compatibility.json", "torch_compatibility_matrix.json")
    images_raw = load("cuda_compatibility.json", "cuda_base_images.json")
    tf_raw = load("tf_compatibility.json", "tf_compatibility_matrix.json")
    go = (reader.read(version, rev, "pkg/config/compatibility.go") or b"").decode()

    images = sorted(({"tag": i["Tag"], "cuda": i["CUDA"], "cudnn": i["CuDNN"], "ubuntu": i["Ubuntu"],
                      "devel": bool(i["IsDevel"])} for i in images_raw),
                    key=lambda i: (vkey(i["cuda"]), vkey(i["cudnn"]), i["ubuntu"], i["tag"]))
    image_cudas = sorted({i["cuda"] for i in images}, key=vkey)
    # compatibility.go init(): a torch row whose CUDA matches no base image is dropped.
    filters = "filteredTorchCompatibilityMatrix" in go
    torch_rows, dropped = [], []
    for row in torch_raw:
        torch_v, _, local = row["Torch"].partition("+")
        entry = {
            "torch": torch_v, "torch_local": local or None,
            "torchvision": (row.get("Torchvision") or "").split("+")[0] or None,
            "torchaudio": (row.get("Torchaudio") or "").split("+")[0] or None,
            "cuda": row["CUDA"], "pythons": sorted(row.get("Pythons") or [], key=vkey),
            "index": index_variant(row.get("ExtraIndexURL")), "find_links": index_variant(row.get("FindLinks")),
        }
        if filters and row["CUDA"] is not None and not any(cuda_matches(row["CUDA"], c) for c in image_cudas):
            dropped.append({"torch": torch_v, "cuda": row["CUDA"]})
            continue
        torch_rows.append(entry)
    torch_rows.sort(key=lambda e: (vkey(e["torch"]), e["cuda"] is not None, vkey(e["cuda"] or "0")))
    dropped.sort(key=lambda e: (vkey(e["torch"]), vkey(e["cuda"])))
    torch_cudas: dict[str, list[str]] = {}
    for e in torch_rows:
        cudas = torch_cudas.setdefault(e["torch"], [])
        if e["cuda"] is not None and e["cuda"] not in cudas:
            cudas.append(e["cuda"])
    tf_rows = sorted(({"tf": r["TF"], "cuda": major_minor(r["CUDA"]), "cudnn": r["CuDNN"].split(".")[0],
                       "cpu_package": r["TFCPUPackage"], "gpu_package": r["TFGPUPackage"],
                       "pythons": sorted(r.get("Pythons") or [], key=vkey)} for r in tf_raw),
                     key=lambda r: (vkey(r["tf"]), vkey(r["cuda"])))
    default = re.search(r'func defaultCUDA\(\) string \{[^}]*?return "([^"]+)"', go, re.S)
    cudnn_fn = go_function(go, "compatibleCuDNNsForCUDA")
    if "image.CUDA == cuda" in cudnn_fn:
        cudnn_lookup = "exact"
    elif "version.Matches(cuda, image.CUDA)" in cudnn_fn:
        cudnn_lookup = "matches"
    else:
        cudnn_lookup = None
    cudnn_by_cuda: dict[str, list[str]] = {}
    for i in images:
        cudnn_by_cuda.setdefault(i["cuda"], [])
        if i["cudnn"] not in cudnn_by_cuda[i["cuda"]]:
            cudnn_by_cuda[i["cuda"]].append(i["cudnn"])
    return {
        "base_images": images,
        "cudnn_by_cuda": {c: sorted(v, key=vkey) for c, v in cudnn_by_cuda.items()},
        "cudnn_lookup": cudnn_lookup,
        "default_cuda": default.group(1) if default else None,
        "tensorflow": tf_rows,
        "torch": torch_rows,
        "torch_cudas": {t: sorted(c, key=vkey) for t, c in torch_cudas.items()},
        "torch_rows_dropped_without_base_image": dropped,
    }


CUDA_ABOUT = (
    "cog's torch/TensorFlow -> CUDA matrices and CUDA/cuDNN base images per cog release, re-derived from cog's "
    "embedded JSON (pkg/config/*compatibility*.json, cuda_base_images.json) and pkg/config/compatibility.go by "
    "scripts/regenerate_cog_data.py; sources and blob hashes in scripts/cog-sources.json. Semantics (as cog "
    "applies them): a torch pin matches a row when major.minor are equal and, when both have one, the patch; "
    "rows whose CUDA has no base image are dropped (listed under torch_rows_dropped_without_base_image); with "
    "no cuda set cog picks the newest of torch_cudas; cudnn_lookup 'exact' compares the cuda string to the base "
    "image's CUDA verbatim (so '12.1' finds no cuDNN when the images say '12.1.1'), 'matches' uses the rule "
    "above. index/find_links: the PyTorch wheel index variant cog adds for the row (the last path segment of cog's "
    "ExtraIndexURL/FindLinks: cpu, cu118, ...; 'whl' is the page listing every variant). 'releases' maps every cog release to its dataset, 'minors' maps a release line to its newest release.")


def build_cuda_matrix(reader: Reader, releases: dict) -> dict:
    per = {v: cuda_dataset(reader, v, info["rev"]) for v, info in releases.items()}
    datasets, index = dedupe(per)
    return {"about": CUDA_ABOUT, "datasets": datasets, "minors": minors_index(releases),
            "releases": release_entries(releases, index), "repository": COG_REPO_NAME}


# ---- config-keys.json ------------------------------------------------------------------------
def resolve_ref(node: dict, root: dict) -> dict:
    """A ``{"$ref": "#/…"}`` node merged with the definition it points at."""
    if "$ref" not in node:
        return node
    target = root
    for part in node["$ref"].lstrip("#/").split("/"):
        target = target.get(part, {})
    return {**resolve_ref(target, root), **{k: v for k, v in node.items() if k != "$ref"}}


def schema_types(node: dict, root: dict) -> list[str]:
    node = resolve_ref(node, root)
    t = node.get("type")
    types = [t] if isinstance(t, str) else list(t or [])
    for key in ("anyOf", "oneOf"):
        for alt in node.get(key, []):
            types += schema_types(alt, root)
    return sorted(set(types))


def walk_schema(node: dict, path: str, root: dict, keys: dict, objects: dict) -> None:
    """Flatten a JSON schema into ``keys`` (dotted path → facts) and ``objects`` (path → members)."""
    node = resolve_ref(node, root)
    alts = [node] + [a for k in ("anyOf", "oneOf") for a in node.get(k, [])]
    for alt in alts:
        if alt is not node and "$ref" in alt:
            walk_schema(alt, path, root, keys, objects)
            continue
        props = alt.get("properties")
        if props is not None:
            obj = objects.setdefault(path, {"additional_properties": True, "keys": [], "required": []})
            obj["additional_properties"] = alt.get("additionalProperties", True) is not False
            obj["keys"] = sorted(set(obj["keys"]) | set(props))
            obj["required"] = sorted(set(obj["required"]) | set(alt.get("required", [])))
            if "not" in alt and "required" in alt["not"]:
                obj["mutually_exclusive"] = sorted(alt["not"]["required"])
            for name, sub in props.items():
                sub_path = f"{path}.{name}" if path else name
                fact = {"types": schema_types(sub, root)}
                for extra in ("enum", "pattern"):
                    if extra in sub:
                        fact[extra] = sub[extra]
                if "items" in sub:
                    fact["item_types"] = schema_types(sub["items"], root)
                keys[sub_path] = fact
                walk_schema(sub, sub_path, root, keys, objects)
        if "items" in alt and isinstance(alt["items"], dict):
            walk_schema(alt["items"], f"{path}[]", root, keys, objects)


def go_structs(source: str) -> dict[str, list[tuple[str, str]]]:
    """``type X struct {…}`` → [(yaml key, Go type)] for fields with a yaml tag."""
    out = {}
    for m in re.finditer(r"^type (\w+) struct \{(.*?)^\}", source, re.S | re.M):
        fields = []
        for fm in re.finditer(r"^\s+\w+\s+([\w\[\]\*\.]+)\s+`[^`]*yaml:\"([^\",]+)", m.group(2), re.M):
            fields.append((fm.group(2), fm.group(1)))
        out[m.group(1)] = fields
    return out


def decoded_keys(go: str) -> dict[str, list[str]] | None:
    """The cog.yaml keys the Go decoder keeps (≥0.17 ``configFile``), by object path."""
    structs = go_structs(go)
    if "configFile" not in structs:
        return None
    out: dict[str, list[str]] = {}

    def visit(struct: str, path: str, seen: tuple) -> None:
        if struct in seen or struct not in structs:
            return
        out[path] = sorted(k for k, _ in structs[struct])
        for key, gotype in structs[struct]:
            base = gotype.lstrip("*")
            sub = f"{path}.{key}" if path else key
            if base.startswith("[]"):
                base, sub = base[2:].lstrip("*"), sub + "[]"
            visit(base, sub, seen + (struct,))

    visit("configFile", "", ())
    return dict(sorted(out.items()))


def go_int_constants(go: str, names: tuple[str, ...]) -> dict[str, int]:
    out = {}
    for name in names:
        m = re.search(r"\b" + name + r"\s+int(?:\s+)?=\s*(\d+)", go)
        if m:
            out[name] = int(m.group(1))
    return out


def go_string_slice(go: str, name: str) -> list[str] | None:
    """The string literals of ``var <name> = []string{...}`` (the name matched case-insensitively:
    the list was exported in some releases), in order; None when there is no such variable."""
    m = re.search(r"\bvar\s+" + name + r"\s*=\s*\[\]string\s*\{(.*?)\n\}", go, re.S | re.I)
    if m is None:
        return None
    body = re.sub(r"//[^\n]*", "", m.group(1))
    return re.findall(r'"((?:[^"\\]|\\.)*)"', body)


def config_dataset(reader: Reader, version: str, rev: str, go_files: list[str]) -> dict:
    schema = json.loads(reader.read(version, rev, "pkg/config/data/config_schema_v1.0.json"))
    keys: dict = {}
    objects: dict = {}
    walk_schema(schema, "", schema, keys, objects)
    sources = {p: (reader.read(version, rev, p) or b"").decode() for p in go_files}
    raw_validation = [p for p, text in sources.items() if re.search(r"\byaml\.YAMLToJSON\(", text)]
    consts = go_int_constants(sources.get("pkg/config/config.go", ""), (
        "MinimumMajorPythonVersion", "MinimumMinorPythonVersion", "MinimumMinorPythonVersionForConcurrency",
        "MinimumMajorCudaVersion"))
    decoded = decoded_keys(sources.get("pkg/config/config_file.go", ""))
    deny = go_string_slice(sources.get("pkg/config/env.go", ""), "environmentVariableDenyList")
    limits = {}
    if "MinimumMajorPythonVersion" in consts and "MinimumMinorPythonVersion" in consts:
        limits["minimum_python"] = f"{consts['MinimumMajorPythonVersion']}.{consts['MinimumMinorPythonVersion']}"
    if "MinimumMinorPythonVersionForConcurrency" in consts:
        limits["minimum_python_for_concurrency"] = (
            f"{consts.get('MinimumMajorPythonVersion', 3)}.{consts['MinimumMinorPythonVersionForConcurrency']}")
    if "MinimumMajorCudaVersion" in consts:
        limits["minimum_cuda_major"] = consts["MinimumMajorCudaVersion"]
    data = {
        "keys": dict(sorted(keys.items())),
        "limits": limits,
        "objects": dict(sorted(objects.items())),
        "unknown_keys": "rejected" if raw_validation else "ignored",
        "unknown_keys_evidence": (
            f"{', '.join(raw_validation)} converts the raw YAML with yaml.YAMLToJSON and validates it against the "
            "schema, so additionalProperties: false rejects an unknown key ('Additional property X is not allowed')"
            if raw_validation else
            "no pkg/config source converts the raw YAML for validation; cog.yaml is decoded into Go structs and "
            "the struct is validated (gojsonschema.NewGoLoader), so unknown keys are dropped before the schema "
            "sees them"),
    }
    if deny is not None:
        # validateEnvName: an exact match, or the prefix before a trailing `*`.
        data["environment_deny_list"] = deny
    if decoded is not None:
        data["decoded_keys"] = decoded
        # Keys the schema accepts but the Go struct does not keep: silently dropped.
        dropped = []
        for path, obj in objects.items():
            if path in decoded:
                dropped += [f"{path}.{k}" if path else k for k in obj["keys"] if k not in decoded[path]]
        data["schema_keys_not_decoded"] = sorted(dropped)
    return data


def schema_key_history(git: Git) -> dict[str, dict]:
    """Every key path any release's schema had: first and last release that had it."""
    seen: dict[str, dict] = {}
    for tag, version in release_tags(git).items():
        blob = git.show(tag, "pkg/config/data/config_schema_v1.0.json")
        if blob is None:
            continue
        try:
            schema = json.loads(blob)
        except ValueError:
            continue
        keys: dict = {}
        walk_schema(schema, "", schema, keys, {})
        for path in keys:
            entry = seen.setdefault(path, {"first": version, "last": version})
            entry["last"] = version
    return seen


CONFIG_ABOUT = (
    "cog.yaml keys per cog release, from cog's JSON schema pkg/config/data/config_schema_v1.0.json (keys: dotted "
    "path -> JSON types; 'x[]' is an item of list x; objects: members, additionalProperties, required) and its Go "
    "config loader (unknown_keys: 'rejected' when the raw YAML is validated, 'ignored' when only the decoded struct "
    "is; decoded_keys: what the Go struct keeps, >=0.17; limits: pkg/config/config.go constants). removed_keys "
    "lists key paths some earlier release's schema had (first/last release that had them), derived from every "
    "release tag with the schema file. environment_deny_list: the names cog refuses in `environment` "
    "(pkg/config/env.go environmentVariableDenyList; a trailing * is a prefix), for releases that have it. "
    "sdk_dependencies: the cog SDK's own requirements (pyproject.toml [project].dependencies of that release), which "
    "every image installs. Written by scripts/regenerate_cog_data.py.")


def sdk_dependencies(pyproject: bytes | None) -> list[str] | None:
    """``[project].dependencies`` of the cog SDK's pyproject.toml (what ``pip install cog`` of that release
    requires, installed into every image), as written; None when the file or the table is absent."""
    if pyproject is None:
        return None
    import tomllib

    try:
        deps = tomllib.loads(pyproject.decode("utf-8")).get("project", {}).get("dependencies")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    return list(deps) if isinstance(deps, list) else None


def build_config_keys(reader: Reader, releases: dict) -> dict:
    per = {}
    for v, info in releases.items():
        go_files = [p for p in reader.git.ls(info["rev"], "pkg/config")
                    if p.endswith(".go") and not p.endswith("_test.go") and p.count("/") == 2]
        per[v] = config_dataset(reader, v, info["rev"], go_files)
        sdk = sdk_dependencies(reader.read(v, info["rev"], "pyproject.toml"))
        if sdk is not None:
            per[v]["sdk_dependencies"] = sdk
    history = schema_key_history(reader.git)
    for v, data in per.items():
        removed = {p: h for p, h in history.items() if p not in data["keys"]
                   and (v == "head" or vkey(h["last"]) < vkey(v))}
        data["removed_keys"] = dict(sorted(removed.items()))
    datasets, index = dedupe(per)
    return {"about": CONFIG_ABOUT, "datasets": datasets, "minors": minors_index(releases),
            "releases": release_entries(releases, index), "repository": COG_REPO_NAME}


# ---- coglet-cog-exports.json -----------------------------------------------------------------
def module_facts(source: str) -> dict:
    """Top-level names a module binds, its ``__all__`` and the names its ``__getattr__`` serves."""
    tree = ast.parse(source)
    bound: set[str] = set()
    all_names = None
    lazy: set[str] = set()

    def bind_targets(target) -> None:
        if isinstance(target, ast.Name):
            bound.add(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                bind_targets(elt)

    def visit(body) -> None:
        nonlocal all_names
        for node in body:
            if isinstance(node, ast.Import):
                for a in node.names:
                    bound.add(a.asname or a.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom):
                for a in node.names:
                    bound.add(a.asname or a.name)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(node.name)
                if node.name == "__getattr__" and not isinstance(node, ast.ClassDef):
                    for sub in ast.walk(node):
                        if isinstance(sub, ast.Compare) and isinstance(sub.left, ast.Name):
                            for comp in sub.comparators:
                                if isinstance(comp, ast.Constant) and isinstance(comp.value, str):
                                    lazy.add(comp.value)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    bind_targets(t)
                    if isinstance(t, ast.Name) and t.id == "__all__" and isinstance(node.value, (ast.List, ast.Tuple)):
                        all_names = sorted(e.value for e in node.value.elts
                                           if isinstance(e, ast.Constant) and isinstance(e.value, str))
            elif isinstance(node, ast.Try):
                visit(node.body)
                for h in node.handlers:
                    visit(h.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.If):
                visit(node.body)
                visit(node.orelse)
    visit(tree.body)
    return {"all": all_names, "bound": sorted(bound), "lazy": sorted(lazy)}


def package_facts(files: dict[str, str], package: str = "cog") -> dict:
    """``files``: path relative to the package's parent folder (``cog/types.py``) → source."""
    modules: dict[str, dict] = {}
    folders: set[str] = set()
    for path, text in files.items():
        parts = path[:-3].split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
        if parts[-1] == "__main__":
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        try:
            facts = module_facts(text)
        except SyntaxError as exc:
            facts = {"all": None, "bound": [], "lazy": [], "syntax_error": str(exc)}
        facts["kind"] = "package" if parts[-1] == "__init__" else "module"
        modules[name] = facts
    for folder in folders:  # a folder with .py files and no __init__.py is a namespace package
        name = folder.replace("/", ".")
        if name not in modules and name.split(".")[0] == package:
            modules[name] = {"all": None, "bound": [], "kind": "namespace package", "lazy": []}
    top = modules.get(package, {"all": None, "bound": [], "lazy": []})
    submodules = sorted(m for m in modules if m != package)
    direct = sorted(m.split(".")[1] for m in submodules if m.count(".") == 1)
    importable = sorted(set(top["bound"]) | set(top["lazy"]) | set(direct))
    return {
        "all": top["all"],
        "bound": top["bound"],
        "importable_from_package": importable,
        "lazy": top["lazy"],
        "modules": dict(sorted(modules.items())),
        "submodules": submodules,
    }


def git_package_files(git: Git, reader: Reader | None, release: str, rev: str, folder: str) -> dict[str, str]:
    files = {}
    for path in git.ls(rev, folder):
        if path.endswith(".py"):
            data = reader.read(release, rev, path) if reader else git.show(rev, path)
            files[path[len(folder) - len("cog"):]] = data.decode("utf-8")
    return files


def wheel_package_files(wheel: Path, package: str = "cog") -> dict[str, str]:
    with zipfile.ZipFile(wheel) as zf:
        return {n: zf.read(n).decode("utf-8") for n in sorted(zf.namelist())
                if n.startswith(package + "/") and n.endswith(".py")}


EXPORTS_ABOUT = (
    "What 'from cog import X' and 'import cog.X' can reach. coglet: the cog package of coglet 0.1.0a31 (the pipeline "
    "runtime), from replicate/cog-runtime tag v0.1.0-alpha31 python/cog/. sdk: the cog SDK of each cog release line "
    "(replicate/cog python/cog/ at the release's tag) and sdk_wheel: the cog 0.23.1 SDK wheel from PyPI. Per package: "
    "bound = every top-level name of cog/__init__.py (imports, defs, classes, assignments), all = its __all__, lazy = "
    "names its module __getattr__ serves (deprecated shims), submodules = every module/package under cog/ (a folder "
    "without __init__.py is a namespace package), importable_from_package = bound | lazy | direct submodules, modules "
    "= the same facts per submodule. Read with ast, never imported. removed_since_baseline: what the newest SDK no "
    "longer has compared with the baseline line. sdk_history: first/last release of every name and module any release "
    "had. Written by scripts/regenerate_cog_data.py.")


def sdk_history(git: Git, newest: dict) -> dict:
    """Every name ``cog/__init__.py`` bound (or served lazily) and every ``cog.*`` module of any final release
    tag, as runs of consecutive releases that had it (``ranges``: [first, last] pairs, so a name removed and
    re-added shows two runs); ``newest`` (the SDK wheel) is the last release of the sequence."""
    order: list[str] = []
    present_names: dict[str, set] = {}
    present_modules: dict[str, set] = {}
    for tag, version in release_tags(git).items():
        init = git.show(tag, "python/cog/__init__.py")
        if init is None:
            continue
        try:
            facts = module_facts(init.decode("utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        order.append(version)
        for name in set(facts["bound"]) | set(facts["lazy"]):
            present_names.setdefault(name, set()).add(version)
        files = {p[len("python/"):]: "" for p in git.ls(tag, "python/cog") if p.endswith(".py")}
        for module in package_facts(files)["submodules"]:
            present_modules.setdefault(module, set()).add(version)
    wheel_version = COG_SDK_WHEEL[1]
    order.append(wheel_version)
    for name in set(newest["bound"]) | set(newest["lazy"]):
        present_names.setdefault(name, set()).add(wheel_version)
    for module in newest["submodules"]:
        present_modules.setdefault(module, set()).add(wheel_version)

    def runs(present: set) -> dict:
        out, current = [], None
        for version in order:
            if version in present:
                current = [version, version] if current is None else [current[0], version]
            elif current is not None:
                out.append(current)
                current = None
        if current is not None:
            out.append(current)
        return {"first": out[0][0], "last": out[-1][1], "ranges": out}

    return {"modules": {k: runs(v) for k, v in sorted(present_modules.items())},
            "names": {k: runs(v) for k, v in sorted(present_names.items())},
            "note": f"over every final release tag of {COG_REPO_NAME} with python/cog/__init__.py, then the "
                    f"cog {wheel_version} wheel; a name whose last release is older than {wheel_version} is gone"}


def build_exports(cog_reader: Reader, runtime_reader: Reader, releases: dict, sdk_wheel: Path | None,
                  previous: dict | None) -> dict:
    coglet = package_facts(git_package_files(runtime_reader.git, runtime_reader, COGLET_TAG, COGLET_TAG,
                                             "python/cog"))
    sdk = {}
    minors = minors_index(releases)
    for minor, version in minors.items():
        info = releases[version]
        sdk[minor] = package_facts(git_package_files(cog_reader.git, cog_reader, version, info["rev"], "python/cog"))
        sdk[minor]["release"] = version
    name, ver = COG_SDK_WHEEL
    if sdk_wheel is not None:
        files = wheel_package_files(sdk_wheel)
        wheel = package_facts(files)
        head_files = git_package_files(cog_reader.git, None, "head", "HEAD", "python/cog")
        wheel["differs_from_snapshot_head"] = sorted(
            p for p in set(files) | set(head_files) if files.get(p) != head_files.get(p))
        wheel["requirement"] = f"{name}=={ver}"
        wheel["file"] = sdk_wheel.name
    elif previous and "sdk_wheel" in previous:
        wheel = previous["sdk_wheel"]  # kept: the wheel was not re-read in this run
    else:
        raise SystemExit(f"no {name}=={ver} wheel to read: run with --download")
    newest = wheel
    base = sdk[SDK_BASELINE]
    removed = {
        "names": sorted(set(base["importable_from_package"]) - set(newest["importable_from_package"])
                        - {m.split(".")[1] for m in base["submodules"] if m.count(".") == 1}),
        "submodules": sorted(set(base["submodules"]) - set(newest["submodules"])),
        "deprecated_shims": newest["lazy"],
    }
    return {
        "about": EXPORTS_ABOUT,
        "sdk_history": sdk_history(cog_reader.git, wheel),
        "coglet": {**coglet, "commit": runtime_reader.git.commit(COGLET_TAG), "distribution": "coglet==0.1.0a31",
                   "repository": COG_RUNTIME_REPO_NAME, "tag": COGLET_TAG},
        "removed_since_baseline": {"baseline": SDK_BASELINE, "newest": f"{name}=={ver}", **removed},
        "sdk": sdk,
        "sdk_wheel": wheel,
    }


# ---- PyPI ------------------------------------------------------------------------------------
def index_url() -> str:
    """pip's own index (PIP_INDEX_URL, else pip's default), so no host is named here."""
    env = os.environ.get("PIP_INDEX_URL")
    if env:
        return env.rstrip("/")
    from pip._internal.models.index import PyPI  # the default pip itself uses

    return PyPI.simple_url.rstrip("/")


def simple_listing(project: str) -> dict:
    req = urllib.request.Request(f"{index_url()}/{project}/",
                                 headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read())


def fetch_file(entry: dict, work: Path) -> Path:
    target = work / entry["filename"]
    want = entry["hashes"]["sha256"]
    if not (target.exists() and sha256(target.read_bytes()) == want):
        with urllib.request.urlopen(entry["url"], timeout=600) as resp:
            data = resp.read()
        if sha256(data) != want:
            raise SystemExit(f"{entry['filename']}: sha256 mismatch")
        target.write_bytes(data)
    return target


def linux_x86_64(filename: str) -> bool:
    if not filename.endswith(".whl"):
        return False
    platform = filename[:-4].split("-")[-1]
    return any(p.endswith("x86_64") and (p.startswith("manylinux") or p.startswith("linux"))
               for p in platform.split("."))


def wheel_pythons(filename: str) -> tuple[set[str], set[str], bool]:
    """CPython versions of a wheel's tags: (regular, free-threaded ``3.13t``, any Python 3)."""
    from packaging.utils import parse_wheel_filename

    regular, threaded, any3 = set(), set(), False
    for tag in parse_wheel_filename(filename)[3]:
        if tag.interpreter == "py3" and tag.abi == "none":
            any3 = True  # one wheel for every CPython 3 its Requires-Python admits
            continue
        m = re.fullmatch(r"cp(\d)(\d+)", tag.interpreter)
        if not m:
            continue
        v = f"{m.group(1)}.{m.group(2)}"
        if tag.abi.endswith("t"):
            threaded.add(v + "t")
        else:
            regular.add(v)
    return regular, threaded, any3


def refresh_torch_listing(manifest: dict, work: Path) -> None:
    from packaging.utils import parse_wheel_filename
    from packaging.version import Version

    listing_out, pair_out = {}, {}
    for project, floor in TORCH_FLOORS.items():
        listing = simple_listing(project)
        files: dict[str, dict] = {}
        by_version: dict[str, list[dict]] = {}
        for f in listing["files"]:
            name = f["filename"]
            if not linux_x86_64(name):
                continue
            version = parse_wheel_filename(name)[1]
            if version < Version(floor):
                continue
            files[name] = {"requires_python": f.get("requires-python") or None, "sha256": f["hashes"]["sha256"],
                           "yanked": bool(f.get("yanked"))}
            by_version.setdefault(str(version), []).append(f)
        without = sorted((v for v in listing.get("versions", []) if Version(v) >= Version(floor)
                          and v not in by_version), key=vkey)
        listing_out[project] = {"files": dict(sorted(files.items())), "releases_without_linux_x86_64_wheels": without,
                                "serial": listing.get("meta", {}).get("_last-serial")}
        if project == "torch":
            continue
        pairs = {}
        for version, entries in sorted(by_version.items(), key=lambda kv: vkey(kv[0])):
            smallest = min(entries, key=lambda e: (e.get("size") or 0, e["filename"]))
            wheel = fetch_file(smallest, work)
            pairs[version] = {"file": smallest["filename"], "sha256": smallest["hashes"]["sha256"],
                              "requires_torch": requires_torch(wheel)}
            wheel.unlink()
        pair_out[project] = pairs
    manifest["pypi_torch"] = listing_out
    manifest["pypi_torch_pairing"] = pair_out


def wheel_metadata(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        return zf.read(name).decode("utf-8", errors="replace")


def requires_torch(wheel: Path) -> str | None:
    from packaging.requirements import Requirement

    for line in wheel_metadata(wheel).splitlines():
        if line.lower().startswith("requires-dist:"):
            req = Requirement(line.split(":", 1)[1].strip())
            if req.name.lower() == "torch" and not req.marker:
                return str(req.specifier) or "*"
    return None


TORCH_ABOUT = (
    "Linux x86_64 wheels of torch, torchvision and torchaudio on PyPI (from torch 1.8, torchvision 0.9, torchaudio 0.8): "
    "per release, the CPython versions with a manylinux/linux x86_64 wheel (pythons; free-threaded builds separately), "
    "from the wheel file names of PyPI's simple index. torch_pairs: the torch release each torchvision/torchaudio "
    "release pins (Requires-Dist: torch==X in the METADATA of one of its Linux wheels; null with requires_torch "
    "showing the specifier when it is not an exact pin, requires_torch null when the METADATA names no torch). "
    "any_python3: the release (also) has a py3-none wheel, good for every CPython 3 its requires_python admits. "
    "yanked_only: Pythons whose only wheels are yanked. Only PyPI's own wheels are covered: PyTorch's own "
    "indexes (+cuXYZ builds) are not. Written by scripts/regenerate_cog_data.py from scripts/cog-sources.json.")


def build_torch_wheels(manifest: dict) -> dict:
    from packaging.utils import parse_wheel_filename

    packages = {}
    for project, info in sorted(manifest["pypi_torch"].items()):
        releases: dict[str, dict] = {}
        for name, f in info["files"].items():
            version = str(parse_wheel_filename(name)[1])
            entry = releases.setdefault(version, {"any": set(), "free_threaded": set(), "pythons": set(),
                                                  "yanked": set()})
            regular, threaded, any3 = wheel_pythons(name)
            if f["yanked"]:
                entry["yanked"] |= regular | threaded | ({"py3"} if any3 else set())
                continue
            entry["pythons"] |= regular
            entry["free_threaded"] |= threaded
            if any3:
                entry["any"].add(f.get("requires_python") or "")
        out = {}
        for version, e in sorted(releases.items(), key=lambda kv: vkey(kv[0])):
            row = {"free_threaded": sorted(e["free_threaded"], key=vkey), "pythons": sorted(e["pythons"], key=vkey)}
            if e["any"]:
                # A py3-none wheel serves every CPython 3 its Requires-Python admits.
                row["any_python3"] = {"requires_python": sorted(e["any"])[0] or None}
            yanked = e["yanked"] - e["pythons"] - e["free_threaded"] - ({"py3"} if e["any"] else set())
            if yanked:
                row["yanked_only"] = sorted(yanked, key=vkey)
            out[version] = row
        packages[project] = {"releases": out,
                             "releases_without_linux_x86_64_wheels": info["releases_without_linux_x86_64_wheels"]}
    pairs = {}
    for project, info in sorted(manifest["pypi_torch_pairing"].items()):
        pairs[project] = {}
        for version, e in info.items():
            spec = e["requires_torch"]
            # ``==1.10.0+cu102`` (torchvision 0.11.0) pairs with torch 1.10.0: the local part names the build.
            exact = spec[2:].split("+")[0] if spec and spec.startswith("==") and "," not in spec else None
            pairs[project][version] = {"requires_torch": spec, "torch": exact}
    return {"about": TORCH_ABOUT, "packages": packages, "torch_pairs": pairs}


# ---- import-distributions.json ---------------------------------------------------------------
def choose_file(listing: dict, pinned: str | None) -> tuple[str, dict]:
    """The release (pinned, else newest final one) and the file to read for the import map."""
    from packaging.utils import parse_sdist_filename, parse_wheel_filename
    from packaging.version import InvalidVersion, Version

    by_version: dict[Version, list[dict]] = {}
    for f in listing["files"]:
        if f.get("yanked"):
            continue
        name = f["filename"]
        try:
            version = parse_wheel_filename(name)[1] if name.endswith(".whl") else parse_sdist_filename(name)[1]
        except (ValueError, InvalidVersion):
            continue
        by_version.setdefault(version, []).append(f)

    def rank(f: dict) -> tuple:
        name = f["filename"]
        if not name.endswith(".whl"):
            return (9, name)
        tags = parse_wheel_filename(name)[3]
        if any(t.platform == "any" for t in tags):
            return (0, name)
        if not linux_x86_64(name):
            return (8, name)
        if any(t.interpreter == IMPORT_PYTHON for t in tags):
            return (1, name)
        if any(t.abi == "abi3" for t in tags):
            return (2, name)
        return (3, name)

    candidates = sorted(by_version, reverse=True)
    if pinned is not None:
        candidates = [v for v in candidates if str(v) == pinned]
    for version in candidates:
        if pinned is None and (version.is_prerelease or version.is_devrelease):
            continue
        files = sorted(by_version[version], key=rank)
        if files and rank(files[0])[0] < 8:
            return str(version), files[0]
        if files and files[0]["filename"].endswith((".tar.gz", ".zip")):
            return str(version), files[0]
    raise SystemExit(f"{listing.get('name')}: no usable file" + (f" for {pinned}" if pinned else ""))


def archive_top_level(path: Path) -> tuple[list[str], str, dict[str, list[str]]]:
    """Top-level entries of a wheel's RECORD (or an sdist's egg-info/layout), how, and namespace children."""
    if path.name.endswith(".whl"):
        with zipfile.ZipFile(path) as zf:
            record = next(n for n in zf.namelist() if n.endswith(".dist-info/RECORD") and n.count("/") == 1)
            paths = [line.split(",", 1)[0] for line in zf.read(record).decode("utf-8").splitlines()]
        how = "wheel RECORD"
    else:
        with tarfile.open(path) as tf:
            names = [m.name for m in tf.getmembers() if m.isfile()]
            top_txt = sorted((n for n in names if n.count("/") == 2 and n.endswith(".egg-info/top_level.txt")),
                             key=len)
            if top_txt:
                text = tf.extractfile(top_txt[0]).read().decode("utf-8")
                tops = sorted({line.strip() + "/" for line in text.splitlines() if line.strip()})
                return tops, f"sdist {top_txt[0].split('/', 1)[1]}", {}
            root = names[0].split("/", 1)[0] + "/"
            paths = [n[len(root):] for n in names if n.startswith(root)]
            paths = [p for p in paths if p.endswith("/__init__.py") and p.count("/") == 1 or
                     (p.endswith(".py") and "/" not in p and p != "setup.py")]
        how = "sdist layout (packages with __init__.py at the archive root; no wheel on PyPI)"
    tops, has_init, children = set(), set(), {}
    for p in paths:
        if not p:
            continue
        head, sep, rest = p.partition("/")
        tops.add(head + ("/" if sep else ""))
        if rest == "__init__.py":
            has_init.add(head)
        elif sep and rest:
            children.setdefault(head, set()).add(rest.split("/", 1)[0])
    namespaces = {}
    for head, kids in children.items():
        if head not in has_init and head.isidentifier():
            namespaces[head] = sorted(k[:-3] if k.endswith(".py") else k for k in kids
                                      if (k.endswith(".py") or "." not in k) and k != "__pycache__")
    return sorted(tops), how, namespaces


def refresh_import_wheels(manifest: dict, work: Path, latest: bool) -> None:
    old = manifest.get("import_wheels", {})
    out = {}
    for dist, why in sorted(IMPORT_PACKAGES.items()):
        pinned = None if latest else old.get(dist, {}).get("version")
        listing = simple_listing(dist)
        version, f = choose_file(listing, pinned)
        entry = {"file": f["filename"], "sha256": f["hashes"]["sha256"], "size": f.get("size"),
                 "version": version, "why": why}
        if (f.get("size") or 0) > WHEEL_SIZE_LIMIT:
            from packaging.utils import parse_wheel_filename

            dist_name = str(parse_wheel_filename(f["filename"])[0]).replace("-", "_")
            entry.update({"how": f"dist-info name only: the wheel ({f['size']} bytes) is over the "
                                 f"{WHEEL_SIZE_LIMIT // (1024 * 1024)} MB download limit, so its RECORD was not read",
                          "namespace_children": {}, "top_level": [f"{dist_name}-{version}.dist-info/", f"{dist_name}/"]})
            entry["requires"], entry["requires_from"] = core_metadata_requires(f)
        else:
            path = fetch_file(f, work)
            tops, how, namespaces = archive_top_level(path)
            entry.update({"how": how, "namespace_children": namespaces, "top_level": tops})
            entry["requires"], entry["requires_from"] = archive_requires(path)
            path.unlink()
        out[dist] = entry
    manifest["import_wheels"] = out


def requires_of_metadata(text: str) -> list[str]:
    """The ``Requires-Dist`` values of a METADATA/PKG-INFO text, as written."""
    return sorted(line.split(":", 1)[1].strip() for line in text.splitlines()
                  if line.lower().startswith("requires-dist:"))


def archive_requires(path: Path) -> tuple[list[str], str]:
    """Requires-Dist of a wheel (its METADATA) or an sdist (PKG-INFO, else egg-info/requires.txt)."""
    if path.name.endswith(".whl"):
        return requires_of_metadata(wheel_metadata(path)), "wheel METADATA"
    with tarfile.open(path) as tf:
        names = [m.name for m in tf.getmembers() if m.isfile()]
        pkg_info = sorted((n for n in names if n.count("/") == 1 and n.endswith("/PKG-INFO")), key=len)
        if pkg_info:
            found = requires_of_metadata(tf.extractfile(pkg_info[0]).read().decode("utf-8", errors="replace"))
            if found:
                return found, "sdist PKG-INFO"
        req_txt = sorted((n for n in names if n.count("/") == 2 and n.endswith(".egg-info/requires.txt")), key=len)
        if req_txt:
            text = tf.extractfile(req_txt[0]).read().decode("utf-8", errors="replace")
            out = []
            for line in text.splitlines():
                line = line.strip()
                if line.startswith("["):  # an extra's or a marker's section: not installed by default
                    break
                if line and not line.startswith("#"):
                    out.append(line)
            return sorted(out), "sdist egg-info/requires.txt (default section)"
    return [], "sdist without dependency metadata"


def core_metadata_requires(f: dict) -> tuple[list[str], str]:
    """Requires-Dist of a file too large to download, from its PEP 658 core metadata."""
    # PyPI serves ``<file url>.metadata`` for most wheels even where its listing omits the
    # ``core-metadata`` key, so it is asked for either way.
    try:
        with urllib.request.urlopen(f["url"] + ".metadata", timeout=120) as resp:
            return requires_of_metadata(resp.read().decode("utf-8", errors="replace")), "PEP 658 core metadata"
    except OSError as exc:
        missing = f"not read: no core metadata for the file ({exc})"
    # The index's JSON API (``…/pypi/<name>/<version>/json``, beside ``…/simple``) gives the
    # release's Requires-Dist as the uploader's metadata states it.
    base = index_url()
    if not base.endswith("/simple"):
        return [], missing
    from packaging.utils import parse_wheel_filename

    name, version = parse_wheel_filename(f["filename"])[:2]
    for url in (f"{base[:-len('/simple')]}/pypi/{name}/{version}/json", f"{base[:-len('/simple')]}/pypi/{name}/json"):
        try:
            with urllib.request.urlopen(url, timeout=120) as resp:
                info = json.loads(resp.read())["info"]
        except (OSError, ValueError, KeyError):
            continue
        if str(info.get("version")) == str(version):  # the project page describes the newest release only
            return sorted(info.get("requires_dist") or []), "the index's JSON API (release metadata)"
    return [], missing


def default_requirements(requires: list[str]) -> list[str]:
    """The Requires-Dist entries installed without extras (markers other than ``extra`` kept)."""
    from packaging.requirements import InvalidRequirement, Requirement

    out = []
    for text in requires:
        try:
            req = Requirement(text)
        except InvalidRequirement:
            continue
        if req.marker is not None and "extra" in str(req.marker):
            continue
        out.append(text)
    return sorted(out)


def linux_environments() -> list[dict]:
    """The marker environments of every interpreter a cog image may run (pipelint's own definition)."""
    sys.path.insert(0, str(REPO))
    from pipelint.model.cog_data import image_environments

    return image_environments()


def installed_names(requires: list[str]) -> set[str]:
    """Normalised names of the default requirements some Linux interpreter of a cog image installs."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    out = set()
    for text in default_requirements(requires):
        req = Requirement(text)
        if req.marker is None or any(req.marker.evaluate(env) for env in linux_environments()):
            out.add(canonicalize_name(req.name))
    return out


def refresh_dependency_metadata(manifest: dict, work: Path, latest: bool) -> None:
    """Requires-Dist of every distribution the import packages pull in, transitively (newest final release
    or the recorded pin; core metadata where the index serves it, else the file itself)."""
    old = manifest.get("dependency_metadata", {})
    known = set(manifest["import_wheels"])
    todo = sorted(set().union(*(installed_names(e.get("requires", [])) for e in manifest["import_wheels"].values()))
                  - known)
    out: dict[str, dict] = {}
    while todo:
        dist = todo.pop()
        if dist in out or dist in known:
            continue
        pinned = None if latest else old.get(dist, {}).get("version")
        try:
            version, f = choose_file(simple_listing(dist), pinned)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - an unlisted or odd project: recorded, not fatal
            out[dist] = {"requires": [], "requires_from": f"not read ({type(exc).__name__}: {exc})"}
            continue
        entry = {"file": f["filename"], "sha256": f["hashes"]["sha256"], "version": version}
        if f["filename"].endswith(".whl"):
            entry["requires"], entry["requires_from"] = core_metadata_requires(f)
        if entry.get("requires_from", "not read").startswith("not read") and (f.get("size") or 0) <= 50 * 1024 * 1024:
            path = fetch_file(f, work)
            entry["requires"], entry["requires_from"] = archive_requires(path)
            path.unlink()
        elif "requires_from" not in entry:
            entry["requires"], entry["requires_from"] = [], "not read: no core metadata and over 50 MB"
        out[dist] = entry
        todo.extend(sorted(installed_names(entry["requires"]) - known - set(out)))
    manifest["dependency_metadata"] = dict(sorted(out.items()))


def import_names_of(entry: dict) -> list[str]:
    names = set()
    for top in entry["top_level"]:
        if top.endswith("/"):
            folder = top[:-1]
            if not folder.isidentifier() or folder == "__pycache__":
                continue  # *.dist-info, *.data, *.libs
            kids = entry["namespace_children"].get(folder)
            if kids:
                names.update(f"{folder}.{k}" for k in kids if k.isidentifier())
            else:
                names.add(folder)
        elif top.endswith((".py", ".so", ".pyd")):
            stem = top.split(".", 1)[0]
            if stem.isidentifier():
                names.add(stem)
    return sorted(names)


IMPORTS_ABOUT = (
    "Import name -> the distributions that provide it, for the packages ordinary cog models use most (list and reasons "
    "in scripts/cog-sources.json import_wheels[*].why). Derived from the top-level entries of each real wheel's RECORD "
    "(a top-level folder without __init__.py is a namespace package: its children are the import names, e.g. "
    "google.protobuf); 'how' says when an sdist or only the dist-info name was used. A module not listed here is "
    "unknown, not missing. 'requires': the Requires-Dist entries a plain install takes (extras left out, markers "
    "kept), from the same file's METADATA (or PKG-INFO, or PEP 658 core metadata for files too large to download), "
    "for the import-map packages and every distribution they pull in transitively (scripts/cog-sources.json "
    "dependency_metadata). Written by scripts/regenerate_cog_data.py from scripts/cog-sources.json.")


def build_imports(manifest: dict) -> dict:
    imports: dict[str, set] = {}
    dists = {}
    for dist, entry in sorted(manifest["import_wheels"].items()):
        names = import_names_of(entry)
        dists[dist] = {"how": entry["how"], "imports": names, "version": entry["version"],
                       "requires": default_requirements(entry.get("requires", [])),
                       "requires_from": entry.get("requires_from", "not read")}
        for n in names:
            imports.setdefault(n, set()).add(dist)
    for dist, entry in sorted(manifest.get("dependency_metadata", {}).items()):
        dists.setdefault(dist, {"how": "dependency metadata only (not an import-map package)", "imports": [],
                                "version": entry.get("version"),
                                "requires": default_requirements(entry.get("requires", [])),
                                "requires_from": entry.get("requires_from", "not read")})
    return {"about": IMPORTS_ABOUT, "distributions": dict(sorted(dists.items())),
            "imports": {k: sorted(v) for k, v in sorted(imports.items())}}


# ---- main ------------------------------------------------------------------------------------
MANIFEST_ABOUT = (
    "Provenance of pipelint/data/cog/*.json, written by scripts/regenerate_cog_data.py. git: the repositories, "
    "releases, commits and sha256 of every blob read. pypi_torch: the Linux x86_64 wheel files of torch/torchvision/"
    "torchaudio (name, sha256, yanked) from PyPI's simple index; pypi_torch_pairing: the wheel whose METADATA gave each "
    "torchvision/torchaudio release's torch pin; sdk_wheel: the cog SDK wheel read for coglet-cog-exports.json; "
    "import_wheels: per distribution the file read, why it is on the list, and its top-level RECORD entries. "
    "outputs: sha256 of each data file, so an offline --check detects an edit it cannot re-derive.")


NOT_DERIVED = [
    "cog 0.23: the replicate/cog snapshot has no v0.23.x tag (newest v0.22.0); its HEAD (0.22.0 + 5 commits) stands "
    "for the 0.23 line in cuda-matrix.json and config-keys.json. The Go CLI of cog 0.23.1 was not read; only its SDK "
    "wheel was (coglet-cog-exports.json sdk_wheel, compared file by file with HEAD's python/cog).",
    "torch's import names: every torch wheel is over 500 MB, so its RECORD was not read and the map says only torch "
    "-> torch (from the dist-info name); torch's other top-level packages (functorch, torchgen) are not in the map.",
    "Removed cog.yaml keys: only keys some release's JSON schema had are listed (from v0.0.19 on). Root 'command' "
    "and 'build.environment' (old docs) were never in a release schema, so they are not 'removed' keys: on <=0.16 "
    "they were rejected like any unknown key, on >=0.17 ignored like any unknown key.",
    "unknown_keys (rejected/ignored), cudnn_lookup (exact/matches), default_cuda, the row filter and the minimums "
    "are read from cog's Go source by fixed patterns (yaml.YAMLToJSON in pkg/config, the body of "
    "compatibleCuDNNsForCUDA, defaultCUDA, filteredTorchCompatibilityMatrix, Minimum* constants); a rewrite of that "
    "code would make them null/absent rather than wrong.",
    "torch-wheels.json covers PyPI's own wheels (Linux x86_64 only); the PyTorch indexes cog adds for +cuXYZ builds "
    "are not read. torchvision >=0.29.1 and torchaudio 2.11.x do not pin torch exactly (torch_pairs.torch null).",
    "sdk_history tracks names bound in cog/__init__.py and module files, as runs of consecutive final release tags; "
    "names only defined inside submodules are in the per-module facts of the releases that were read in full.",
    "The import-map package list was chosen (see import_wheels_choice), not measured over a corpus of cog models.",
    "requires (import-distributions.json): one release per distribution (the recorded pin, else the newest final "
    "release), not the release a model pins; dependencies change little between releases, and CG307 only uses them "
    "to stay silent. Distributions with only pre-releases (tb-nightly) or no usable file are recorded as 'not read'.",
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cog-repo", type=Path, help="bare git dir of replicate/cog: re-derive the git data")
    ap.add_argument("--cog-runtime-repo", type=Path, help="bare git dir of replicate/cog-runtime")
    ap.add_argument("--download", action="store_true", help="re-read PyPI (index listings and wheels)")
    ap.add_argument("--latest", action="store_true", help="with --download: newest releases, not the recorded pins")
    ap.add_argument("--work", type=Path, help="folder for downloads (default: a temporary one)")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if any file would change")
    args = ap.parse_args(argv)
    if bool(args.cog_repo) != bool(args.cog_runtime_repo):
        ap.error("--cog-repo and --cog-runtime-repo go together")

    manifest = json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {}
    previous = {p: json.loads(p.read_text(encoding="utf-8")) if p.exists() else None
                for p in (CUDA_MATRIX, CONFIG_KEYS, EXPORTS)}
    problems: list[str] = []
    outputs: dict[Path, str] = {}

    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        sdk_wheel = None
        if args.download:
            refresh_torch_listing(manifest, work)
            refresh_import_wheels(manifest, work, args.latest)
            refresh_dependency_metadata(manifest, work, args.latest)
            name, ver = COG_SDK_WHEEL
            listing = simple_listing(name)
            version, f = choose_file({**listing, "files": [x for x in listing["files"]
                                                           if x["filename"].endswith("-py3-none-any.whl")]}, ver)
            sdk_wheel = fetch_file(f, work)
            manifest["sdk_wheel"] = {"file": f["filename"], "requirement": f"{name}=={version}",
                                     "sha256": f["hashes"]["sha256"]}
        if args.cog_repo:
            cog = Reader(Git(args.cog_repo))
            runtime = Reader(Git(args.cog_runtime_repo))
            releases = cog_releases(cog.git)
            if sdk_wheel is None and manifest.get("sdk_wheel"):
                print("note: the cog SDK wheel was not re-read (no --download); its recorded facts are kept",
                      file=sys.stderr)
            outputs[CUDA_MATRIX] = dumps(build_cuda_matrix(cog, releases))
            outputs[CONFIG_KEYS] = dumps(build_config_keys(cog, releases))
            outputs[EXPORTS] = dumps(build_exports(cog, runtime, releases, sdk_wheel, previous[EXPORTS]))
            git = {
                COG_REPO_NAME: {"head": cog.git.commit("HEAD"),
                                "releases": {v: {"blobs": dict(sorted(cog.blobs.get(v, {}).items())),
                                                 "commit": info["commit"], "tag": info["tag"]}
                                             for v, info in releases.items()}},
                COG_RUNTIME_REPO_NAME: {"releases": {COGLET_TAG: {
                    "blobs": dict(sorted(runtime.blobs.get(COGLET_TAG, {}).items())),
                    "commit": runtime.git.commit(COGLET_TAG), "tag": COGLET_TAG}}},
            }
            old_git = manifest.get("git")
            if old_git and old_git != git:
                print("note: the git sources differ from the recorded ones (new tags or changed blobs)", file=sys.stderr)
            manifest["git"] = git
        elif "git" not in manifest:
            raise SystemExit("the manifest has no git sources: run with --cog-repo and --cog-runtime-repo")
        else:
            # Offline: the git-derived files must be the recorded ones and name the recorded commits.
            for path in (CUDA_MATRIX, CONFIG_KEYS, EXPORTS):
                rel = str(path.relative_to(REPO))
                text = path.read_text(encoding="utf-8") if path.exists() else None
                if text is None:
                    problems.append(f"{rel} is missing")
                    continue
                if sha256(text.encode("utf-8")) != manifest.get("outputs", {}).get(rel):
                    problems.append(f"{rel} is not the file the manifest recorded (edited by hand?)")
                if dumps(json.loads(text)) != text:
                    problems.append(f"{rel} is not in canonical form")
            recorded = manifest["git"][COG_REPO_NAME]["releases"]
            for path in (CUDA_MATRIX, CONFIG_KEYS):
                data = previous[path] or {}
                for v, info in data.get("releases", {}).items():
                    if recorded.get(v, {}).get("commit") != info["commit"]:
                        problems.append(f"{path.name}: release {v} names commit {info['commit']}, "
                                        "the manifest does not record it")
                if set(data.get("releases", {})) != set(recorded):
                    problems.append(f"{path.name}: its releases are not the manifest's")
            exports = previous[EXPORTS] or {}
            coglet_rec = manifest["git"][COG_RUNTIME_REPO_NAME]["releases"][COGLET_TAG]["commit"]
            if exports.get("coglet", {}).get("commit") != coglet_rec:
                problems.append(f"{EXPORTS.name}: the coglet commit is not the manifest's")
            if exports.get("sdk_wheel", {}).get("file") != manifest.get("sdk_wheel", {}).get("file"):
                problems.append(f"{EXPORTS.name}: the SDK wheel is not the manifest's")
            for path in (CUDA_MATRIX, CONFIG_KEYS, EXPORTS):
                if path.exists():
                    outputs[path] = path.read_text(encoding="utf-8")
        if "pypi_torch" not in manifest or "import_wheels" not in manifest:
            raise SystemExit("the manifest has no PyPI sources: run with --download")
        outputs[TORCH_WHEELS] = dumps(build_torch_wheels(manifest))
        outputs[IMPORTS] = dumps(build_imports(manifest))

    manifest["about"] = MANIFEST_ABOUT
    manifest["not_derived"] = NOT_DERIVED
    manifest["import_wheels_choice"] = (
        "Chosen from issue 15 item 4 and from what cog's own examples/docs and the sampled public cog models import "
        "(cog-evidence.md section 3); not measured over a corpus. One file per distribution: a py3-none-any wheel, "
        f"else the {IMPORT_PYTHON} manylinux x86_64 wheel, else an abi3 one, else the sdist.")
    manifest["outputs"] = {str(p.relative_to(REPO)): sha256(t.encode("utf-8")) for p, t in sorted(outputs.items())}
    outputs[MANIFEST] = dumps(manifest)

    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        print("nothing written: re-derive with --cog-repo/--cog-runtime-repo (and --download)", file=sys.stderr)
        return 1
    changed = []
    for path, text in outputs.items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            changed.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for path in changed:
        print(f"{'would change' if args.check else 'wrote'}: {path.relative_to(REPO)}")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
