"""The cog-target data (pipelint/data/cog/) is what scripts/regenerate_cog_data.py derives, and says what
cog and PyPI say.

Layers, each checked against its source:
* the manifest (scripts/cog-sources.json) → torch-wheels.json and import-distributions.json (offline);
* the git-derived files → the sha256 the manifest recorded (offline), and the real cog/cog-runtime
  repositories (when their bare git dirs are here: COG_REPO / COG_RUNTIME_REPO or the fetch mirrors);
* spot checks of the loader against facts stated in shared/reference/cog-evidence.md and against cog's
  real JSON schema validated with jsonschema (needs the cog repository).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from pipelint.model import cog_data

SCRIPT = REPO / "scripts" / "regenerate_cog_data.py"
COG_REPO = Path(os.environ.get("COG_REPO", "/work/.mirror/replicate+cog/repo"))
COG_RUNTIME_REPO = Path(os.environ.get("COG_RUNTIME_REPO", "/work/.mirror/replicate+cog-runtime/repo"))
HAVE_REPOS = (COG_REPO / "HEAD").exists() and (COG_RUNTIME_REPO / "HEAD").exists()
needs_repos = pytest.mark.skipif(not HAVE_REPOS, reason="needs bare git dirs of replicate/cog and cog-runtime "
                                                        "(set COG_REPO and COG_RUNTIME_REPO)")


def _script():
    spec = importlib.util.spec_from_file_location("regenerate_cog_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(*args: str, script: Path = SCRIPT, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=timeout)


def _copy_tree(tmp_path: Path) -> Path:
    """The script, its manifest and the data in a scratch repository layout (the script finds its files
    relative to itself)."""
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(SCRIPT, root / "scripts" / SCRIPT.name)
    shutil.copy(REPO / "scripts" / "cog-sources.json", root / "scripts" / "cog-sources.json")
    shutil.copytree(REPO / "pipelint" / "data" / "cog", root / "pipelint" / "data" / "cog")
    return root


# ---- regeneration --------------------------------------------------------------------------
def test_check_passes_offline_as_ci_runs_it():
    done = _run("--check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "would change" not in done.stdout


def test_pypi_derived_files_are_what_the_manifest_gives():
    script = _script()
    manifest = json.loads(script.MANIFEST.read_text(encoding="utf-8"))
    assert script.dumps(script.build_torch_wheels(manifest)) == script.TORCH_WHEELS.read_text(encoding="utf-8")
    assert script.dumps(script.build_imports(manifest)) == script.IMPORTS.read_text(encoding="utf-8")


def test_every_data_file_is_recorded_in_the_manifest():
    script = _script()
    manifest = json.loads(script.MANIFEST.read_text(encoding="utf-8"))
    shipped = sorted(str(p.relative_to(REPO)) for p in (REPO / "pipelint" / "data" / "cog").glob("*.json"))
    assert sorted(manifest["outputs"]) == shipped
    for rel, digest in manifest["outputs"].items():
        assert script.sha256((REPO / rel).read_bytes()) == digest, rel


def test_a_hand_edited_git_derived_file_fails_the_offline_check(tmp_path):
    root = _copy_tree(tmp_path)
    path = root / "pipelint" / "data" / "cog" / "cuda-matrix.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["datasets"][data["releases"]["0.16.12"]["data"]]["default_cuda"] = "12.4"
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    done = _run("--check", script=root / "scripts" / SCRIPT.name)
    assert done.returncode == 1
    assert "cuda-matrix.json is not the file the manifest recorded" in done.stderr


def test_a_changed_manifest_input_changes_the_derived_wheel_data(tmp_path):
    root = _copy_tree(tmp_path)
    manifest_path = root / "scripts" / "cog-sources.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    files = manifest["pypi_torch"]["torch"]["files"]
    for name in [n for n in files if n.startswith("torch-2.0.1-cp311-")]:
        del files[name]  # as if PyPI had no 3.11 wheel of torch 2.0.1
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    done = _run("--check", script=root / "scripts" / SCRIPT.name)
    assert done.returncode == 1
    assert "would change: pipelint/data/cog/torch-wheels.json" in done.stdout
    assert _run(script=root / "scripts" / SCRIPT.name).returncode == 0  # regenerates it
    derived = json.loads((root / "pipelint" / "data" / "cog" / "torch-wheels.json").read_text(encoding="utf-8"))
    assert "3.11" not in derived["packages"]["torch"]["releases"]["2.0.1"]["pythons"]
    assert "3.10" in derived["packages"]["torch"]["releases"]["2.0.1"]["pythons"]


@needs_repos
def test_check_passes_against_the_real_repositories():
    done = _run("--cog-repo", str(COG_REPO), "--cog-runtime-repo", str(COG_RUNTIME_REPO), "--check")
    assert done.returncode == 0, done.stdout + done.stderr


@needs_repos
def test_the_recorded_blob_hashes_are_the_repositories_blobs():
    script = _script()
    manifest = json.loads(script.MANIFEST.read_text(encoding="utf-8"))
    git = script.Git(COG_REPO)
    releases = manifest["git"]["replicate/cog"]["releases"]
    for version in ("0.15.11", "0.16.12", "0.17.0", "0.22.0", "head"):
        info = releases[version]
        assert git.commit(info["tag"] or info["commit"]) == info["commit"]
        for path, digest in info["blobs"].items():
            assert script.sha256(git.show(info["commit"], path)) == digest, (version, path)


@pytest.mark.skipif(os.environ.get("PIPELINT_NETWORK_TESTS") != "1" or not HAVE_REPOS,
                    reason="downloads about 1.5 GB from PyPI: set PIPELINT_NETWORK_TESTS=1 (and the repositories)")
def test_check_passes_against_pypi(tmp_path):
    done = _run("--cog-repo", str(COG_REPO), "--cog-runtime-repo", str(COG_RUNTIME_REPO), "--download",
                "--work", str(tmp_path), "--check", timeout=3600)
    assert done.returncode == 0, done.stdout + done.stderr


# ---- the loader answers what cog says (cog-evidence.md) -------------------------------------
def test_known_versions_cover_the_supported_release_lines():
    assert cog_data.known_cog_versions() == ("0.15", "0.16", "0.17", "0.18", "0.19", "0.20", "0.21", "0.22", "0.23")
    assert cog_data.newest_cog_version() == "0.23"
    assert cog_data.resolve_cog_release("0.16") == "0.16.12"
    assert cog_data.resolve_cog_release("0.16.3") == "0.16.3"
    assert cog_data.resolve_cog_release("v0.19") == "0.19.3"
    assert cog_data.cog_release("0.22")["tag"] == "v0.22.0"
    assert cog_data.cog_release("0.23")["commit"].startswith("6110c912")  # evidence §0: HEAD 6110c912
    for bad in ("9.9", "0.14", "latest", "", "0.16.x"):
        assert cog_data.resolve_cog_release(bad) is None
        assert cog_data.config_keys(bad) is None
        assert cog_data.cuda_for_torch(bad, "2.5.1") == ()


def test_torch_to_cuda_matrix_at_head():
    # cog-evidence.md §1.2 "torch matrix": torch 1.11.0 … 2.11.0 and torch's own CUDAs.
    versions = cog_data.torch_versions_in_matrix("0.23")
    assert versions[0] == "1.11.0" and versions[-1] == "2.11.0"
    assert cog_data.cuda_for_torch("0.23", "2.6.0") == ("11.8", "12.4", "12.6")
    assert cog_data.cuda_for_torch("0.23", "2.7.0") == ("11.8", "12.6", "12.8")
    assert cog_data.cuda_for_torch("0.23", "2.8.0") == ("12.6", "12.8", "12.9")
    assert cog_data.cuda_for_torch("0.23", "2.9.0") == ("12.6", "12.8", "13.0")
    assert cog_data.cuda_for_torch("0.23", "2.10.0") == ("12.6", "12.8", "13.0")
    assert cog_data.cuda_for_torch("0.23", "2.11.0") == ("12.6", "12.8", "12.9", "13.0")
    assert cog_data.default_cuda("0.23") == "11.8"


def test_torch_version_matching_follows_cog():
    # `torch>=2.1` resolves CUDA for 2.1.x; a +cu118 local tag is honoured; unknown torch: no CUDA.
    patches = set().union(*(cog_data.cuda_for_torch("0.23", v) for v in ("2.1.0", "2.1.1", "2.1.2")))
    assert set(cog_data.cuda_for_torch("0.23", "2.1")) == patches and patches
    assert cog_data.cuda_for_torch("0.23", "2.0.1+cu118") == ("11.8",)
    assert cog_data.cuda_for_torch("0.23", "2.12.0") == ()  # past the matrix: CG211
    assert cog_data.cuda_for_torch("0.23", "1.10.1") == ()  # before it (replicate/cog#390)
    assert cog_data.cuda_for_torch("0.16", "2.9.0") == ()  # 0.16's matrix stops at 2.8
    assert cog_data.cuda_for_torch("0.16", "2.8.0") == ("12.6", "12.8", "12.9")


def test_cuda_base_images_and_cudnn():
    cudas = sorted({i["cuda"] for i in cog_data.base_images("0.23")}, key=lambda v: tuple(map(int, v.split("."))))
    assert cudas[0] == "11.0.3" and cudas[-1] == "13.2.1"  # evidence: CUDA 11.0.3…13.2.1
    assert cog_data.cuda_has_base_image("0.23", "11.8") is True
    for missing in ("11.8.2", "12.7", "13.3"):  # evidence: no base image → `CUDA … is not supported by Cog`
        assert cog_data.cuda_has_base_image("0.23", missing) is False
    assert cog_data.cudnn_for_cuda("0.23", "11.8") == ("8",)
    assert cog_data.latest_cudnn_for_cuda("0.23", "12.4") is not None
    # Up to 0.21 the cuDNN check compared the CUDA string exactly (fixed by #3070 in v0.22.0).
    assert cog_data.cudnn_lookup("0.21") == "exact" and cog_data.cudnn_lookup("0.22") == "matches"
    assert cog_data.cudnn_for_cuda("0.21", "11.8") == ()
    assert "8" in cog_data.cudnn_for_cuda("0.21", "11.8.0")


def test_config_keys_of_0_15_and_0_16_reject_unknown_keys():
    for version in ("0.15", "0.16"):
        assert cog_data.unknown_keys_rejected(version) is True
        assert cog_data.unknown_keys_rejected(version, "build") is True
        assert "fast" in cog_data.config_keys(version, "build")  # issue 13: build.fast is known there
        assert "python_requirement" not in cog_data.config_keys(version, "build")
        assert "image" in cog_data.config_keys(version)
        assert cog_data.config_limits(version)["minimum_python"] == "3.8"
    assert "cog_runtime" in cog_data.config_keys("0.16", "build")
    assert cog_data.config_key_types("0.16", "build.gpu") == ("boolean",)
    assert cog_data.config_key_types("0.16", "build.python_version") == ("number", "string")
    assert cog_data.config_item_types("0.16", "build.run") == ("object", "string")


def test_config_keys_from_0_17_are_ignored_when_unknown():
    for version in ("0.17", "0.20", "0.23"):
        assert cog_data.unknown_keys_rejected(version) is False
        assert cog_data.config_limits(version)["minimum_python"] == "3.10"  # evidence: 3.8 → 3.10 in v0.17.0
        assert cog_data.config_required(version, "build") == ("python_version",)
        assert cog_data.dropped_config_keys(version) == ("concurrency.default_target",)
        assert cog_data.decoded_keys(version, "concurrency") == frozenset({"max"})
        removed = cog_data.removed_config_keys(version)
        assert {"build.fast", "build.cog_runtime"} <= set(removed)
        assert removed["build.fast"][1] == "0.16.12"
    assert cog_data.decoded_keys("0.16") is None
    assert {"run", "model"} <= cog_data.config_keys("0.20") and "run" not in cog_data.config_keys("0.19")
    assert cog_data.config_mutually_exclusive("0.23") == ("predict", "run")
    assert cog_data.config_key_fact("0.23", "weights[].name")["pattern"] == "^[a-z0-9]+([._-][a-z0-9]+)*$"
    assert "sdk_version" in cog_data.config_keys("0.23", "build")


def test_torch_python_versions():
    assert cog_data.torch_has_wheel("torch", "2.0.1", "3.12") is False  # evidence §3.2: torch==2.0.1 on 3.12
    assert cog_data.torch_has_wheel("torch", "2.0.1", "3.11") is True
    assert cog_data.torch_has_wheel("torch", "2.2.1", "3.13") is False  # evidence CG215
    assert cog_data.torch_has_wheel("torch", "2.2.1+cu121", "3.11") is True  # local tag ignored
    assert cog_data.torch_has_wheel("torch", "0.4.1", "3.6") is None  # before the data's floor
    wheels = cog_data.torch_python_versions("torchvision", "0.29.2")
    assert wheels.pythons == () and wheels.any_python3  # a py3-none wheel
    assert cog_data.torch_has_wheel("torchvision", "0.29.2", "3.12") is True
    assert cog_data.torch_releases("torch")[0] == "1.8.0"


def test_torchvision_and_torchaudio_pairs_agree_with_cogs_matrix():
    assert cog_data.torch_pair("torchvision", "0.20.1") == "2.5.1"
    assert cog_data.torch_pair("torchaudio", "2.5.1") == "2.5.1"
    assert cog_data.torch_pair("torchvision", "0.11.0") == "1.10.0"  # METADATA pins torch==1.10.0+cu102
    checked = 0
    for version in cog_data.known_cog_versions():
        for row in cog_data.torch_matrix(version):
            for package in ("torchvision", "torchaudio"):
                if row[package] and cog_data.torch_pair_spec(package, row[package]):
                    assert cog_data.torch_pair(package, row[package]) == row["torch"], (version, package, row)
                    checked += 1
    assert checked > 500  # two independent sources: PyPI METADATA and cog's matrix


def test_coglet_cog_exports():
    coglet = cog_data.coglet_cog_exports()
    assert {"BasePredictor", "BaseModel", "Input", "Path", "Secret", "ConcatenateIterator",
            "current_scope", "ExperimentalFeatureWarning"} <= coglet.importable
    for missing in ("BaseRunner", "streaming", "emit_metric", "File", "types", "ext"):  # issue 13
        assert missing not in coglet.importable
    assert "cog.types" not in coglet.submodules and "cog.ext.pipelines" not in coglet.submodules
    assert "cog.server.http" in coglet.submodules
    assert "Coder" in cog_data.coglet_cog_exports().all
    assert cog_data.coglet_module_names("cog.nope") is None


def test_cog_sdk_exports():
    sdk = cog_data.cog_sdk_exports("0.23")
    # cog-evidence.md §1.3: the `cog` module exports at H.
    assert set(sdk.all) == {"__version__", "BaseRunner", "BasePredictor", "BaseModel", "Opaque", "Input", "FieldInfo",
                            "Path", "Secret", "File", "URLFile", "URLPath", "ConcatenateIterator",
                            "AsyncConcatenateIterator", "CancelationException", "current_scope", "streaming",
                            "concurrent", "ExperimentalFeatureWarning", "emit_metric"}
    assert sdk.lazy == ("ExperimentalFeatureWarning", "emit_metric")
    assert {"cog.coder", "cog.errors", "cog.input", "cog.mode", "cog.model", "cog.predictor", "cog.server",
            "cog.server.http", "cog.suppress_output", "cog.types"} <= sdk.submodules
    assert "cog.server.worker" not in sdk.submodules and "cog.ext" not in sdk.submodules
    assert sdk.source == "cog==0.23.1"
    assert "BaseRunner" not in cog_data.cog_sdk_exports("0.19").importable  # BaseRunner arrived in 0.20
    assert "cog.server.worker" in cog_data.cog_sdk_exports("0.16").submodules
    assert cog_data.cog_sdk_exports("0.14") is None
    assert cog_data.cog_sdk_name_history("Predictor") == (("0.0.5", "0.1.1"),)
    assert cog_data.cog_sdk_module_history("cog.server.worker")[-1][1] == "0.16.12"
    removed = cog_data.removed_cog_names()
    assert "cog.server.worker" in removed["submodules"] and "cog.ext" in removed["submodules"]
    assert removed["deprecated_shims"] == ["ExperimentalFeatureWarning", "emit_metric"]


def test_import_names_map_to_distributions():
    expect = {"cv2": {"opencv-python", "opencv-python-headless", "opencv-contrib-python"}, "PIL": {"pillow"},
              "skimage": {"scikit-image"}, "sklearn": {"scikit-learn"}, "yaml": {"pyyaml"},
              "google.protobuf": {"protobuf"}, "whisper": {"openai-whisper"}, "dotenv": {"python-dotenv"},
              "bs4": {"beautifulsoup4"}, "ffmpeg": {"ffmpeg-python"}, "torch": {"torch"},
              "huggingface_hub": {"huggingface-hub"}, "diffusers": {"diffusers"}, "onnxruntime":
              {"onnxruntime", "onnxruntime-gpu"}}
    for name, dists in expect.items():
        assert set(cog_data.distributions_for_import(name)) == dists, name
    assert cog_data.distributions_for_import("PIL.Image") == ("pillow",)
    assert cog_data.distributions_for_import("google.protobuf.message") == ("protobuf",)
    assert cog_data.distributions_for_import("google") == ()  # a namespace: other distributions share it
    assert cog_data.distributions_for_import("my_local_helpers") == ()
    assert cog_data.imports_of_distribution("Pillow") == ("PIL",)


def test_what_a_requirement_brings_follows_its_requires_dist_transitively():
    brought = cog_data.installed_with(["diffusers"], "3.12")
    # diffusers requires huggingface-hub, which requires filelock/fsspec: two steps away.
    assert {"diffusers", "numpy", "pillow", "huggingface-hub", "safetensors", "filelock", "fsspec"} <= brought.distributions
    assert "torch" not in brought.distributions  # diffusers does not require torch without an extra
    assert cog_data.installed_with(["requests"], "3.12").distributions >= {"requests", "urllib3", "idna", "certifi"}
    assert "numpy" not in cog_data.installed_with(["requests"], "3.12").distributions
    unknown = cog_data.installed_with(["our-private-toolkit"])
    assert unknown.unknown == frozenset({"our-private-toolkit"}) and unknown.distributions == unknown.unknown
    assert "numpy" in cog_data.dependency_distributions() and "diffusers" not in cog_data.dependency_distributions()


def test_a_markers_python_decides_whether_a_dependency_comes():
    data = json.loads((REPO / "pipelint/data/cog/import-distributions.json").read_text())["distributions"]
    marked = [(d, r) for d, e in data.items() for r in e["requires"] if "python_version <" in r]
    assert marked, "no requirement with a python_version marker: the test needs another example"
    from packaging.requirements import Requirement

    markers = [str(Requirement(r).marker) for e in data.values() for r in e["requires"] if Requirement(r).marker]
    assert markers and not [m for m in markers if "extra" in m]  # what an extra brings is not installed by default


def test_environment_deny_list_is_cogs_per_release():
    assert "CUDA_*" in cog_data.environment_deny_list("0.23")
    assert "HF_HUB_ENABLE_HF_TRANSFER" in cog_data.environment_deny_list("0.17.0")
    assert cog_data.environment_deny_list("0.15.0") == ()  # no pkg/config/env.go list before 0.17
    assert cog_data.reserved_environment_pattern("CUDA_VISIBLE_DEVICES", "0.23") == "CUDA_*"
    assert cog_data.reserved_environment_pattern("PATH", "0.22.0") == "PATH"
    assert cog_data.reserved_environment_pattern("PATHS", "0.23") is None


def test_sdk_dependencies_are_each_releases_own():
    assert "requests>=2.25.0" in cog_data.sdk_dependencies("0.17.0")
    assert "coglet>=0.1.0,<1.0" in cog_data.sdk_dependencies("0.23")
    assert "pydantic>=1.9,<3" in cog_data.sdk_dependencies("0.16.12")  # the pydantic-era SDK
    assert "pydantic>=1.9,<3" not in cog_data.sdk_dependencies("0.17.0")


def test_data_files_are_consistent():
    for name in ("cuda-matrix.json", "config-keys.json"):
        data = json.loads((cog_data.DATA_DIR / name).read_text(encoding="utf-8"))
        assert set(data["minors"]) == set(cog_data.known_cog_versions())
        for release, info in data["releases"].items():
            assert info["data"] in data["datasets"], (name, release)
        for release in data["minors"].values():
            assert release in data["releases"]
    matrix = json.loads((cog_data.DATA_DIR / "cuda-matrix.json").read_text(encoding="utf-8"))
    for dataset in matrix["datasets"].values():
        cudas = [i["cuda"] for i in dataset["base_images"]]
        for row in dataset["torch"]:  # cog drops rows whose CUDA has no base image
            assert row["cuda"] is None or any(cog_data._cog_matches(row["cuda"], c) for c in cudas), row


# ---- against cog's real JSON schema ---------------------------------------------------------
@needs_repos
@pytest.mark.parametrize("tag,version", [("v0.15.11", "0.15"), ("v0.16.12", "0.16")])
def test_key_verdicts_agree_with_cogs_schema(tag, version):
    """Validate cog.yaml documents with cog's own schema (as ≤0.16 did, raw YAML → JSON) and compare."""
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads(_script().Git(COG_REPO).show(tag, "pkg/config/data/config_schema_v1.0.json"))
    docs = {
        "build:\n  python_version: '3.10'\n  fast: true\npredict: predict.py:Predictor\n": True,
        "build:\n  python_version: '3.10'\n  python_requirement: r.txt\npredict: p.py:P\n": False,
        "build:\n  python_version: '3.10'\ncommand: run\npredict: p.py:P\n": False,
        "build:\n  python_version: '3.10'\n  gpu: 'true'\npredict: p.py:P\n": False,
        "image: r8.im/me/model\nbuild:\n  python_version: '3.10'\npredict: p.py:P\n": True,
    }
    for text, valid in docs.items():
        doc = yaml.safe_load(text)
        errors = list(jsonschema.Draft7Validator(schema).iter_errors(doc))
        assert (not errors) == valid, (text, [e.message for e in errors])
        unknown = [k for k in doc if k not in cog_data.config_keys(version)]
        unknown += [f"build.{k}" for k in doc.get("build", {}) if k not in cog_data.config_keys(version, "build")]
        wrong_type = [k for k, v in doc.get("build", {}).items() if k in cog_data.config_keys(version, "build")
                      and {bool: "boolean", str: "string", int: "integer", float: "number", list: "array"}[type(v)]
                      not in cog_data.config_key_types(version, f"build.{k}")]
        assert (not unknown and not wrong_type) == valid, (text, unknown, wrong_type)
        for e in errors:
            if "Additional properties" in e.message:
                assert unknown


