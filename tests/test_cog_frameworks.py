"""pipelint.analysis.cog_frameworks: the torch family as cog and pip read it."""

from __future__ import annotations

from packaging.requirements import Requirement
from packaging.version import Version

from pipelint.analysis import cog_frameworks as fw
from pipelint.engine.runner import for_target


def pin(text: str) -> fw.PinLine:
    return fw.PinLine(text, Requirement(text))


def test_cog_reads_the_first_version_written():
    assert pin("torch>=2.4,<2.5").cog_version == "2.4"
    assert pin("torch<2.5").cog_version == "2.5"
    assert pin("torch").cog_version == ""
    assert pin("torch==2.5.1+cu121").cog_version == "2.5.1+cu121"
    assert pin("torch[opt]==2.5.1").cog_name == "torch[opt]"


def test_admitted_by_the_versions_a_specifier_admits():
    releases = ["2.3.0", "2.3.1", "2.4.0", "2.4.1", "2.5.1"]
    assert fw.admitted(Requirement("torch~=2.3.0"), releases) == ["2.3.0", "2.3.1"]
    assert fw.admitted(Requirement("torch>=2.4,<2.5"), releases) == ["2.4.0", "2.4.1"]
    assert fw.admitted(Requirement("torch==2.5.1+cu121"), releases) == ["2.5.1"]
    assert fw.admits_unknown_newer(Requirement("torch>=2.4"), releases)
    assert not fw.admits_unknown_newer(Requirement("torch<2.5"), releases)


def test_admits_nothing_from():
    floor = Version("2.25.0")
    assert fw.admits_nothing_from(Requirement("requests<2.25"), floor)
    assert fw.admits_nothing_from(Requirement("requests==2.24.*"), floor)
    assert not fw.admits_nothing_from(Requirement("requests==2.*"), floor)
    assert not fw.admits_nothing_from(Requirement("requests"), floor)


def test_a_cog_version_line_stands_for_its_newest_release():
    class Rule:
        targets = ("cog",)
        cog_versions = ">=0.16.10"

    assert for_target([Rule], "cog", "0.16") == [Rule]  # the 0.16 line is 0.16.12
    assert for_target([Rule], "cog", "0.16.3") == []
    assert for_target([Rule], "cog", "0.23") == [Rule]
