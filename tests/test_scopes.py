"""pipelint.model.scopes gives libcst's ExpressionContextProvider and ScopeProvider results.

The full signature of a scope analysis (tests/test_walk.py::_scope_signature: contexts; per node
its scope's class and node and the qualified names of names, attributes and calls; per scope its
parent, assignments with their references, accesses with their referents, annotation and
type-hint flags, assignment counter) of pipelint's passes equals that of libcst's own providers
on every fixture module, every rule example module, the benchmark generator's models, the
irregular shapes of tests/test_walk.py, and hypothesmith-generated modules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

libcst = pytest.importorskip("libcst")

from test_positions import _example_modules  # noqa: E402
from test_walk import SNIPPETS, _generated, _scope_signature, _sources  # noqa: E402

from pipelint.model import python, scopes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _libcsts(tree):
    try:
        return _scope_signature(tree, *python._scopes_of(tree, fast=False))
    except RecursionError:
        return "too deep"


def _ours(tree):
    try:
        both = scopes.analyse(tree)
    except RecursionError:
        return "too deep"
    assert both is not None, "pipelint's passes did not run (libcst version?)"
    return _scope_signature(tree, *both)


def _assert_same(name, text):
    try:
        tree = libcst.parse_module(text)
    except Exception:
        return 0
    assert _ours(tree) == _libcsts(tree), name
    return 1


def test_runs_on_the_libcst_it_reproduces():
    from pipelint.model import walk

    assert walk._installed_libcst_version() == scopes.LIBCST_VERSION
    assert scopes.analyse(libcst.parse_module("x = 1\n")) is not None


def test_fixtures_and_shapes():
    compared = sum(_assert_same(name, text) for name, text in _sources())
    assert compared > 200 + len(SNIPPETS) - 10


def test_rule_examples():
    compared = sum(_assert_same(label, text) for label, text in _example_modules())
    assert compared > 100


def test_generated_models(tmp_path):
    compared = sum(_assert_same(name, text) for name, text in _generated(tmp_path))
    assert compared >= 3


STRINGS_AND_TYPING = '''
import typing
import typing as t
from typing import cast, NewType, TypeVar, Literal, List
from typing_extensions import Literal as L2
T = TypeVar("T", "int", bound="Base")
U = t.TypeVar("U")
N = NewType("N", "int")
x = cast("List[int]", y)
z = typing.cast("a.b", w)
def f(a: "Optional[int]", b: List["C"] = None) -> "typing.Dict[str, C]":
    v: Literal["not a name"] = "x"
    u: L2["no"] = 1
    q: "bad syntax ((" = 2
    r: "x" "y" = 3
    s: ("int") = 4
    return a
class C(typing.Generic[T], metaclass=M):
    attr: "C"
    def m(self) -> "C": ...
__all__ = ["f", "C"]
print(a.b.c, a.b().c.d, (a).b, a[b].c)
del a.b, c[d], (e, f)
[*a, b] = c
a.b.c = d
'''


def test_string_annotations_and_typing_calls():
    assert _assert_same("strings", STRINGS_AND_TYPING)


@pytest.mark.filterwarnings("ignore")
def test_hypothesmith_modules():
    hypothesmith = pytest.importorskip("hypothesmith")
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(hypothesmith.from_node())
    def check(text):
        _assert_same("hypothesmith", text)

    check()


@pytest.mark.parametrize("shape", ["[{}]", "f({})", "a.b({}).c", "x[{}]", "{{'k': {}}}"])
def test_too_deep_where_libcst_is_too_deep(shape):
    """pipelint's passes raise RecursionError within one level of nesting of where libcst's
    providers do (same stack), so a tree too deep for libcst is still reported as too deep."""
    first: dict = {}
    for n in range(60, 200):
        inner = "0"
        for _ in range(n):
            inner = shape.format(inner)
        try:
            tree = libcst.parse_module(f"DATA = {inner}\n")
        except Exception:
            break
        for which, fn in (("libcst", lambda t: python._scopes_of(t, fast=False)), ("ours", scopes.analyse)):
            if which not in first:
                try:
                    fn(tree)
                except RecursionError:
                    first[which] = n
        if len(first) == 2:
            break
    assert len(first) == 2, first
    assert abs(first["libcst"] - first["ours"]) <= 1, first


def test_another_libcst_gets_libcsts_providers(monkeypatch):
    tree = libcst.parse_module(SNIPPETS["decorators"])
    monkeypatch.setattr(scopes, "_READY", [])
    monkeypatch.setattr(scopes, "LIBCST_VERSION", "0.0.0")
    assert scopes.analyse(tree) is None
    assert _scope_signature(tree, *python._scopes_of(tree)) == _libcsts(tree)