def test_a_top_level_value_parsed_alone_is_the_one_the_whole_file_holds():
    """cog_data._top reads one key of a data file without parsing the rest (the layout the
    regenerator writes); it must answer what parsing the whole file answers."""
    import json

    for path in sorted(cog_data.DATA_DIR.glob("*.json")):
        whole = json.loads(path.read_text(encoding="utf-8"))
        for key in whole:
            assert cog_data._top(path.name, key) == whole[key], (path.name, key)
            if isinstance(whole[key], dict):
                for member in whole[key]:
                    assert cog_data._member(path.name, key, member) == whole[key][member], (path.name, key, member)


def test_one_dataset_is_parsed_without_the_whole_file(monkeypatch):
    """In the regenerator's layout ``_member`` finds its value: neither the whole file nor the
    whole ``datasets`` object (``_top``) is parsed."""
    import json

    def parsed_whole(name, *key):
        raise AssertionError(f"{name} {key} parsed whole")

    monkeypatch.setattr(cog_data, "_load", parsed_whole)
    monkeypatch.setattr(cog_data, "_top", parsed_whole)
    cog_data._member.cache_clear()
    try:
        text = (cog_data.DATA_DIR / "cuda-matrix.json").read_text(encoding="utf-8")
        for member, value in json.loads(text)["datasets"].items():
            assert cog_data._member("cuda-matrix.json", "datasets", member) == value
    finally:
        cog_data._member.cache_clear()
