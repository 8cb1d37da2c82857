"""pipelint.model.literals.evaluated equals libcst's evaluated_value, literal for literal."""

from __future__ import annotations

import libcst
import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st
from test_positions import _example_modules

from pipelint.core.source import decode
from pipelint.model.literals import evaluated


def _outcome(fn, node):
    try:
        return ("value", type(v := fn(node)).__name__, v)
    except Exception as exc:  # the same exception class where libcst raises
        return ("raises", type(exc).__name__)


def _literals(tree):
    found = []

    class Collect(libcst.CSTVisitor):
        def visit_SimpleString(self, node):
            found.append(node)

        def visit_Integer(self, node):
            found.append(node)

    tree.visit(Collect())
    return found


def _assert_same(nodes) -> int:
    for node in nodes:
        assert _outcome(evaluated, node) == _outcome(lambda n: n.evaluated_value, node), node.value
    return len(nodes)


def _parse(text: str):
    try:
        return libcst.parse_module(text)
    except Exception:
        return None


def test_every_literal_of_every_fixture_and_rule_example():
    texts = []
    for path in sorted(FIXTURES.rglob("*.py")):
        text = decode(path.read_bytes())[0]
        if text is not None:
            texts.append(text)
    texts += [text for _, text in _example_modules()]
    compared = 0
    for text in texts:
        tree = _parse(text)
        try:
            nodes = _literals(tree) if tree is not None else []
        except RecursionError:  # the hostile fixtures nested beyond libcst's own visit
            continue
        compared += _assert_same(nodes)
    assert compared > 2000  # the corpus really was read (2,208 literals when written)


SHAPES = ["''", '""', "''''''", "'a'", "r'a\\b'", "'a\\nb'", "b'x'", "rb'x'", "u'é'", "'''a\nb'''",
          "'''a\r\nb'''", '"""q"q"""', "f'x'", "'\\N{DASH}'", "0", "00", "007", "10", "1_000", "0x1F",
          "0o7", "0b1", "1e3", "١٢"]


@pytest.mark.parametrize("source", SHAPES)
def test_shapes(source):
    tree = _parse(f"x = {source}\n")
    if tree is None:
        pytest.skip("not Python")
    _assert_same(_literals(tree))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12), st.sampled_from(["", "r", "u", "R", "b", "rb", "U"]),
       st.sampled_from(["'", '"', "'''", '"""']))
def test_generated_string_literals(body, prefix, quote):
    tree = _parse(f"x = {prefix}{quote}{body}{quote}\n")
    if tree is not None:
        _assert_same(_literals(tree))


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"\A[0-9][0-9_]{0,6}\Z"))
def test_generated_integers(digits):
    tree = _parse(f"x = {digits}\n")
    if tree is not None:
        _assert_same(_literals(tree))
