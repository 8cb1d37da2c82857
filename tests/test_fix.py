"""--fix on real model folders: results parse, nothing new appears, fixes stick, bytes are kept."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli, write_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelint.core.settings import Settings
from pipelint.engine.fixer import fix_model, write_changes
from pipelint.engine.runner import lint
from pipelint.model import yamlnodes


def fixture_dirs():
    return sorted(p.parent for p in FIXTURES.glob("**/expected.txt") if "hostile" not in p.parts)


def model_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def unparsable(root: Path) -> set[str]:
    """Files of the model that are not valid Python / YAML (or not text at all)."""
    import libcst as cst

    bad = set()
    for rel, data in model_files(root).items():
        if not rel.endswith((".py", ".yaml", ".yml")):
            continue
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            bad.add(rel)
            continue
        if rel.endswith(".py"):
            try:
                cst.parse_module(text)
            except Exception:  # noqa: BLE001 - any parser failure counts
                bad.add(rel)
        elif yamlnodes.compose(text).error:
            bad.add(rel)
    return bad


# Diagnostics that stop pipelint from reaching the entry module or parts of the project.
ENTRY_BLOCKERS = {"PL001", "PL002", "PL003", "PL004", "PL101", "PL102", "PL103", "PL104", "PL105"}


def settings_of(root: Path, select=None) -> Settings:
    """The model's own settings (a copied fixture keeps its pipelint.toml), with ``select``."""
    from pipelint.engine.config import settings_for_model

    settings = settings_for_model(root)
    return settings.replace(select=select) if select is not None else settings


def fix_and_write(root: Path, unsafe: bool = False, select=None):
    outcome = fix_model(root, settings_of(root, select), unsafe=unsafe)
    assert not outcome.internal_errors, outcome.internal_errors
    assert write_changes(outcome) == []
    return outcome


def check_fix_invariants(root: Path, unsafe: bool = False, only_changed_files: bool = False) -> None:
    """The four facts of --fix: files still parse, nothing new appears, safe fixes stick, idempotent.

    ``only_changed_files`` is for generated models, where the entry may be unreachable at first:
    fixing that root cause (`run:` → `predict:`) lets pipelint look at the entry for the first
    time, so what it then finds is newly visible, not newly made. There "nothing new" is checked
    only when nothing blocked the analysis before.
    """
    broken_before = unparsable(root)
    before = lint(root, settings_of(root)).diagnostics
    outcome = fix_and_write(root, unsafe=unsafe)
    assert unparsable(root) <= broken_before
    after = lint(root, settings_of(root)).diagnostics
    blocked = only_changed_files and any(d.code in ENTRY_BLOCKERS for d in before)
    if not unsafe and not blocked:
        count_before = Counter((d.code, d.path.name) for d in before)
        count_after = Counter((d.code, d.path.name) for d in after)
        grown = {k: v for k, v in count_after.items() if v > count_before.get(k, 0)}
        # Renaming a misspelt cog.yaml key (CG101: `python_requirement` -> `python_requirements`)
        # makes cog read a file it ignored: findings in that untouched file are newly visible.
        if any(d.code == "CG101" for d in outcome.applied):
            changed = {p.name for p in outcome.changes}
            grown = {k: v for k, v in grown.items() if k[1] in changed}
        assert not grown, f"fixing introduced {grown}"
        left = [d for d in after if d.fix is not None and d.fix.applicability.value == "safe"]
        assert not left, [(d.code, d.message) for d in left]
    snapshot = model_files(root)
    second = fix_and_write(root, unsafe=unsafe)
    assert not second.changes, {str(p): c.after for p, c in second.changes.items()}
    assert model_files(root) == snapshot


