"""``meta`` reads the installed distribution's METADATA without ``importlib.metadata`` (a cold
run's link needs ``[project.urls]``): what it reads is what ``importlib.metadata`` reads, or it
leaves the file to it."""

from __future__ import annotations

import sys
from importlib import metadata

import pytest

from pipelint.core import meta

PLAIN = ("Metadata-Version: 2.4\nName: pipelint\nVersion: 1.2.3\nSummary: x: y\n"
         "Project-URL: Repository, https://example.org/o/pipelint\nProject-URL: Docs,https://example.org/d\n"
         "Requires-Dist: rich>=13.0\n\nThe description.\nProject-URL: not, a header\n")


def _site(tmp_path, metadata_text: str, name: str = "pipelint-1.2.3.dist-info", installer: bool = True):
    site = tmp_path / "site"
    info = site / name
    info.mkdir(parents=True)
    info.joinpath("METADATA").write_bytes(metadata_text.encode("utf-8"))
    if installer:
        info.joinpath("INSTALLER").write_text("pip\n")
    return site


@pytest.fixture
def only(monkeypatch):
    def use(site):
        monkeypatch.setattr(sys, "path", [str(site)])
        meta._installed_headers.cache_clear()
        meta._distribution.cache_clear()
    yield use
    meta._installed_headers.cache_clear()
    meta._distribution.cache_clear()


@pytest.mark.parametrize("text", [
    PLAIN, PLAIN.replace("\n", "\r\n"), PLAIN.replace("Summary: x: y\n", "Summary: folded\n  on two lines\n"),
    PLAIN.replace("Version: 1.2.3", "Version:\t 1.2.3"), "Name: pipelint\nVersion: 2\n", "Name: pipelint\n",
    PLAIN.replace("Summary", "From nowhere\nSummary"), PLAIN.replace("Summary: x: y", "Summary: caf\u00e9 \u2028 x"),
])
def test_headers_are_those_importlib_metadata_reads(tmp_path, only, text):
    site = _site(tmp_path, text)
    only(site)
    headers = meta._installed_headers()
    dist = next(iter(metadata.distributions(path=[str(site)], name="pipelint")))
    if headers is not None:
        assert headers.get("version", [None])[0] == dist.metadata["Version"]
        assert headers.get("project-url", []) == (dist.metadata.get_all("Project-URL") or [])
    expected_version = dist.version
    assert meta.version() == expected_version or meta.from_checkout()


def test_no_installed_distribution_leaves_it_to_importlib_metadata(tmp_path, only):
    only(_site(tmp_path, PLAIN, name="pipelint.egg-info", installer=False))
    assert meta._installed_headers() is None
    only(tmp_path / "nothing")
    assert meta._installed_headers() is None


def test_the_installed_one_wins_over_metadata_lying_around(tmp_path, monkeypatch):
    stale = _site(tmp_path / "a", PLAIN.replace("1.2.3", "0.0.1"), installer=False)
    real = _site(tmp_path / "b", PLAIN)
    monkeypatch.setattr(sys, "path", [str(stale), str(real)])
    meta._installed_headers.cache_clear()
    try:
        assert meta._installed_headers()["version"] == ["1.2.3"]
    finally:
        meta._installed_headers.cache_clear()
