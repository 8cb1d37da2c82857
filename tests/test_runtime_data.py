"""The runtime data pipelint ships is what scripts/regenerate_runtime_data.py derives, byte for byte.

Three layers, each checked against its source:
* the real wheels of the pinned packages → scripts/runtime-wheels.json (downloads from PyPI);
* the manifest → pipelint/data/import-names.json (offline);
* real Python 3.10–3.13 interpreters → stdlib-3.13.txt and stdlib-removed.txt (when installed).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest
from conftest import REPO

SCRIPT = REPO / "scripts" / "regenerate_runtime_data.py"


def _script():
    spec = importlib.util.spec_from_file_location("regenerate_runtime_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout)


def test_import_names_are_what_the_script_derives_from_the_manifest():
    script = _script()
    manifest = json.loads(script.MANIFEST.read_text(encoding="utf-8"))
    assert script.dumps(script.import_names(manifest)) == script.IMPORT_NAMES.read_text(encoding="utf-8")
    done = _run("--check", "--skip-stdlib")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_manifest_covers_exactly_the_runtime_list():
    script = _script()
    manifest = json.loads(script.MANIFEST.read_text(encoding="utf-8"))
    listed = {name for name, *_ in script.runtime_requirements()}
    assert set(manifest["wheels"]) == listed
    for name, version, text, _ in script.runtime_requirements():
        entry = manifest["wheels"][name]
        assert entry["requirement"] == text
        assert entry["wheel"].split("-")[1] == version  # the wheel of exactly the pinned version


def test_a_changed_record_changes_the_derived_names():
    script = _script()
    manifest = json.loads(script.MANIFEST.read_text(encoding="utf-8"))
    manifest["wheels"]["pillow"]["record_top_level"] = ["pillow-11.2.1.dist-info/", "pillow.libs/", "Pillow/"]
    derived = script.import_names(manifest)["distributions"]
    assert derived["pillow"] == ["Pillow"]
    assert script.dumps(script.import_names(manifest)) != script.IMPORT_NAMES.read_text(encoding="utf-8")


def test_record_entries_that_are_not_modules_are_not_import_names():
    script = _script()
    entries = ["numpy-2.3.1.dist-info/", "numpy.libs/", "numpy/", "_cffi_backend.cpython-313-x86_64-linux-gnu.so",
               "six.py", "README.md", "__pycache__/", "pkg-1.0.data/", "foo.pth"]
    assert script.import_names_from_record(entries) == ["_cffi_backend", "numpy", "six"]


def test_the_shipped_data_is_what_pipelint_reads():
    from pipelint.model.runtime import load

    runtime = load()
    assert runtime.provider("PIL") == "pillow"
    assert runtime.provider("sklearn") == "scikit-learn"
    assert runtime.provider("dotenv") == "python-dotenv"
    assert runtime.provider("cog") == "coglet"
    assert str(runtime.package("replicate").version) == "1.1.0b2"
    assert str(runtime.package("Pydantic").version) == "1.10.22"
    assert str(runtime.package("coglet").version) == "0.1.0a31"  # from the wheel file name in the URL
    assert "json" in runtime.stdlib and "tomllib" in runtime.stdlib and "imghdr" not in runtime.stdlib
    assert runtime.removed["imghdr"] == "3.13" and runtime.removed["distutils"] == "3.12"


def test_a_user_runtime_list_gets_import_names_from_metadata_or_the_name(tmp_path):
    from pipelint.model.runtime import load

    custom = tmp_path / "requirements.txt"
    custom.write_text("pillow==11.2.1\nPyYAML==6.0.2\nsome-new_package==1.0\n--index-url https://example.org\n")
    runtime = load(custom)
    assert runtime.provider("PIL") == "pillow"  # shipped data
    assert runtime.provider("yaml") == "pyyaml"  # installed metadata (PyYAML is a pipelint dependency)
    assert runtime.provider("some_new_package") == "some-new-package"  # the normalised name
    assert runtime.provider("cog") == "cog"  # the runtime always has cog
    assert runtime.provider("numpy") is None


def test_the_standard_library_files_are_what_real_interpreters_say():
    script = _script()
    found = script.find_pythons({})
    missing = [v for v in script.STDLIB_VERSIONS if v not in found]
    if missing:
        pytest.skip(f"needs Python {', '.join(missing)} to regenerate the standard-library lists")
    for path, text in script.stdlib_files(found).items():
        assert text == path.read_text(encoding="utf-8"), f"{path.name} differs from what the interpreters say"


@pytest.mark.network
def test_the_manifest_is_what_the_real_wheels_hold(tmp_path):
    """Downloads the pinned wheels (about 100 MB, seconds from PyPI) and re-derives everything."""
    done = _run("--wheels", str(tmp_path), "--download", "--check", "--skip-stdlib", timeout=600)
    if done.returncode and "pip download failed" in done.stderr:
        pytest.skip(f"cannot download the runtime's wheels here: {done.stderr.strip().splitlines()[-1]}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(list(tmp_path.glob("*.whl"))) >= 28
    kept = [line for line in done.stderr.splitlines() if "keeping its recorded entry" in line]
    # Only coglet may keep its recorded entry: its wheel is a GitHub release download.
    assert all("coglet" in line for line in kept), kept
