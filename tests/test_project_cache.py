"""model.project.ProjectCache: what one lint parsed is reused by the next only where a file's
text is exactly the same, and the results are those of a lint without it (never stale).
Also runner.lint's cancellation check points.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, write_model

from pipelint.core.settings import Settings
from pipelint.engine import runner
from pipelint.engine.config import settings_for_model
from pipelint.model.project import ProjectCache

COG = 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\npredict: "main.py:run"\n'
REQUIREMENTS = "replicate>=1.1.0b1,<2.0.0a1\n"
MAIN = ("import replicate\nfrom cog import Input\n\nfrom helpers import clean\n\n"
        "flux = replicate.use('black-forest-labs/flux-schnell')\n\n\n"
        "def run(prompt: str = Input(description='Prompt')) -> str:\n    return clean(str(flux(prompt=prompt)))\n")
HELPERS = "def clean(text: str) -> str:\n    return text.strip()\n"
TOKEN = ("\n\ndef notify(url: str) -> int:\n"
         "    headers = {\"Authorization\": \"Bearer Xq7pLm2vRt9sKw4nZb8cHd3f\", \"Content-Type\": \"application/json\"}\n"
         "    return len(url) + len(headers)\n")


def report(result) -> list:
    out = []
    for d in result.diagnostics:
        data = d.to_json()
        if data["fix"]:  # the order of a fix's edits may follow a set of nodes (their addresses); the applier sorts them
            data["fix"]["edits"].sort(key=lambda e: (e["filename"], e["location"]["row"], e["location"]["column"]))
        out.append(data)
    return out + [sorted(result.internal_errors)]


def rel(paths, root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in paths}


@pytest.fixture
def model(tmp_path):
    return write_model(tmp_path / "model", {"cog.yaml": COG, "requirements.txt": REQUIREMENTS, "main.py": MAIN,
                                            "helpers.py": HELPERS}).resolve()


def test_unchanged_files_are_reused_and_the_changed_one_parsed_again(model):
    cache = ProjectCache()
    first = runner.lint(model, Settings(), cache=cache)
    assert rel(cache.parsed, model) == {"cog.yaml", "requirements.txt", "main.py", "helpers.py"}
    assert cache.reused == []

    edited = {model / "main.py": MAIN + TOKEN}  # an unsaved buffer, as the editor lints it
    second = runner.lint(model, Settings(), overlays=edited, cache=cache)
    assert rel(cache.parsed, model) == {"main.py"}
    assert rel(cache.reused, model) == {"cog.yaml", "requirements.txt", "helpers.py"}
    assert report(second) == report(runner.lint(model, Settings(), overlays=edited))
    assert report(second) != report(first)  # the token in the edited buffer is found

    third = runner.lint(model, Settings(), overlays=edited, cache=cache)
    assert rel(cache.parsed, model) == set()
    assert report(third) == report(second)


def test_a_file_changed_on_disk_is_read_and_parsed_again_never_stale(model):
    cache = ProjectCache()
    runner.lint(model, Settings(), cache=cache)
    (model / "helpers.py").write_text(HELPERS + TOKEN, encoding="utf-8")
    (model / "requirements.txt").write_text("replicate==0.1\n", encoding="utf-8")
    again = runner.lint(model, Settings(), cache=cache)
    assert rel(cache.parsed, model) == {"helpers.py", "requirements.txt"}
    assert rel(cache.reused, model) == {"cog.yaml", "main.py"}
    assert report(again) == report(runner.lint(model, Settings()))

    # cog.yaml names another entry: main.py's tree is reused, what is derived from it is not.
    (model / "cog.yaml").write_text(COG.replace("main.py:run", "main.py:notify"), encoding="utf-8")
    (model / "main.py").write_text(MAIN + TOKEN, encoding="utf-8")
    runner.lint(model, Settings(), cache=cache)
    (model / "main.py").write_text(MAIN + TOKEN, encoding="utf-8")  # same text, new time stamp
    moved = runner.lint(model, Settings(), cache=cache)
    assert "main.py" in rel(cache.reused, model)
    assert report(moved) == report(runner.lint(model, Settings()))


def test_a_module_that_hit_a_limit_is_parsed_again(model):
    deep = "x = " + " + ".join(["1"] * 400) + "\n"  # valid Python, deeper than pipelint analyses
    (model / "helpers.py").write_text(HELPERS + deep, encoding="utf-8")
    cache = ProjectCache()
    first = runner.lint(model, Settings(), cache=cache)
    second = runner.lint(model, Settings(), cache=cache)
    assert "helpers.py" in rel(cache.parsed, model)
    assert report(second) == report(first) == report(runner.lint(model, Settings()))


FIXTURE_DIRS = sorted(p.parent for p in FIXTURES.glob("**/expected.txt"))


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_every_fixture_gives_the_same_report_from_a_warm_cache(folder):
    settings = settings_for_model(folder)
    cache = ProjectCache()
    cold = runner.lint(folder, settings, cache=cache)
    warm = runner.lint(folder, settings, cache=cache)
    assert report(warm) == report(cold) == report(runner.lint(folder, settings))


# ---- cancellation ------------------------------------------------------------------------
def test_a_cancelled_lint_stops_at_the_next_check_point(model):
    with pytest.raises(runner.Cancelled):
        runner.lint(model, Settings(), cancelled=lambda: True)

    asked = []

    def after(n):
        def cancelled():
            asked.append(n)
            return len(asked) > n

        return cancelled

    never = runner.lint(model, Settings(), cancelled=lambda: False)
    assert report(never) == report(runner.lint(model, Settings()))
    total = len(asked)
    asked.clear()
    runner.lint(model, Settings(), cancelled=after(10**9))
    total = len(asked)
    assert total > 10  # between phases, rules and modules
    for n in (1, total // 2, total - 1):
        asked.clear()
        with pytest.raises(runner.Cancelled):
            runner.lint(model, Settings(), cancelled=after(n))
        assert len(asked) == n + 1  # it stopped at the first check point that said so


def test_cancellation_is_checked_between_modules(model):
    cache = ProjectCache()
    seen = []

    def cancelled():
        seen.append(tuple(sorted(rel(cache.parsed, model))))
        return False

    runner.lint(model, Settings(), cache=cache, cancelled=cancelled)
    # asked once helpers.py was parsed, before the lint ended: a check point lies between the modules
    assert any("helpers.py" in s for s in seen[:-1])
