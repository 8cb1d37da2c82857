"""Suppression comments: what each one covers, in Python, cog.yaml and requirements.txt, and PL901
reporting (and fixing) the ones that do nothing.

fixtures/suppression/ holds whole models (checked by test_fixtures.py); here: the coverage rules
one at a time, and the fixes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, write_model

from pipelint.core.settings import Settings
from pipelint.engine.fixer import fix_model, write_changes
from pipelint.engine.runner import lint
from pipelint.engine.suppression import directives_in

COG = 'build:\n  python_version: "3.13"\npredict: "main.py:run"\n'
REQ = "replicate>=1.1.0b1,<2.0.0a1\n"


def covers(text: str, name: str = "main.py") -> list:
    found, complete = directives_in(Path(name), text)
    assert complete
    return [(d.line, d.covers, [c.code for c in d.codes]) for d in found]


def test_own_line_comment_covers_the_next_code_line_through_its_decorators():
    text = ("# pipelint: ignore[PL201]\n@decorator\n@other(\n    1,\n)\ndef f(\n    x,\n) -> None:\n"
            "    pass\n")
    assert covers(text) == [(1, (2, 6), ["PL201"])]  # to the `def f(` line, not its parameters


def test_own_line_comment_inside_brackets_covers_the_next_line_of_code():
    text = "x = call(\n    # pipelint: ignore[PL502]\n    a,\n)\ny = 2\n"
    assert covers(text) == [(2, (3, 3), ["PL502"])]


def test_trailing_comment_covers_its_physical_line_only():
    """As ruff's noqa: a comment on one line of a multi-line statement covers that line."""
    text = 'flux = use(\n    "a/b",\n)  # pipelint: ignore[PL501,PL502]\n'
    assert covers(text) == [(3, (3, 3), ["PL501", "PL502"])]
    header = "def run(\n    a: int,  # pipelint: ignore[PL302]\n    b,\n) -> str:\n    return ''\n"
    assert covers(header) == [(2, (2, 2), ["PL302"])]


def test_a_comment_on_one_parameter_line_does_not_silence_the_others(tmp_path):
    main = ("def run(\n    a,  # pipelint: ignore[PL302]\n    b,\n) -> str:\n    return ''\n")
    root = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": main})
    found = sorted((d.code, d.start.line) for d in lint(root.resolve(), Settings(target="pipeline")).diagnostics)
    assert found == [("PL302", 3)]


def test_comment_lines_in_between_are_skipped_but_a_blank_line_ends_the_comment():
    text = "# pipelint: ignore[PL201]\n# why: vendored\nimport torch\n# pipelint: ignore[PL201]\n\nimport cv2\n"
    assert covers(text) == [(1, (3, 3), ["PL201"]), (4, None, ["PL201"])]


def test_hash_in_a_string_is_not_a_comment_and_two_directives_on_a_line_both_count():
    assert covers('s = "# pipelint: ignore[PL201]"\n') == []
    text = "import torch  # noqa: F401  # pipelint: ignore[PL201]  # pipelint: file-ignore[PL207]\n"
    assert covers(text) == [(1, (1, 1), ["PL201"]), (1, None, ["PL207"])]


def test_yaml_comment_covers_the_next_entry_and_never_a_hash_inside_a_scalar():
    text = ("build:\n  # pipelint: ignore[PL108]\n  run:\n    - echo one\n    - echo two\n"
            "  gpu: true  # pipelint: ignore[PL106]\n  system_packages:\n    - |\n"
            "      # pipelint: ignore[PL110] is text of a block scalar\n"
            'predict: "main.py:run#pipelint: ignore[PL102]"\n')
    assert covers(text, "cog.yaml") == [(2, (3, 5), ["PL108"]), (6, (6, 6), ["PL106"])]


def test_requirements_comment_covers_the_next_requirement_with_continuations():
    text = ("# pipelint: ignore[PL202]\ntorch \\\n    ==2.5.0\npkg @ https://example.com/p.whl#sha256=0\n"
            "opencv-python  # pipelint: ignore[PL202]\n")
    assert covers(text, "requirements.txt") == [(1, (2, 3), ["PL202"]), (5, (5, 5), ["PL202"])]


def test_unparsable_python_still_suppresses_but_is_never_judged_unused(tmp_path):
    root = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ,
                                        "main.py": "import torch  # pipelint: ignore[PL201]\ndef run(:\n"})
    codes = [d.code for d in lint(root, Settings(target="pipeline")).diagnostics]
    assert codes == ["PL001"]  # no PL901: with a syntax error the other rules did not run


