"""pipelint.model.walk calls libcst's hooks exactly as libcst's own visit does, and the scopes
computed through it are libcst's scopes.

Proof by comparison on real trees: every fixture's Python file, the benchmark generator's models
and snippets of the syntax whose visiting is irregular (decorators, comprehensions, lambdas, class
bodies, global/nonlocal, f-strings, match, type parameters, walrus, star imports, …). For each
tree the fast walk and libcst's visit record the complete hook call sequence (on_* overrides, and
generated visit_/leave_ methods for every node class and attribute, some returning False), the
batched walk is compared with ``libcst.visit_batched``, and ``_scopes_of`` with and without the
fast traversal gives the same expression contexts and, for every node, the same scope: its class,
its node, every assignment and access (by node), and for Name/Attribute/Call nodes their
qualified names.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

libcst = pytest.importorskip("libcst")

from pipelint.model import walk as W  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

SNIPPETS = {
    "decorators": '''
import functools
@functools.lru_cache(maxsize=None)
@staticmethod
def f(a, /, b, *args, c=1, **kw) -> "int":
    return a
class C(Base, metaclass=Meta):
    """doc"""
    x: int = 1
    y = [x for _ in range(3)]
    @property
    def p(self): return self.x
    @p.setter
    def p(self, v): self.x = v
''',
    "comprehensions": '''
a = [x * y for x in range(3) if x for y in range(x) if y > 1]
b = {k: v for k, v in d.items()}
c = {s for s in "abc"}
g = (i async for i in aiter() if await i)
n = [[j for j in range(i)] for i in range(4)]
''',
    "lambdas": '''
f = lambda: 0
g = lambda x, *a, y=lambda z: z, **k: (x, a, y, k)
sorted(xs, key=lambda t: t[1])
''',
    "global_nonlocal": '''
counter = 0
def outer():
    value = 1
    def inner():
        nonlocal value
        global counter
        counter += value
        value = 2
        del value
    return inner
''',
    "fstrings": '''
name, width, x = "a", 10, 3.14159
s = f"{name!r:>{width}} {x:.{2}f} {x=} {x = !s:^10} {{literal}} {f'{name}'} " f"tail{1+2}"
t = rb"raw" b"bytes" "implicit" 'concat'
''',
    "match": '''
match command.split():
    case [action]:
        pass
    case [Point(x=0, y=0) as origin, *rest] if rest:
        print(origin)
    case {"key": value, **others}:
        pass
    case 1 | 2 | -3 | 4j | "s" | None | True:
        pass
    case Color.RED:
        pass
    case _:
        pass
''',
    "type_params": '''
type Alias[T: int = int, *Ts, **P] = list[T]
def first[T](xs: list[T]) -> T:
    return xs[0]
class Box[T: (int, str)]:
    def get(self) -> T: ...
''',
    "walrus_and_misc": '''
from . import sibling
from .pkg.mod import (a as b, c)
from os.path import *
import os.path as osp, sys
if (n := len(a)) > 10:
    print(f"{n}")
async def co():
    async with a as (x, y), b:
        async for i in x:
            await i
    try:
        pass
    except* ValueError as e:
        raise RuntimeError() from e
    else:
        pass
    finally:
        pass
with open("f") as fh: data = fh.read(); del data
while True:
    break
else:
    pass
for i, (j, k) in enumerate(z): continue
x = a if b else c
y = not a and b or c
z = a[1:2, ::3, ...]
w = -a ** ~b @ c // d << e
assert x, "msg"
print(*args, **kwargs, sep="")
v: "list[int]"
q = {**a, 'b': 1}
r = {*a, *b}
t = (yield)
u = (1,)
''',
    "comments_and_whitespace": '''#!/usr/bin/env python
# -*- coding: utf-8 -*-

"""Module doc."""  # trailing


def f(  # comment
    a,  # one
    b,
):  # after
    # inside
    return (
        a  # a
        + b
    )


# footer
''',
}


def _sources() -> list[tuple[str, str]]:
    out = [(f"snippet:{k}", v) for k, v in SNIPPETS.items()]
    for path in sorted((ROOT / "fixtures").rglob("*.py")):
        try:
            out.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
        except (UnicodeDecodeError, OSError):
            continue
    return out


def _generated(tmp: Path) -> list[tuple[str, str]]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate as g
    finally:
        sys.path.pop(0)
    out = []
    for name, make in (("typical_pipeline", g.typical_pipeline), ("typical_cog", g.typical_cog),
                       ("big_model", lambda f: g.big_model(f, lines=3000))):
        folder = tmp / name
        make(folder)
        for path in sorted(folder.rglob("*.py")):
            out.append((f"generated:{name}/{path.name}", path.read_text(encoding="utf-8")))
    return out


def _parse(text: str):
    try:
        return libcst.parse_module(text)
    except Exception:
        return None


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    out = []
    for name, text in _sources() + _generated(tmp_path_factory.mktemp("gen")):
        tree = _parse(text)
        if tree is not None:
            out.append((name, tree))
    assert len(out) > 100
    return out


class OnRecorder(libcst.CSTVisitor):
    def __init__(self):
        self.log = []

    def on_visit(self, node):
        self.log.append(("visit", id(node)))
        return not (isinstance(node, libcst.Lambda) and len(self.log) % 2)

    def on_leave(self, node):
        self.log.append(("leave", id(node)))

    def on_visit_attribute(self, node, attribute):
        self.log.append(("visit_attr", id(node), attribute))

    def on_leave_attribute(self, node, attribute):
        self.log.append(("leave_attr", id(node), attribute))


def _node_classes():
    seen, todo = set(), [libcst.CSTNode]
    while todo:
        c = todo.pop()
        for s in c.__subclasses__():
            if s not in seen:
                seen.add(s)
                todo.append(s)
    return sorted(seen, key=lambda c: (c.__name__, c.__module__, id(c)))


def _method_recorder():
    """A CSTVisitor with a visit_/leave_ method for every node class and child attribute; the
    visits of some Call, FunctionDef, ClassDef, Attribute and If nodes return False."""
    import dataclasses

    ns = {}
    stop = {"Call", "FunctionDef", "ClassDef", "Attribute", "If", "Subscript"}

    def visitor(name):
        def f(self, node):
            self.log.append(("visit_" + name, id(node)))
            return False if name in stop and len(self.log) % 3 == 0 else None
        return f

    def other(name):
        def f(self, node):
            self.log.append((name, id(node)))
        return f

    for cls in _node_classes():
        n = cls.__name__
        ns[f"visit_{n}"] = visitor(n)
        ns[f"leave_{n}"] = other(f"leave_{n}")
        if dataclasses.is_dataclass(cls):
            for field in dataclasses.fields(cls):
                ns[f"visit_{n}_{field.name}"] = other(f"visit_{n}_{field.name}")
                ns[f"leave_{n}_{field.name}"] = other(f"leave_{n}_{field.name}")

    def init(self):
        self.log = []

    ns["__init__"] = init
    return type("MethodRecorder", (libcst.CSTVisitor,), ns)


class _Batchable(libcst.BatchableCSTVisitor):
    def __init__(self, tag, log):
        self.tag, self.log = tag, log

    def visit_Name(self, node):
        self.log.append((self.tag, "visit_Name", id(node)))

    def leave_Name(self, node):
        self.log.append((self.tag, "leave_Name", id(node)))

    def visit_Call(self, node):
        self.log.append((self.tag, "visit_Call", id(node)))
        return False  # ignored by a batched traversal

    def visit_Call_args(self, node):
        self.log.append((self.tag, "visit_Call_args", id(node)))

    def leave_FunctionDef_body(self, node):
        self.log.append((self.tag, "leave_FunctionDef_body", id(node)))

    def leave_Module(self, node):
        self.log.append((self.tag, "leave_Module", id(node)))

    def visit_FormattedStringExpression_format_spec(self, node):
        self.log.append((self.tag, "visit_FSE_format_spec", id(node)))

    def visit_ImportFrom_names(self, node):
        self.log.append((self.tag, "visit_ImportFrom_names", id(node)))


def test_table_is_derived_from_the_installed_libcst():
    table = json.loads((ROOT / "pipelint" / "data" / "libcst-walk.json").read_text())
    installed = W._installed_libcst_version()
    if installed is not None and table.get("libcst") not in (None, installed):
        pytest.skip(f"the table is for libcst {table.get('libcst')}, {installed} is installed (walks fall back to "
                    "libcst's own visit): run scripts/derive_libcst_walk.py")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "derive_libcst_walk.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert W._covered()


def test_every_libcst_node_class_is_covered():
    import inspect

    assert W._covered()
    missing = [c.__name__ for c in _node_classes() if not inspect.isabstract(c)
               and c.__module__.startswith("libcst.") and W._spec(c) is None
               and getattr(sys.modules[c.__module__], c.__qualname__, None) is c]  # not add_slots' discarded copy
    assert not missing


def _log(run, *args):
    """What a traversal recorded (its last argument), or "too deep" when it raised RecursionError
    (as libcst does on the hostile fixture nested ~150 brackets deep)."""
    try:
        run(*args)
    except RecursionError:
        return "too deep"
    return args[-1].log if hasattr(args[-1], "log") else args[-1]


def _patched_visit(tree, visitor):
    with W.fast_visits():
        tree.visit(visitor)


def _libcst_visit(tree, visitor):
    tree.visit(visitor)


def test_hook_sequence_with_on_hooks(trees):
    for name, tree in trees:
        assert _log(_libcst_visit, tree, OnRecorder()) == _log(W.walk, tree, OnRecorder()), name


def test_hook_sequence_with_methods(trees):
    recorder = _method_recorder()
    for name, tree in trees:
        slow = _log(_libcst_visit, tree, recorder())
        assert slow == _log(W.walk, tree, recorder()), name
        assert slow == _log(_patched_visit, tree, recorder()), name  # CSTNode.visit itself


def _batched(visit, tree, log):
    visit(tree, [_Batchable(1, log), _Batchable(2, log)])


def test_batched_hook_sequence(trees):
    for name, tree in trees:
        slow = _log(_batched, libcst.visit_batched, tree, [])
        assert slow == _log(_batched, W.walk_batched, tree, []), name


def test_fast_visits_restores_and_leaves_transformers_alone():
    original = libcst.CSTNode.__dict__["visit"]
    tree = libcst.parse_module("x = 1\n")

    class Rename(libcst.CSTTransformer):
        def leave_Name(self, original_node, updated_node):
            return updated_node.with_changes(value="y")

    with W.fast_visits():
        with W.fast_visits():
            assert libcst.CSTNode.__dict__["visit"] is not original
        assert tree.visit(Rename()).code == "y = 1\n"
    assert libcst.CSTNode.__dict__["visit"] is original


def _scope_signature(tree, contexts, scopes):
    """Everything the scope analysis says, with nodes named by their pre-order index in ``tree``
    (nodes outside it, parsed from string annotations, by their class and code)."""
    from libcst.metadata.scope_provider import Scope

    index: dict = {}

    class Number(libcst.CSTVisitor):
        def on_visit(self, node):
            index.setdefault(id(node), len(index))
            return True

    tree.visit(Number())
    empty = libcst.Module([])

    def key(node):
        if node is None or isinstance(node, str):
            return node
        i = index.get(id(node))
        if i is not None:
            return i
        try:
            return ("foreign", type(node).__name__, empty.code_for_node(node))
        except Exception:
            return ("foreign", type(node).__name__)

    sig_contexts = sorted((repr(key(n)), str(c)) for n, c in contexts.items())
    described: dict = {}

    def describe(scope):
        if id(scope) in described:
            return repr(key(getattr(scope, "node", None)))
        described[id(scope)] = None
        parts = [type(scope).__name__, repr(key(getattr(scope, "node", None))),
                 describe(scope.parent) if scope.parent is not scope else "self"]
        assignments = sorted(repr((a.name, type(a).__name__, key(getattr(a, "node", None)),
                                   sorted(repr(key(x.node)) for x in a.references)))
                             for a in scope.assignments)
        accesses = sorted(repr((getattr(x, "name", None), key(x.node), x.is_annotation, x.is_type_hint,
                                sorted(repr(key(getattr(r, "node", None))) for r in x.referents)))
                          for x in scope.accesses)
        described[id(scope)] = repr((parts, assignments, accesses, scope._assignment_count))
        return repr(key(getattr(scope, "node", None)))

    per_node = []
    for node, scope in scopes.items():
        if not isinstance(scope, Scope):
            per_node.append(repr((key(node), None)))
            continue
        describe(scope)
        entry = (key(node), type(scope).__name__, key(getattr(scope, "node", None)))
        if isinstance(node, (libcst.Name, libcst.Attribute, libcst.Call)):
            entry += (sorted((q.name, str(q.source)) for q in scope.get_qualified_names_for(node)),)
        per_node.append(repr(entry))
    return sig_contexts, sorted(per_node), sorted(described.values())


def test_scopes_are_libcsts(trees):
    from pipelint.model import python

    for name, tree in trees:
        try:
            slow = _scope_signature(tree, *python._scopes_of(tree, fast=False))
        except RecursionError:
            slow = "too deep"
        try:
            fast = _scope_signature(tree, *python._scopes_of(tree))
        except RecursionError:
            fast = "too deep"
        assert slow == fast, name


class _RuleLike(libcst.BatchableCSTVisitor):
    def visit_Name(self, node):
        pass

    def visit_List(self, node):
        pass

    def leave_Call(self, node):
        pass


def _raises(fn, *args) -> bool:
    try:
        fn(*args)
    except RecursionError:
        return True
    return False


@pytest.mark.parametrize("shape", ["[{}]", "f({})", "a.b({}).c", "x[{}]"])
def test_too_deep_where_libcst_is_too_deep(shape):
    """The fast walks raise RecursionError where libcst's visit does (same stack), so a tree too
    deep for libcst is still reported as too deep. A plain CSTVisitor: at the very same depth.
    The scope analysis and a batched traversal, whose hooks' own frames the walk cannot know:
    within one level of nesting (~140 brackets deep, 4–5 levels more than real code reaches)."""
    from pipelint.model import python

    first: dict = {}
    pairs = {
        "visit": (lambda t: t.visit(libcst.CSTVisitor()), lambda t: W.walk(t, libcst.CSTVisitor())),
        "scopes": (lambda t: python._scopes_of(t, fast=False), python._scopes_of),
        "batched": (lambda t: libcst.visit_batched(t, [_RuleLike()]), lambda t: W.walk_batched(t, [_RuleLike()])),
    }
    for n in range(80, 160):
        inner = "0"
        for _ in range(n):
            inner = shape.format(inner)
        tree = _parse(f"DATA = {inner}\n")
        if tree is None:
            break
        for k, (slow, fast) in pairs.items():
            for which, fn in (("slow", slow), ("fast", fast)):
                if (k, which) not in first and _raises(fn, tree):
                    first[k, which] = n
        if len(first) == 2 * len(pairs):
            break
    assert len(first) == 2 * len(pairs), first
    assert first["visit", "slow"] == first["visit", "fast"]
    for k in ("scopes", "batched"):
        assert abs(first[k, "slow"] - first[k, "fast"]) <= 1, (k, first)


def _offsets():
    return W._offset(), W._probed_offset()


class _Holder:
    @property
    def offsets(self):
        return _offsets()


def _deep_offsets(n):
    return _offsets() if n == 0 else _deep_offsets(n - 1)


def test_offset_read_from_the_interpreter_equals_the_probe():
    # The recursion depth sys.setrecursionlimit reports replaces a ~1,000-call probe per node
    # class; it must give the probe's answer wherever the walkers ask: C calls (sorted's key, a
    # property) add to the count, plain Python recursion does not.
    import threading

    seen = [_offsets(), _deep_offsets(200), _Holder().offsets]
    sorted([0], key=lambda _: seen.append(_offsets()))
    seen.extend(map(lambda _: _offsets(), [0]))
    thread = threading.Thread(target=lambda: seen.append(_offsets()))
    thread.start()
    thread.join()
    assert W._REPORT_SHIFT is not False, "the interpreter's report was not readable: the probe is used"
    assert len(seen) == 6
    assert all(fast == probed for fast, probed in seen), seen
    assert len({fast for fast, _ in seen}) > 1, "every context gave the same offset: the test shows nothing"
