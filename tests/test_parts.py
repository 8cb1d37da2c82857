"""A large module parsed in parts (pipelint.model.parts) is the module libcst parses whole.

Cut as finely as the cutting allows (before every top-level statement: ``part_lines=1``), the
joined tree must ``deep_equals`` libcst's whole parse and carry the same module attributes, on
every fixture module, every rule example module, generated models, edge cases of comments and
blank lines between blocks, and hypothesmith modules; and linting and fixing every fixture
model with every file cut that finely must give exactly the diagnostics and fixes of the whole
parse.
"""

from __future__ import annotations

import ast
import shutil

import pytest
from conftest import FIXTURES

libcst = pytest.importorskip("libcst")

from test_positions import _example_modules  # noqa: E402
from test_walk import _generated, _sources  # noqa: E402

from pipelint.model import parts  # noqa: E402

ATTRIBUTES = ("encoding", "default_indent", "default_newline", "has_trailing_newline")

EDGES = {
    "comment_then_blank": "x = 1\n# c\n\ny = 2\n",
    "block_footer_and_column_0": "def f():\n    x = 1\n    # in\n# out\n\ny = 2\n",
    "blank_lines_around_footer": "def f():\n    x = 1\n\n    # in\n\n# out\ny = 2\n# tail\n\n",
    "header_decorators_deeper_shallower": (
        "#!/usr/bin/env python\n# head\n\nimport os\n\n\n@dec\n# between\n@dec2\ndef g():\n    pass\n\n\n"
        "class A:\n    x = 1\n        # deeper\n  # shallower\n\n# c0\nz = 3"),
    "semicolons": "x = 1; y = 2\nz = 3\n",
    "two_indents": "if a:\n  pass\nelse:\n\tpass\nx = 1\n",
    "crlf": "x = 1\r\ny = 2\r\nz = 3\r\n",
    "mixed_newlines": "x = 1\ny = 2\r\nz = 3\n",
    "cr_only": "x = 1\ry = 2\rz = 3\r",
    "comment_lookalike_in_string": "x = '''\n# not a comment\n'''\ny = 1\n",
    "nested_footers": ("class A:\n    def f(self):\n        return 1\n    # trailing\n\n\n\ndef g():\n    pass\n"
                       "\n# c\ndef h(): pass\n"),
    "try_finally": "try:\n    x\nexcept E:\n    y\nfinally:\n    z\n# c\nw\n",
    "continuation": "x = 1 \\\n  + 2\ny = 3\n",
    "form_feed": "x = 1\n\x0c\ny = 2\n",
    "one_line_if_then_block": "if x: pass\nelif y:\n  z\nw = 1\n",
    "match": "match x:\n    case 1:\n        pass\n# c\ny\n",
    "async": "async def f():\n    pass\n# c\nasync def g():\n    pass\n",
    "no_trailing_newline": "import os\n\n\ndef f():\n    return os.sep",
    "first_indent_late": "x = 1\ny = [\n   2]\nclass A:\n\tpass\nclass B:\n\tpass\n",
    "tabs_then_spaces_in_strings": "s = '''\n\tnot an indent\n'''\nif s:\n  t = 1\n",
    "only_comments_between": "a = 1\n#\n#\n#\nb = 2\n#\n",
    "whitespace_only_lines": "def f():\n    pass\n    \n  \n\t\n# c\ng = 1\n",
    "coding_cookie": "# -*- coding: latin-1 -*-\nx = 1\ny = 2\n",
    "docstring_and_future": '"""Doc."""\nfrom __future__ import annotations\n\nx: int = 1\n',
}


# Not cut between their statements: an indented comment there may be a block's footer, and
# libcst renders a text ending in lines of only spaces or tabs lossily ("x=1\n  \n\t\n" gives
# "x=1\n\t\n"), so no part may end with one.
UNCUT = {"whitespace_only_lines", "form_feed", "blank_lines_around_footer", "block_footer_and_column_0"}


def _compare(text: str) -> bool | None:
    """True when the finest parts join to libcst's whole parse; None when there is nothing to
    compare (not Python, or too deep for libcst's own deep_equals)."""
    try:
        spans = parts.statement_spans(ast.parse(text))
        whole = libcst.parse_module(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError, libcst.ParserSyntaxError):
        return None
    except Exception:  # libcst's native parser raises plain errors on odd input
        return None
    joined = parts.parse_in_parts(text, spans, part_lines=1, min_lines=0)
    try:
        same = joined.deep_equals(whole)
    except RecursionError:
        return None
    assert same, "the joined parts differ from the whole parse"
    for name in ATTRIBUTES:
        assert getattr(joined, name) == getattr(whole, name), name
    assert joined.code == whole.code
    return True


def _cut_count(text: str) -> int:
    lines = parts._LINE.findall(text)
    return len(parts.cut_lines(lines, parts.statement_spans(ast.parse(text)), 1))


@pytest.mark.parametrize("name", sorted(EDGES))
def test_edge_cases(name):
    text = EDGES[name]
    assert _compare(text), name
    if name in UNCUT:
        assert _cut_count(text) == 1, "cut where an indented comment or a line of spaces lies between statements"
    elif name != "mixed_newlines":  # cut, and then parsed whole (below)
        assert _cut_count(text) >= 2, "no cut: the case shows nothing"