def test_pl901_can_itself_be_suppressed_for_a_file(tmp_path):
    main = ("# pipelint: file-ignore[PL901]\ndef run(prompt: str) -> str:  # pipelint: ignore[PL304]\n"
            "    return prompt\n")
    root = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": main})
    assert lint(root, Settings(target="pipeline")).diagnostics == []


def test_malformed_and_misspelt_directives_are_reported_without_a_fix(tmp_path):
    main = ("import torch  # pipelint: ignore\nimport cv2  # pipelint: ignores[PL201]\n\n\n"
            "def run(prompt: str) -> str:\n    return prompt\n")
    root = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": main})
    diags = lint(root, Settings(target="pipeline")).diagnostics
    unused = [d for d in diags if d.code == "PL901"]
    assert [(d.start.line, d.fix) for d in unused] == [(1, None), (2, None)]
    assert "did you mean `pipelint: ignore[...]`" in unused[1].message
    assert [d.start.line for d in diags if d.code == "PL201"] == [1, 2]  # nothing was suppressed


def test_fix_removes_only_dead_codes_and_keeps_used_comments(tmp_path):
    root = tmp_path / "m"
    shutil.copytree(FIXTURES / "suppression" / "comments_in_all_three_files", root)
    before = {p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*") if p.is_file()}
    outcome = fix_model(root.resolve(), Settings(target="pipeline"))
    assert not outcome.refused and not write_changes(outcome)
    after = {p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*") if p.is_file()}
    expected = before["main.py"].splitlines(keepends=True)
    assert expected[8] == "# pipelint: ignore[PL201]\n"  # followed by a blank line: covers nothing
    assert expected[21] == "    x = 1  # pipelint: ignore[PL201, PL302]\n"
    assert expected[25] == "def helper(n) -> None:  # pipelint: ignore[PL304, PL999]\n"
    expected[21], expected[25] = "    x = 1\n", "def helper(n) -> None:\n"
    del expected[8]
    assert after["main.py"] == "".join(expected)
    # cog.yaml: PL107's fix removed the `cuda` entry, and with it the comment that named PL106.
    assert '  cuda: "12.1"  # pipelint: ignore[PL106]\n' not in after["cog.yaml"]
    assert "  gpu: true  # pipelint: ignore[PL106]\n" in after["cog.yaml"]
    assert after["requirements.txt"] == before["requirements.txt"]
    remaining = sorted(d.code for d in lint(root.resolve(), Settings(target="pipeline")).diagnostics)
    assert remaining == ["PL201", "PL202"]  # the cv2 import and scikit-image: no fix for them


def test_partial_removal_keeps_the_used_codes(tmp_path):
    main = ("import torch  # pipelint: ignore[PL201, PL5O1]\n\n\ndef run(prompt: str) -> str:\n"
            "    return prompt\n")
    root = write_model(tmp_path / "m", {"cog.yaml": COG, "requirements.txt": REQ, "main.py": main})
    (d,) = [d for d in lint(root.resolve(), Settings(target="pipeline")).diagnostics if d.code == "PL901"]
    assert "unknown: `PL5O1` (did you mean `PL501`?)" in d.message
    outcome = fix_model(root.resolve(), Settings(target="pipeline"))
    change = outcome.changes[(root / "main.py").resolve()]
    assert change.after.splitlines()[0] == "import torch  # pipelint: ignore[PL201]"


def test_a_comment_after_a_trailing_backslash_covers_only_its_own_line(tmp_path):
    """pip does not join `torch \\  # comment` with the next line (the line ends in the comment),
    so neither may the comment's reach."""
    root = write_model(tmp_path / "m", {
        "cog.yaml": 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\npredict: "main.py:run"\n',
        "main.py": 'def run() -> str:\n    return "x"\n',
        "requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\ntorch \\  # pipelint: ignore[PL202]\ntensorflow\n",
    })
    found = {(d.code, d.start.line) for d in lint(root, Settings(target="pipeline")).diagnostics}
    assert ("PL202", 3) in found


def test_file_ignore_cannot_hide_a_syntax_error(tmp_path):
    root = write_model(tmp_path / "m", {
        "cog.yaml": 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\npredict: "main.py:run"\n',
        "requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\n",
        "main.py": "# pipelint: file-ignore[PL001]\ndef run( -> str:\n    return 'x'\n",
    })
    assert "PL001" in {d.code for d in lint(root, Settings(target="pipeline")).diagnostics}
