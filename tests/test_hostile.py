"""Hostile input: pipelint never crashes, hangs or corrupts a file, and says what it could not read.

Model folders that can be committed live in fixtures/hostile/ (test_fixtures.py checks their
exact diagnostics in-process); here the real CLI runs over them in a subprocess. What cannot be
committed (5 MB files, expressions nested thousands of levels deep, symlink loops, chmod 000,
FIFOs, file names that are not UTF-8) is built in tmp_path.

Bounds are enforced, not measured: every CLI run has a wall-clock timeout and an address-space
limit (``resource.RLIMIT_AS``), so a hang or a memory blow-up fails the test, and a crash of a
native extension (libcst's parser segfaults on deeply nested input) shows as a negative exit code.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, write_model

from pipelint.core.settings import Settings
from pipelint.engine.runner import lint

HOSTILE = FIXTURES / "hostile"
MEMORY_LIMIT = 1 << 30  # bytes of address space for one CLI run; a clean run needs ~300 MB
TIMEOUT = 120  # seconds for one CLI run over many models; a normal run takes a few

COG = 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\npredict: "main.py:run"\n'
REQ = "replicate>=1.1.0b1,<2.0.0a1\n"
MAIN = 'from cog import Input\n\n\ndef run(prompt: str = Input(description="Prompt")) -> str:\n    return prompt\n'


def model(files: dict | None = None) -> dict:
    """A clean model's files, with ``files`` ({relative path: text}) replacing or adding some."""
    # Judged as a pipeline whatever its main.py holds (most hostile mains call no model).
    return {"cog.yaml": COG, "requirements.txt": REQ, "main.py": MAIN, "pipelint.toml": 'target = "pipeline"\n',
            **(files or {})}


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(*args: str, cwd: Path | None = None, prefix: tuple[str, ...] = (), env: dict | None = None):
    """The CLI in a subprocess, under a timeout and a memory limit."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run([*prefix, sys.executable, "-m", "pipelint", *args], cwd=cwd, env=full_env,
                          capture_output=True, timeout=TIMEOUT, preexec_fn=_limit_memory)
    proc.stdout = proc.stdout.decode("utf-8", "backslashreplace")
    proc.stderr = proc.stderr.decode("utf-8", "backslashreplace")
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode} (a crash in native code?)\n{proc.stderr[-3000:]}"
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr[-3000:])
    return proc


def json_diagnostics(proc) -> list[dict]:
    return json.loads(proc.stdout)


def located(diags: list[dict], root: Path) -> list[str]:
    out = []
    for d in diags:
        rel = os.path.relpath(Path(d["filename"]).resolve(), root.resolve()).replace(os.sep, "/")
        out.append(f"{d['code']} {rel}:{d['location']['row']}:{d['location']['column']}")
    return sorted(out)


def expected_of(folder: Path) -> list[str]:
    lines = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    return sorted(line.split("#")[0].strip() for line in lines if line.split("#")[0].strip())


def hostile_fixtures() -> list[Path]:
    return sorted(p.parent for p in HOSTILE.glob("**/expected.txt"))


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".pipelint_cache", "__pycache__"))
    return dst


# ---- the committed hostile fixtures, through the real CLI -----------------------------------

def test_there_are_hostile_fixtures():
    names = {p.name for p in hostile_fixtures()}
    for kind in ("syntax_error_cut_off_mid_statement", "utf16_main_py", "billion_laughs_cog_yaml",
                 "python_object_tags_cog_yaml", "nested_1000_parentheses", "deeply_nested_yaml"):
        assert kind in names


def test_cli_reports_every_hostile_fixture_within_bounds(tmp_path):
    folders = [copy_tree(f, tmp_path / f.relative_to(HOSTILE).as_posix().replace("/", "__"))
               for f in hostile_fixtures()]
    proc = run_bounded("--no-cache", "--output-format", "json", *map(str, folders), cwd=tmp_path)
    diags = json_diagnostics(proc)
    for original, folder in zip(hostile_fixtures(), folders, strict=True):
        mine = [d for d in diags if Path(d["filename"]).resolve().is_relative_to(folder.resolve())]
        assert located(mine, folder) == expected_of(original), original.name
        for d in mine:
            assert d["message"] and d["help"], d
    assert proc.returncode == 1


def test_fix_never_corrupts_a_hostile_fixture(tmp_path):
    """--fix --unsafe-fixes over every hostile fixture: files it cannot parse are left byte for
    byte, what it writes parses, and line endings and BOMs are kept."""
    import libcst as cst

    from pipelint.model import yamlnodes

    folders = [copy_tree(f, tmp_path / f.relative_to(HOSTILE).as_posix().replace("/", "__"))
               for f in hostile_fixtures()]
    before = {p: p.read_bytes() for f in folders for p in f.rglob("*") if p.is_file()}
    run_bounded("--no-cache", "--fix", "--unsafe-fixes", "--output-format", "concise", *map(str, folders), cwd=tmp_path)
    changed = [p for p, data in before.items() if p.read_bytes() != data]
    assert changed, "the fixtures have fixable findings (gpu: true under CRLF and CR line endings)"
    for path in changed:
        data = path.read_bytes()
        old = before[path]
        text = data.decode("utf-8-sig")
        if path.suffix == ".py":
            cst.parse_module(text)
        elif path.suffix == ".yaml":
            assert not yamlnodes.compose(text).error
        assert data.startswith(b"\xef\xbb\xbf") == old.startswith(b"\xef\xbb\xbf")
        if b"\r\n" in old:
            assert data.count(b"\n") == data.count(b"\r\n"), path
        elif b"\r" in old:
            assert b"\n" not in data, path
    unparsable = [p for p in before if p.name == "main.py" and p.parent.name.startswith(("syntax_error", "utf16", "latin1", "nul_"))]
    assert unparsable and all(p.read_bytes() == before[p] for p in unparsable)


# ---- generated: too big, too deep ----------------------------------------------------------

def _deep(expr: str) -> str:
    return f"{MAIN}\n\nDEEP = {expr}\n"


# name -> (files, the code expected in main.py). CPython refuses more than 200 nested brackets
# and 100 indentation levels in every version (PL001, as the runtime would); what it accepts
# but nests deeper than pipelint analyses is PL003 ("not checked"), never a false "clean".
GENERATED = {
    "main_py_of_5_mb": ({"main.py": "# filler\n" * (5 * 1024 * 1024 // 9)}, "PL003"),
    "main_py_is_an_elf_binary": ({"main.py": b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 64}, "PL003"),
    "main_py_is_binary_without_nul": ({"main.py": bytes(range(128, 256)) * 64}, "PL003"),
    "binop_chain_20000_terms": ({"main.py": _deep("+".join(["1"] * 20000))}, "PL003"),
    "unary_minus_10000_deep": ({"main.py": _deep("-" * 10000 + "1")}, "PL003"),
    "not_chain_8000_deep": ({"main.py": _deep("not " * 8000 + "x")}, "PL003"),
    "lambda_chain_8000_deep": ({"main.py": _deep("lambda: " * 8000 + "1")}, "PL003"),
    "call_chain_8000_deep": ({"main.py": _deep("f" + "()" * 8000)}, "PL003"),
    "attribute_chain_10000_deep": ({"main.py": _deep("a" + ".b" * 10000)}, "PL003"),
    "subscript_chain_5000_deep": ({"main.py": _deep("a" + "[0]" * 5000)}, "PL003"),
    "and_chain_8000_terms": ({"main.py": _deep(" and ".join(["a"] * 8000))}, "PL003"),
    "power_chain_8000_terms": ({"main.py": _deep("**".join(["2"] * 8000))}, "PL003"),
    "ternary_chain_5000_deep": ({"main.py": _deep("1 if a else " * 5000 + "2")}, "PL003"),
    # flat in Python's ast, nested in libcst's tree: each crashed libcst's parser before the fix
    "or_chain_12000_terms": ({"main.py": _deep(" or ".join(["a"] * 12000))}, "PL003"),
    "dotted_import_8000_parts": ({"main.py": "import " + ".".join(["a"] * 8000) + "\n" + MAIN}, "PL003"),
    "dotted_from_import_8000_parts": ({"main.py": "from " + ".".join(["a"] * 8000) + " import b\n" + MAIN}, "PL003"),
    "implicit_concatenation_8000_strings": ({"main.py": _deep(" ".join(['"a"'] * 8000))}, "PL003"),
    "elif_chain_12000_long": ({"main.py": MAIN + "if x:\n    pass\n" + "elif x:\n    pass\n" * 12000}, "PL003"),
    # string annotations: libcst's scope analysis parses them with the same native parser
    "string_annotation_not_chain_20000": ({"main.py": "def run(x: \"" + "not " * 20000 + "y\") -> str:\n"
                                                       "    return 'x'\n"}, "PL003"),
    "string_annotation_5000_brackets": ({"main.py": "from typing import List\n\n\ndef run(x: List[\"" + "List[" * 5000
                                                    + "int" + "]" * 5000 + "\"]) -> str:\n    return 'x'\n"}, "PL003"),
    "nested_lists_1000_deep": ({"main.py": _deep("[" * 1000 + "]" * 1000)}, "PL001"),
    "nested_blocks_150_deep": ({"main.py": MAIN + "".join("    " * i + "if x:\n" for i in range(150))
                                + "    " * 150 + "pass\n"}, "PL001"),
    "nested_brackets_200_deep": ({"main.py": _deep("[" * 200 + "]" * 200)}, "PL003"),
}


@pytest.fixture(scope="module")
def generated_run(tmp_path_factory):
    """One CLI run over all generated models (a crash in any fails them all, with its stderr)."""
    top = tmp_path_factory.mktemp("generated")
    roots = {name: write_model(top / name, model(files)) for name, (files, _) in GENERATED.items()}
    proc = run_bounded("--no-cache", "--output-format", "json", *map(str, roots.values()), cwd=top)
    return roots, json_diagnostics(proc)


@pytest.mark.parametrize("name", list(GENERATED))
def test_generated_hostile_python_is_reported_not_crashed_on(generated_run, name):
    roots, diags = generated_run
    root = roots[name]
    mine = located([d for d in diags if Path(d["filename"]).resolve().is_relative_to(root.resolve())], root)
    code = GENERATED[name][1]
    assert any(entry.startswith(f"{code} main.py:") for entry in mine), mine


def test_a_5_mb_file_is_never_read_whole(tmp_path):
    root = write_model(tmp_path / "m", model({"requirements.txt": REQ + "# pad\n" * 900_000}))
    result = lint(root, Settings(target="pipeline"))
    assert not result.internal_errors
    f = result.project.requirements_file
    assert f.raw is None and "too large" in f.error
    assert [d.code for d in result.diagnostics if d.path.name == "requirements.txt"] == ["PL003"]


def test_deep_yaml_in_block_style_is_located(tmp_path):
    cog = 'predict: "main.py:run"\nbuild:\n' + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(1200))
    root = write_model(tmp_path / "m", model({"cog.yaml": cog}))
    result = lint(root, Settings(target="pipeline"))
    assert not result.internal_errors
    [d] = [d for d in result.diagnostics if d.code == "PL002"]
    assert "nested too deeply" in d.message and d.start.line > 50


def test_billion_laughs_is_never_expanded(tmp_path):
    """Ten levels of nine aliases each would be 9**10 strings if anything expanded them; the
    run must finish with the PyYAML node graph as composed (one node per alias level)."""
    laughs = 'predict: "main.py:run"\nlol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
        f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 11))
    laughs += "build:\n  system_packages: *a10\n  python_packages: *a10\n  run: *a10\n"
    root = write_model(tmp_path / "m", model({"cog.yaml": laughs}))
    proc = run_bounded("--no-cache", "--output-format", "json", str(root))
    codes = {d["code"] for d in json_diagnostics(proc)}
    assert {"PL108", "PL109", "PL114"} <= codes


# ---- the file system: loops, permissions, FIFOs, names ------------------------------------

def _symlink_models(top: Path) -> dict[str, Path]:
    roots = {}

    def make(name, files, links):
        root = write_model(top / name, model(files))
        for link, target in links.items():
            (root / link).unlink(missing_ok=True)
            os.symlink(target, root / link)
        roots[name] = root

    make("main_py_links_to_itself", {}, {"main.py": "main.py"})
    make("main_py_in_a_two_link_cycle", {}, {"main.py": "other.py", "other.py": "main.py"})
    make("cog_yaml_links_to_itself", {}, {"cog.yaml": "cog.yaml"})
    make("requirements_links_to_itself", {}, {"requirements.txt": "requirements.txt"})
    make("helper_module_links_to_itself", {"main.py": "import helpers\n\n" + MAIN}, {"helpers.py": "helpers.py"})
    make("folder_links_to_itself", {"main.py": "import loop.loop.main\n\n" + MAIN}, {"loop": "."})
    make("main_py_links_outside", {}, {"main.py": "/etc/hostname"})
    make("requirements_include_links_to_itself", {"requirements.txt": REQ + "-r loop.txt\n"}, {"loop.txt": "loop.txt"})
    for name in ("main.py", "cog.yaml", "requirements.txt"):  # a folder where a file belongs
        root = write_model(top / f"{name.replace('.', '_')}_is_a_folder", model())
        (root / name).unlink()
        (root / name / "inner").mkdir(parents=True)
        roots[root.name] = root
    return roots


EXPECTED_FOR_LINKS = {
    "main_py_links_to_itself": ["PL103 cog.yaml:4:10"],
    "main_py_in_a_two_link_cycle": ["PL103 cog.yaml:4:10"],
    "cog_yaml_links_to_itself": ["PL004 cog.yaml:1:1"],
    "requirements_links_to_itself": ["PL113 cog.yaml:3:24"],
    "main_py_links_outside": ["PL103 cog.yaml:4:10"],
    "requirements_include_links_to_itself": [],
    "main_py_is_a_folder": ["PL103 cog.yaml:4:10"],
    "cog_yaml_is_a_folder": ["PL004 cog.yaml:1:1"],
    "requirements_txt_is_a_folder": ["PL113 cog.yaml:3:24"],
}


def test_symlink_loops_give_diagnostics_not_tracebacks(tmp_path):
    roots = _symlink_models(tmp_path)
    for name, root in roots.items():
        result = lint(root, Settings(target="pipeline"))
        assert not result.internal_errors, (name, result.internal_errors)
        if name in EXPECTED_FOR_LINKS:
            got = sorted(f"{d.code} {d.path.relative_to(result.root).as_posix()}:{d.start.line}:{d.start.column}"
                         for d in result.diagnostics)
            assert got == EXPECTED_FOR_LINKS[name], name
    proc = run_bounded("--no-cache", "--output-format", "json", str(tmp_path))
    assert json_diagnostics(proc)
    # --fix must not write through a looping link or replace it
    run_bounded("--no-cache", "--fix", "--unsafe-fixes", str(tmp_path))
    assert os.readlink(roots["main_py_links_to_itself"] / "main.py") == "main.py"
    assert os.readlink(roots["cog_yaml_links_to_itself"] / "cog.yaml") == "cog.yaml"


def test_a_configuration_naming_a_looping_link_is_a_clear_error(tmp_path):
    root = write_model(tmp_path / "m", model({"pipelint.toml": 'target = "pipeline"\nruntime-requirements = "rt.txt"\n'}))
    os.symlink("rt.txt", root / "rt.txt")
    proc = subprocess.run([sys.executable, "-m", "pipelint", "--no-cache", str(root)], capture_output=True, text=True,
                          timeout=TIMEOUT, preexec_fn=_limit_memory)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "runtime-requirements" in proc.stderr and "rt.txt" in proc.stderr


def _without_read_override() -> tuple[str, ...] | None:
    """A command prefix under which chmod 000 denies reading, or None.

    As root, permissions do not stop reads (CAP_DAC_OVERRIDE); util-linux ``setpriv`` can drop
    that capability for the child process. Returns () when not running as root.
    """
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = (setpriv, "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search")
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        probe = Path(d) / "probe"
        probe.write_text("x")
        probe.chmod(0)
        try:
            r = subprocess.run([*prefix, "cat", str(probe)], capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return None
        return prefix if r.returncode != 0 else None


def test_unreadable_files_are_reported(tmp_path):
    prefix = _without_read_override()
    if prefix is None:
        pytest.skip("running as root without a working `setpriv`: chmod 000 cannot stop root from reading")
    root = write_model(tmp_path / "m", model({"main.py": "import pkg\nimport helpers\n\n" + MAIN,
                                              "helpers.py": "X = 1\n", "pkg/__init__.py": "Y = 1\n"}))
    locked = [root / "main.py", root / "requirements.txt", root / "pkg"]
    for p in locked:
        p.chmod(0)
    try:
        proc = run_bounded("--no-cache", "--output-format", "json", str(root), prefix=prefix)
        got = located(json_diagnostics(proc), root)
        assert "PL003 main.py:1:1" in got and "PL003 requirements.txt:1:1" in got
        messages = [d["message"] for d in json_diagnostics(proc)]
        assert any("cannot be read" in m for m in messages)
        (root / "main.py").chmod(0o644)
        (root / "cog.yaml").chmod(0)
        proc = run_bounded("--no-cache", "--output-format", "json", str(root), prefix=prefix)
        assert "PL003 cog.yaml:1:1" in located(json_diagnostics(proc), root)
        # the cache must not trip over what it cannot hash either, on a first and a second run
        for _ in range(2):
            run_bounded("--cache-dir", str(tmp_path / "cache"), str(root), prefix=prefix)
    finally:
        for p in [*locked, root / "cog.yaml"]:
            p.chmod(0o755 if p.is_dir() else 0o644)


def test_fifos_where_files_belong_never_block(tmp_path):
    root = write_model(tmp_path / "m", model())
    for name in ("main.py", "requirements.txt"):
        (root / name).unlink()
        os.mkfifo(root / name)
    run_bounded("--output-format", "json", str(root))
    run_bounded("--fix", "--unsafe-fixes", str(root))
    assert stat.S_ISFIFO((root / "requirements.txt").stat().st_mode), "--fix replaced a FIFO with a file"
    lone = write_model(tmp_path / "lone", {"main.py": MAIN})
    os.mkfifo(lone / "cog.yaml")
    proc = run_bounded("--output-format", "json", str(lone))
    assert [d["code"] for d in json_diagnostics(proc)] == ["PL004"]


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "github", "sarif", "junit"])
def test_names_and_values_that_are_not_utf8_print_in_every_format(tmp_path, fmt):
    top = tmp_path / "top"
    top.mkdir()
    folder = os.fsencode(top) + b"/model-\xff"
    os.mkdir(folder)
    root = Path(os.fsdecode(folder))
    write_model(root, model({"cog.yaml": 'build:\n  gpu: true\npredict: "\\ud800.py:run"\n'}))
    (root / os.fsdecode(b"helper-\xfe.py")).write_text("x = = 1\n")
    proc = run_bounded("--output-format", fmt, str(top), cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout
    if fmt == "json":
        assert {"PL103", "PL106"} <= {d["code"] for d in json.loads(proc.stdout)}
    run_bounded("--cache-dir", str(tmp_path / "cache"), "--output-format", fmt, str(top), cwd=tmp_path)


def test_many_syntax_errors_are_each_located(tmp_path):
    """One broken module per kind of syntax error, imported by main.py: each gets its PL001."""
    kinds = {
        "missing_colon": ("def f()\n    pass\n", (1, 8)),
        "unclosed_bracket": ("x = [1, 2\n", (1, 5)),
        "unterminated_triple_quote": ('x = """abc\n', (1, 5)),
        "bad_indent": ("x = 1\n    y = 2\n", (2, 5)),
        "stray_dedent": ("if x:\n        a = 1\n    b = 2\n", (3, 10)),
        "assign_to_literal": ("1 = x\n", (1, 1)),
        "lone_backslash": ("x = 1 \\ 2\n", (1, 8)),
        "walrus_at_top": ("x := 1\n", (1, 3)),
        "nul_free_but_binary_looking": ("\x01\x02\x03\n", (1, 1)),
        "only_form_feed_and_garbage": ("\x0c)\n", (1, 2)),
    }
    files = {f"{k}.py": text for k, (text, _) in kinds.items()}
    files["main.py"] = "".join(f"import {k}\n" for k in kinds) + "\n" + MAIN
    root = write_model(tmp_path / "m", model(files))
    result = lint(root, Settings(select=["PL001"]))
    assert not result.internal_errors
    got = {d.path.stem: (d.start.line, d.start.column) for d in result.diagnostics}
    assert set(got) == set(kinds)
    for name, (_, where) in kinds.items():
        assert got[name][0] == where[0], (name, got[name])


def test_warnings_about_the_users_code_stay_out_of_stderr(tmp_path):
    """Python 3.12+ warns about `"\\d"` and `x is 1` while parsing; that is the user's code talking,
    not pipelint, and must not reach pipelint's stderr (PYTHONWARNINGS=always shows any)."""
    main = 'import re\n\nPATTERN = re.compile("\\d+")\nCHECK = PATTERN is 1\n\n' + MAIN
    root = write_model(tmp_path / "m", model({"main.py": main}))
    proc = run_bounded("--no-cache", "--output-format", "concise", str(root), env={"PYTHONWARNINGS": "always"})
    assert proc.stderr == ""