def test_mixed_newlines_are_parsed_whole():
    text = EDGES["mixed_newlines"]
    lines = parts._LINE.findall(text)
    texts = ["".join(lines[a:b]) for a, b in zip([0, 1], [1, len(lines)], strict=True)]
    assert parts._joined(libcst, texts) is None  # the parts disagree on the newline: not joined


def test_fixture_modules():
    compared = [name for name, text in _sources() if _compare(text)]
    assert len(compared) > 200


def test_rule_example_modules():
    compared = [label for label, text in _example_modules() if _compare(text)]
    assert len(compared) > 100


def test_generated_models(tmp_path):
    big = [(name, text) for name, text in _generated(tmp_path) if text.count("\n") > 2000]
    assert big, "no large generated model"
    for name, text in _generated(tmp_path):
        assert _compare(text), name
    name, text = big[0]
    spans = parts.statement_spans(ast.parse(text))
    assert len(parts.cut_lines(parts._LINE.findall(text), spans)) >= 5  # the default parts cut it


def test_a_part_that_fails_leaves_the_error_to_the_whole_parse():
    # The last part does not parse: the whole parse raises, where the error is in the whole text.
    text = "x = 1\n" * 3 + "y = (1 +\n" + "z" * 3
    with pytest.raises(libcst.ParserSyntaxError) as whole:
        libcst.parse_module(text)
    with pytest.raises(libcst.ParserSyntaxError) as ours:
        parts.parse_in_parts(text, [(1, 1), (2, 2), (3, 3), (4, 4)], part_lines=1, min_lines=0)
    assert (ours.value.editor_line, ours.value.editor_column) == (whole.value.editor_line, whole.value.editor_column)


STATEMENTS = ["x = 1", "def f():\n    pass", "def f():\n\tif a:\n\t\tb\n\t# c",
              "class A:\n    x = 1\n\n    def m(self):\n        return 2", "@d\n# c\ndef g(): pass",
              "if a:\n  b\nelse:\n  c", "try:\n    a\nexcept E:\n    b", "y = [\n  1,\n]", "z = '''\n#x\n'''",
              "for i in x:\n    pass\nelse:\n    pass", "with a as b:\n    pass", "import os; import sys",
              "async def h():\n    await x", "v = 1  # trailing", "w = (1 +\n     2)  # c"]
GAPS = ["", "  ", "\t", "# c", "    # c", "  # c", "\t# c", "#", "        # deep", "\x0c", "# c  "]


def test_random_statements_and_gaps():
    """Statements of every shape, with every kind of line between them (blank, spaces, indented
    and column-0 comments, form feeds), LF and CRLF, with and without a final newline."""
    import random

    rng = random.Random(17)
    compared = 0
    for _ in range(3000):
        newline = rng.choice(["\n", "\n", "\r\n"])
        pieces = []
        for _ in range(rng.randint(1, 6)):
            pieces.extend(rng.choice(GAPS) for _ in range(rng.choice([0, 0, 1, 2, 3])))
            pieces.append(rng.choice(STATEMENTS))
        pieces.extend(rng.choice(GAPS) for _ in range(rng.randint(0, 2)))
        text = newline.join(p.replace("\n", newline) for p in pieces) + (newline if rng.random() < 0.8 else "")
        compared += bool(_compare(text))
    assert compared > 2500


@pytest.mark.filterwarnings("ignore")
def test_hypothesmith_modules():
    hypothesmith = pytest.importorskip("hypothesmith")
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(hypothesmith.from_grammar())
    def check(text):
        _compare(text)

    check()


def _finest(monkeypatch):
    monkeypatch.setattr(parts, "MIN_LINES", 0)
    monkeypatch.setattr(parts, "PART_LINES", 1)
    monkeypatch.setattr(parts.parse_in_parts, "__defaults__", (1, 0))


def _report(result) -> list[tuple]:
    return sorted((d.code, d.path.relative_to(result.root).as_posix(), d.start, d.end, d.message, repr(d.fix))
                  for d in result.diagnostics)


def test_every_fixture_lints_the_same_in_parts(monkeypatch):
    from test_fixtures import fixture_dirs, settings_for

    from pipelint.engine.runner import lint

    folders = fixture_dirs()
    whole = {f: _report(lint(f, settings_for(f))) for f in folders}
    _finest(monkeypatch)
    differ = [f.relative_to(FIXTURES).as_posix() for f in folders if _report(lint(f, settings_for(f))) != whole[f]]
    assert not differ, differ
    assert sum(len(v) for v in whole.values()) > 500


def test_fixes_are_the_same_in_parts(monkeypatch, tmp_path):
    from test_fixtures import settings_for

    from pipelint.engine.fixer import fix_model

    folders = [f for f in sorted(FIXTURES.glob("**/expected.txt"))
               if "fix" in f.parent.as_posix() or "suppress" in f.parent.as_posix()][:40]
    assert len(folders) >= 5

    def fixed(folder, dest):
        shutil.copytree(folder.parent, dest)
        outcome = fix_model(dest, settings_for(dest))
        return sorted((p.relative_to(dest).as_posix(), c.after) for p, c in outcome.changes.items())

    whole = {f: fixed(f, tmp_path / "whole" / str(i)) for i, f in enumerate(folders)}
    _finest(monkeypatch)
    assert all(fixed(f, tmp_path / "parts" / str(i)) == whole[f] for i, f in enumerate(folders))
    assert any(whole.values()), "no fixture was fixed: the test shows nothing"