@pytest.mark.parametrize("folder", fixture_dirs(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fix_invariants_on_every_fixture(folder, tmp_path):
    root = tmp_path / folder.name
    shutil.copytree(folder, root, symlinks=True)
    check_fix_invariants(root.resolve())


@pytest.mark.parametrize("folder", fixture_dirs(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_unsafe_fixes_keep_files_valid_and_are_idempotent(folder, tmp_path):
    root = tmp_path / folder.name
    shutil.copytree(folder, root, symlinks=True)
    check_fix_invariants(root.resolve(), unsafe=True)


GPU_MODEL = {
    "cog.yaml": 'build:\n  gpu: true\n  cuda: "12.1"\n  python_version: "3.11"\npredict: "main.py:run"\n',
    "main.py": "def run(prompt: str) -> str:\n    return prompt\n",
    "requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\n",
    "pipelint.toml": 'target = "pipeline"\n',  # it calls no model: auto-detection would say cog
}


def test_crlf_and_bom_are_kept(tmp_path):
    crlf = {k: v.replace("\n", "\r\n") for k, v in GPU_MODEL.items()}
    crlf["cog.yaml"] = "\ufeff" + crlf["cog.yaml"]
    root = write_model(tmp_path / "m", crlf).resolve()
    fix_and_write(root)
    data = (root / "cog.yaml").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"gpu: false\r\n" in data and b"cuda" not in data
    assert data.count(b"\n") == data.count(b"\r\n")
    assert b'python_version: "3.13"\r\n' in data


def test_lone_cr_line_endings_are_kept(tmp_path):
    cr = dict(GPU_MODEL, **{"cog.yaml": GPU_MODEL["cog.yaml"].replace("\n", "\r")})
    root = write_model(tmp_path / "m", cr).resolve()
    fix_and_write(root)
    data = (root / "cog.yaml").read_bytes()
    assert b"\n" not in data and b"gpu: false\r" in data


def test_unchanged_files_are_not_rewritten(tmp_path):
    root = write_model(tmp_path / "m", GPU_MODEL).resolve()
    main = root / "main.py"
    stamp = main.stat().st_mtime_ns
    fix_and_write(root)
    assert main.stat().st_mtime_ns == stamp


def test_file_mode_is_kept(tmp_path):
    root = write_model(tmp_path / "m", GPU_MODEL).resolve()
    (root / "cog.yaml").chmod(0o640)
    fix_and_write(root)
    assert (root / "cog.yaml").stat().st_mode & 0o777 == 0o640


def test_read_only_file_is_reported_not_crashed(tmp_path):
    root = write_model(tmp_path / "m", GPU_MODEL).resolve()
    cog = root / "cog.yaml"
    original = cog.read_bytes()
    cog.chmod(0o444)
    proc = run_cli("--fix", "--output-format", "concise", str(root))
    assert proc.returncode == 1
    assert "read-only" in proc.stderr and "Traceback" not in proc.stderr
    assert cog.read_bytes() == original
    assert "PL106" in proc.stdout  # still reported: the file on disk was not fixed


def test_a_fix_that_would_break_the_file_is_refused(tmp_path):
    from pipelint.edits.apply import parses

    assert parses(Path("main.py"), "def run(:\n") is not None
    assert parses(Path("cog.yaml"), "a: [\n") is not None
    assert parses(Path("cog.yaml"), "a: 1\n") is None


def test_cli_fix_exit_codes(tmp_path):
    only_fixable = dict(GPU_MODEL, **{"cog.yaml": 'build:\n  gpu: true\npredict: "main.py:run"\n'})
    root = write_model(tmp_path / "m", only_fixable)
    proc = run_cli("--fix", "--show-fixes", str(root))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PL106" in proc.stdout and "Fixed 1 issue" in proc.stdout
    proc = run_cli(str(root))
    assert proc.returncode == 0


def test_cli_diff_writes_nothing(tmp_path):
    root = write_model(tmp_path / "m", GPU_MODEL)
    before = model_files(root)
    proc = run_cli("--diff", str(root))
    assert proc.returncode == 1
    assert "-  gpu: true" in proc.stdout and "+  gpu: false" in proc.stdout
    assert model_files(root) == before
    clean = write_model(tmp_path / "clean", {**GPU_MODEL, "cog.yaml": 'predict: "main.py:run"\n'})
    assert run_cli("--diff", str(clean)).returncode == 0


def test_summary_counts_fixes_hidden_behind_unsafe(tmp_path):
    files = dict(GPU_MODEL, **{"cog.yaml": 'build:\n  python_packages: ["requests==2.32.4"]\npredict: "main.py:run"\n'})
    root = write_model(tmp_path / "m", files)
    proc = run_cli("--output-format", "concise", str(root))
    # The hint names the command line that applies it: `--unsafe-fixes` alone fixes nothing.
    assert "(1 fixable with --fix --unsafe-fixes)" in proc.stdout
    proc = run_cli("--fix", "--unsafe-fixes", "--output-format", "concise", "--select", "PL109", str(root))
    assert proc.returncode == 0, proc.stdout
    assert "requests==2.32.4" in (root / "requirements.txt").read_text()


# ---- property: fixes on generated variants of the fixtures ---------------------------------

COG_VARIANTS = [
    'build:\n  gpu: true\npredict: "main.py:run"\n',
    'build: {gpu: true, cuda: "11.8", python_version: "3.12"}\npredict: "main.py:run"\n',
    'run: "main.py:run"\nbuild:\n  python_version: 3.10\n  cuda: "12.1"\n',
    '# comment\nbuild:\n  cuda: "12.1"  # old\n  gpu: yes\n  python_requirements: requirements.txt\npredict: main.py:run\n',
    'build:\n  python_packages:\n    - requests==2.32.4\n    - numpy\npredict: "main.py:run"\n',
]


def _sources():
    mains, reqs = set(), set()
    for folder in fixture_dirs():
        m, r = folder / "main.py", folder / "requirements.txt"
        if m.is_file():
            data = m.read_bytes()
            if len(data) < 20_000:
                mains.add(data)
        if r.is_file():
            reqs.add(r.read_bytes())
    return sorted(mains), sorted(reqs)


MAINS, REQS = _sources()


@settings(max_examples=500 if os.environ.get("PIPELINT_FUZZ") == "long" else 15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cog=st.sampled_from(COG_VARIANTS),
    main=st.sampled_from(MAINS),
    req=st.sampled_from(REQS),
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    unsafe=st.booleans(),
)
def test_fix_invariants_on_generated_variants(tmp_path_factory, cog, main, req, newline, bom, unsafe):
    root = tmp_path_factory.mktemp("variant").resolve()
    cog_text = ("\ufeff" if bom else "") + cog.replace("\n", newline)
    write_model(root, {"cog.yaml": cog_text, "main.py": main, "requirements.txt": req,
                       "pipelint.toml": 'target = "pipeline"\n'})
    check_fix_invariants(root, unsafe=unsafe, only_changed_files=True)
    data = (root / "cog.yaml").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == bom
    if newline == "\r\n":
        assert data.count(b"\n") == data.count(b"\r\n")


# ---- the rounds' lints share a ProjectCache: same outcome as lints that share nothing ----------

def _outcome_facts(outcome) -> dict:
    """Everything a fix run hands on (to --fix, --diff and the editor), comparable with ``==``."""
    return dict(
        changes={p: (c.before, c.after, c.bom, c.newline) for p, c in outcome.changes.items()},
        applied=[repr(d) for d in outcome.applied],
        remaining=[repr(d) for d in outcome.remaining],
        refused=outcome.refused,
        internal=[e.splitlines()[0] for e in outcome.internal_errors],
        sources=outcome.sources,
    )


def _uncached(root, settings, unsafe):
    """The fixer as it was: every lint parses every file, every fixed file is parsed once more."""
    return fix_model(root, settings, unsafe=unsafe, lint=lint)


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("folder", fixture_dirs(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_the_cached_fixer_gives_the_uncached_outcome_on_every_fixture(folder, unsafe, tmp_path):
    root = tmp_path / folder.name
    shutil.copytree(folder, root, symlinks=True)
    root = root.resolve()
    settings = settings_of(root)
    assert _outcome_facts(fix_model(root, settings, unsafe=unsafe)) == _outcome_facts(_uncached(root, settings, unsafe))


def _fixed_examples():
    from test_rule_examples import _cases

    return [p for p in _cases("INVALID") if p.values[1].fixed is not None]


@pytest.mark.parametrize("rule,case", _fixed_examples())
def test_the_cached_fixer_gives_the_uncached_outcome_on_every_rule_example(rule, case, tmp_path):
    root = write_model(tmp_path / "model", case.model_files()).resolve()
    settings = Settings(select=[rule.code], target=rule.targets[0], cog_version=case.cog_version)
    assert _outcome_facts(fix_model(root, settings, unsafe=True)) == _outcome_facts(_uncached(root, settings, True))


DEAD_COMMENTS = {
    "cog.yaml": 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\npredict: "main.py:run"\n',
    "requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\n",
    "main.py": ("import replicate\n\nflux = replicate.use('black-forest-labs/flux-schnell')\n\n\n"
                "def run(prompt: str) -> str:\n"
                + "".join(f"    x{i} = {i}  # pipelint: ignore[PL501]\n" for i in range(20))
                + "    return prompt\n"),
}


def test_a_fix_run_lints_twice_and_the_re_lint_parses_nothing(tmp_path, monkeypatch):
    """One lint finds the fixes, one re-lint of the fixed text is both the check that nothing is
    left to fix and the lint whose diagnostics are reported; the re-lint reuses every parse: the
    unchanged files' from the first lint, the fixed file's from the check that it parses."""
    from pipelint.engine import runner
    from pipelint.model.project import ProjectCache

    root = write_model(tmp_path / "m", DEAD_COMMENTS).resolve()
    cache, lints = ProjectCache(), []
    real = runner.lint

    def counting(*args, **kwargs):
        result = real(*args, **kwargs)
        lints.append((list(cache.parsed), list(cache.reused)))
        return result

    monkeypatch.setattr(runner, "lint", counting)
    outcome = fix_model(root, Settings(target="pipeline"), cache=cache)
    assert len(outcome.applied) == 20 and not outcome.refused
    assert len(lints) == 2
    parsed, reused = lints[1]
    assert parsed == [] and root / "main.py" in reused and root / "cog.yaml" in reused
    assert outcome.remaining == real(root, Settings(target="pipeline"),
                                     overlays={p: c.after for p, c in outcome.changes.items()}).diagnostics


def test_the_parse_check_through_the_cache_gives_the_verdict_and_message_of_parses(tmp_path):
    from pipelint.core.source import BOM
    from pipelint.edits.apply import parses
    from pipelint.engine.fixer import _parses
    from pipelint.model.project import Project, ProjectCache

    root = write_model(tmp_path / "m", DEAD_COMMENTS).resolve()
    cache = ProjectCache()
    project = Project(root, Settings(), cache=cache)
    cases = [("main.py", "def run(:\n"), ("main.py", "x = (" * 300 + ")" * 300 + "\n"), ("main.py", "x = 1\n"),
             ("main.py", BOM + "x = 1\n"), ("main.py", "print 'py2'\n"), ("pkg/__init__.py", "from . import a\n"),
             ("cog.yaml", "a: [\n"), ("cog.yaml", "a: 1\n"), ("requirements.txt", "torch\n")]
    for rel, text in cases:
        path = root / rel
        assert _parses(path, text, project, cache) == parses(path, text), (rel, text)
    # what it parsed is what the next lint of that text reuses
    assert _parses(root / "main.py", "x = 1\n", project, cache) is None
    lint(root, Settings(), overlays={root / "main.py": "x = 1\n"}, cache=cache)
    assert root / "main.py" in cache.reused


REFUSING = FIXTURES / "cog" / "outputs" / "pydantic_era_output_breaks_on_cog017"  # an unsafe fix libcst cannot parse


def test_a_refused_round_keeps_its_lint_which_a_re_lint_would_repeat(tmp_path, monkeypatch):
    """A refused round changes no overlay: the next round judges the same lint's diagnostics
    (without the banned fixes) instead of linting the same texts again."""
    from pipelint.engine import runner

    root = tmp_path / REFUSING.name
    shutil.copytree(REFUSING, root, symlinks=True)
    root = root.resolve()
    settings = settings_of(root)
    calls = []
    real = runner.lint

    def recording(root, settings, overlays=None, **kwargs):
        result = real(root, settings, overlays=overlays, **kwargs)
        calls.append((dict(overlays or {}), result))
        return result

    monkeypatch.setattr(runner, "lint", recording)
    outcome = fix_model(root, settings, unsafe=True)
    assert outcome.refused, "the fixture no longer has a fix that would not parse"
    states = [overlays for overlays, _ in calls]
    assert all(a != b for a, b in zip(states, states[1:], strict=False)), "a round re-linted the texts it had linted"
    monkeypatch.setattr(runner, "lint", real)
    for overlays, result in calls:  # what the skipped re-lint would have said: the same
        again = real(root, settings, overlays=overlays)
        assert [repr(d) for d in again.diagnostics] == [repr(d) for d in result.diagnostics]
        assert [e.splitlines()[0] for e in again.internal_errors] == [e.splitlines()[0] for e in result.internal_errors]
