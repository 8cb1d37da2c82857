"""pipelint.model.positions gives libcst's PositionProvider results, for every node.

Every .py file of the fixtures, every module of every rule example, and generated files with
the shapes that move positions (line endings \\r\\n and \\r, tabs, a BOM, non-ASCII and astral
characters, f-strings, decorators, comments, line continuations, statements hoisting their
position from children) are compared node by node with libcst's own provider.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from pipelint.core.diagnostics import Position
from pipelint.core.source import SourceFile, decode
from pipelint.model import positions
from pipelint.model.python import PythonModule

sys.path.insert(0, str(REPO / "benchmarks"))


def _module(text: str, name: str = "main") -> PythonModule:
    return PythonModule(SourceFile(Path(f"/m/{name}.py"), f"{name}.py", text, text.encode("utf-8", "surrogatepass")), name)


def _libcst(tree) -> dict:
    from libcst.metadata import MetadataWrapper, PositionProvider

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))  # the hostile fixtures nest deeper than libcst's walks go by default
    try:
        return MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    finally:
        sys.setrecursionlimit(limit)


def assert_same_positions(tree) -> int:
    """Compare every node's range with libcst's; return how many nodes were compared."""
    expected = _libcst(tree)
    mine = positions.positions_of(tree)
    assert isinstance(mine, positions.Positions)  # not vacuous: the fast path ran, not the fallback
    assert set(mine) == set(expected)
    wrong = [(type(n).__name__, mine.get(n), r) for n, r in expected.items() if mine.get(n) != r]
    assert not wrong, f"{len(wrong)} of {len(expected)} nodes differ, first: {wrong[:3]}"
    for n, r in expected.items():  # the int form PythonModule.range() reads
        assert mine.span(n) == (r.start.line, r.start.column + 1, r.end.line, r.end.column + 1)
    return len(expected)


def _tree_of(text: str):
    tree = _module(text).tree
    assert tree is not None, "not parsed"
    return tree


# ---- every fixture and every rule example ------------------------------------------------

def _fixture_files() -> list[Path]:
    return sorted(FIXTURES.rglob("*.py"))


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_every_fixture_module(path):
    text, _, _ = decode(path.read_bytes())
    if text is None:
        pytest.skip("not text")
    tree = _module(text).tree
    if tree is None:
        pytest.skip("not parsed by pipelint (syntax error or beyond its limits)")
    assert_same_positions(tree)


def _example_modules():
    from pipelint.engine.registry import all_rules

    seen = set()
    for rule in all_rules():
        for kind in ("VALID", "INVALID"):
            for i, case in enumerate(getattr(rule, kind)):
                for rel, content in case.model_files().items():
                    if not rel.endswith(".py") or content is None:
                        continue
                    text = decode(content)[0] if isinstance(content, bytes) else content
                    if text is None or text in seen:
                        continue
                    seen.add(text)
                    yield f"{rule.code}-{kind.lower()}-{i}-{rel}", text


def test_every_rule_example_module():
    compared = failures = 0
    problems = []
    for label, text in _example_modules():
        tree = _module(text).tree
        if tree is None:
            continue
        try:
            compared += assert_same_positions(tree)
        except AssertionError as exc:
            failures += 1
            problems.append(f"{label}: {exc}")
    assert not problems, "\n".join(problems[:5])
    assert compared > 10_000  # not vacuous


# ---- generated files ---------------------------------------------------------------------

SHAPES = '''\ufeff"""A module docstring with non-ASCII: café, 日本語, astral: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🎉."""
# a comment at the top 🎉
import os, sys  # trailing comment
from typing import (
    Optional,  # inside parentheses
    List,
)

x = 1 + \\
    2  # a line continuation
s = "𝔘" + 'é' + """multi
line 🎉
string""" + r"raw\\n"
f = f"{x!r:>{10}} {s=} {'nested' + f'{x}'} 𝔘 {x:{'>'}10}"
b = b"bytes" rb"raw"
implicit = ("one" "two"
            "three")


@decorator
@decorator.with_args(1, key="é")
def func(a: int, /, b: "Optional[int]" = None, *args, c=3, **kwargs) -> List[int]:
	"""Tab-indented body."""
	if a:
		return [a]  # 🎉
	elif b:
		pass
	else:
		return []


class Thing(Base, metaclass=Meta):
    attr: int = 1

    @property
    def value(self):
        return (yield from range(3))

    async def run(self):
        async with ctx() as c, other():
            async for i in c:
                await i
        try:
            pass
        except* ValueError as e:
            raise RuntimeError from e
        finally:
            del x


match command.split():
    case [action, *rest] if action:
        pass
    case {"key": value, **others}:
        pass
    case Point(x=0, y=0) | None:
        pass
    case _:
        pass

lambda_ = lambda a, *b, **c: (a, b, c)
while (n := len(x)) > 10: break
else: pass
for i in range(3): continue
with open("f") as fh: data = fh.read(); other = 1;
global_ = [i for i in range(3) if i for j in range(2)]
gen = {k: v for k, v in {}.items()}
sets = {*a, *b}
starred, *rest = 1, 2, 3
assert x, "msg"
print(*args, sep="", **kwargs)
sub = x[1:2, ::3, ...]
cond = a if b else c
neg = not -x ** ~y
chain = a < b <= c != d is not e in f not in g
aug += 1; aug //= 2; aug @= m
nonlocal_ = None
type Alias[T] = list[T]
def generic[T: int, *Ts, **P](x: T) -> T: return x
if True:
    pass
    # a comment at the end of a block

# comments at the end of the file
'''


def _variants(text: str) -> dict[str, str]:
    return {
        "lf": text,
        "crlf": text.replace("\n", "\r\n"),
        "cr": text.replace("\n", "\r"),
        "no final newline": text.rstrip("\n"),
        "mixed endings": "".join(line + ("\r\n", "\r", "\n")[i % 3] for i, line in enumerate(text.split("\n"))),
    }


def _parsed(text: str):
    import libcst as cst

    try:
        return cst.parse_module(text)
    except Exception:
        return None


@pytest.mark.parametrize("variant", list(_variants(SHAPES)))
def test_generated_shapes(variant):
    import libcst as cst

    text = _variants(SHAPES)[variant]
    tree = _parsed(text)
    if tree is None:  # an older libcst without PEP 695 syntax: the shapes without it
        text = "\n".join(line for line in text.splitlines() if "[T" not in line) + "\n"
        tree = cst.parse_module(text)
    # libcst drops a BOM, and the last line end of a file whose lines end in \r alone
    assert tree.code.rstrip("\r") == text.removeprefix("\ufeff").rstrip("\r")
    assert assert_same_positions(tree) > 500


@pytest.mark.parametrize("text", [
    "", "\n", "\r\n", "\r", "# only a comment", "# only a comment\n", "\n\n\n", "x", "x\r", "pass\r\n\r\n",
    "\ufeffx = 1\n", "\t\n", "if x:\n\tpass\n", "x = (\r\n  1,\r\n)\r\n", "x = '''\r\n\r\r\n'''\r",
    "x = 1 \\\r\n  + 2\r\n", "x = 1 \\\r  + 2\r", "s = '\\\n'\n", "def f():\n    pass\n\n\n# tail\n",
    "@d\n# between\n@e\nclass C: pass\n", "try:\n    pass\nexcept:\n    pass\n", "a = b = c = 'é𝔘'\n",
], ids=repr)
def test_small_shapes(text):
    tree = _parsed(text)
    if tree is not None:
        assert_same_positions(tree)


def test_big_generated_models(tmp_path):
    import generate

    for folder, model in ((tmp_path / "big", generate.big_model(tmp_path / "big", lines=3000)),
                          (tmp_path / "pipeline", generate.typical_pipeline(tmp_path / "pipeline")),
                          (tmp_path / "cog", generate.typical_cog(tmp_path / "cog"))):
        for path in sorted(folder.rglob("*.py")):
            assert_same_positions(_tree_of(path.read_text(encoding="utf-8")))
        assert model is not None


# ---- what PythonModule gives its callers -------------------------------------------------

def test_python_module_range_and_metadata_are_libcst_s():
    import libcst as cst

    module = _module(SHAPES.replace("\ufeff", "", 1).replace("\n", "\r\n"))
    expected = _libcst(module.tree)
    positions_map = module.metadata("position")
    for node in [module.tree, *module.tree.body, *(n for n in expected if isinstance(n, cst.Name))]:
        r = expected[node]
        assert positions_map.get(node) == r == positions_map[node]
        assert node in positions_map
        assert module.range(node) == (Position(r.start.line, r.start.column + 1), Position(r.end.line, r.end.column + 1))
    foreign = cst.parse_expression("x")
    assert module.range(foreign) == (Position(1, 1), Position(1, 1))
    assert positions_map.get(foreign) is None and foreign not in positions_map
    assert len(positions_map) == len(expected) and dict(positions_map.items()) == dict(expected)


def test_a_libcst_with_other_internals_gets_libcst_s_provider(monkeypatch):
    """A libcst whose position state differs is not mirrored: the real provider answers."""
    tree = _parsed("def f(x):\n    return x\n")
    monkeypatch.setattr(positions, "_KNOWN_STATE_MEMBERS", positions._KNOWN_STATE_MEMBERS | {"new_hook"})
    monkeypatch.setattr(positions, "_STATE_CLASS", [])
    fallback = positions.positions_of(tree)
    assert not isinstance(fallback, positions.Positions)
    assert dict(fallback) == dict(_libcst(tree))

    class Broken:  # a CodegenState whose fields differ
        def __init__(self, **kwargs):
            raise TypeError("unexpected keyword argument")

    monkeypatch.setattr(positions, "_STATE_CLASS", [Broken])
    fallback = positions.positions_of(tree)
    assert not isinstance(fallback, positions.Positions) and dict(fallback) == dict(_libcst(tree))
