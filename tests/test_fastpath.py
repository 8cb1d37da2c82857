"""The warm path (app/fastpath.py): a repeated run is replayed without importing the CLI, its
output is byte for byte the full run's, and any change it depends on sends it down the full path."""

from __future__ import annotations

import shutil

from conftest import FIXTURES
from test_startup import imported_modules

from pipelint.app.fastpath import replayable


def _model(tmp_path):
    return shutil.copytree(FIXTURES / "cog_yaml" / "gpu_template_everything_wrong", tmp_path / "m",
                           ignore=shutil.ignore_patterns(".pipelint_cache"))


def test_a_repeated_run_is_replayed_without_the_cli_and_prints_the_same(tmp_path):
    model, cache = _model(tmp_path), tmp_path / "cache"
    args = ("--cache-dir", str(cache), str(model))
    first_names, first = imported_modules(*args)
    assert "pipelint.app.cli" in first_names
    again_names, again = imported_modules(*args)
    assert "pipelint.app.cli" not in again_names and "rich" not in {n.split(".")[0] for n in again_names}
    assert (again.stdout, again.returncode) == (first.stdout, first.returncode) and "^^^" in first.stdout


def test_any_change_it_depends_on_takes_the_full_path(tmp_path):
    model, cache = _model(tmp_path), tmp_path / "cache"
    args = ("--output-format", "concise", "--cache-dir", str(cache), str(model))
    imported_modules(*args)
    cog = model / "cog.yaml"
    cog.write_text(cog.read_text().replace("gpu: true", "gpu: false"))  # same folder listing, new bytes
    names, changed = imported_modules(*args)
    assert "pipelint.app.cli" in names and "PL106" not in changed.stdout
    (model / "helpers.py").write_text("X = 1\n")  # a new file
    names, added = imported_modules(*args)
    assert "pipelint.app.cli" in names and "PL107" in added.stdout
    (tmp_path / "pipelint.toml").write_text('ignore = ["PL107"]\n')  # a configuration above the model
    names, configured = imported_modules(*args)
    assert "pipelint.app.cli" in names and "PL107" not in configured.stdout
    names, other_flags = imported_modules("--select", "PL001", *args)  # other arguments: another key
    assert "pipelint.app.cli" in names
    names, replayed = imported_modules(*args)
    assert "pipelint.app.cli" not in names and replayed.stdout == configured.stdout


def test_only_side_effect_free_lints_are_replayable():
    assert replayable(["m"]) == (["m"], None)
    assert replayable(["check", "--cache-dir", "c", "--output-format=json", "a", "b"]) == (["a", "b"], "c")
    assert replayable([]) == (["."], None)
    for argv in (["--fix", "m"], ["--diff", "m"], ["--no-cache", "m"], ["--watch"], ["-o", "x", "m"],
                 ["--config", "c.toml", "m"], ["-", "--stdin-filename", "m/main.py"], ["rule", "PL101"],
                 ["lsp"], ["clean"], ["--version"], ["--help"], ["--cache-dir"], ["--quiet=1", "m"]):
        assert replayable(argv) is None, argv
