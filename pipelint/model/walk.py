"""Read-only traversals of a libcst tree that call libcst's hooks without rebuilding the tree.

libcst's ``CSTNode.visit`` re-constructs (dataclass ``__init__`` + ``_validate``) every node it
passes, even for a read-only ``CSTVisitor`` whose result is the original tree. The walkers here
call the same hooks in the same order (``on_visit`` / ``visit_<Node>``, then per child attribute
``on_visit_attribute`` / ``visit_<Node>_<attr>``, the children, ``on_leave_attribute`` /
``leave_<Node>_<attr>``, then ``on_leave`` / ``leave_<Node>``), on the same node objects, and
build nothing:

* ``walk(node, visitor)`` — ``node.visit(visitor)`` for a ``CSTVisitor``;
* ``walk_batched(node, visitors)`` — ``libcst.visit_batched(node, visitors)``;
* ``fast_visits()`` — a context in which ``CSTNode.visit`` itself takes this path for read-only
  ``CSTVisitor`` instances (libcst's scope and expression-context visitors call ``node.visit(self)``
  on sub-trees themselves); any other visitor, a transformer included, gets libcst's own visit.

Which children a node visits, and in which order, is libcst's ``_visit_and_replace_children``,
read from libcst's source by ``scripts/derive_libcst_walk.py`` into ``pipelint/data/libcst-walk.json``.
A node class is walked here only when the table covers the class that defines its
``_visit_and_replace_children`` and the installed method passes the very keywords the table
recorded (its keyword-name constant); any other class, and every class when the installed libcst
is not the version the table was read from, is visited by libcst's own ``visit``.

libcst's visit takes 3–4 Python frames per tree level (and more for its hooks and for rebuilding
a node) and fails with ``RecursionError`` on trees ~140 brackets deep, which pipelint reports as
nested too deeply to analyse. These walkers take one frame per level, so they count the frames
libcst would have used (from the real recursion depth where the walk starts) and raise
``RecursionError`` where libcst's own frames would pass the recursion limit.
"""

from __future__ import annotations

import sys
import threading

_TABLE: dict | None = None
_COVERED: bool | None = None  # the installed libcst is the table's version
_MISSING = object()
# node class -> tuple of (attribute, kind) to visit in order, or None (libcst's own visit)
_SPECS: dict = {}
ONE, SEQ, ONE_OR_SEQ, SEQ_OR_NONE = 0, 1, 2, 3
_KINDS = {"one": ONE, "seq": SEQ, "body": SEQ, "one|seq": ONE_OR_SEQ, "seq?": SEQ_OR_NONE}
# libcst's visit spends 3 frames from a node's visit() to a child's (_visit_and_replace_children,
# visit_required), 4 through a sequence (visit_sequence and the visit_iterable generator).

_state = threading.local()  # .extra: frames libcst would use beyond the real stack (nested walks)
_patch_lock = threading.Lock()
_patch_users = 0
_original_visit = None
_dispatch: dict = {}  # visitor class -> {node class: (visit, leave, {attr: (visit, leave)} | None)}
_is_visitor: dict = {}  # visitor class -> whether it is a read-only CSTVisitor


def _installed_libcst_version() -> str | None:
    """The installed libcst's version from its dist-info folder name (no importlib.metadata)."""
    import os

    import libcst

    site = os.path.dirname(os.path.dirname(os.path.abspath(libcst.__file__)))
    try:
        names = os.listdir(site)
    except OSError:
        return None
    for name in names:
        if name.startswith("libcst-") and name.endswith((".dist-info", ".egg-info")):
            return name[len("libcst-"):].rsplit(".", 1)[0]
    return None


def _covered() -> bool:
    global _TABLE, _COVERED
    if _COVERED is None:
        import json
        from pathlib import Path

        try:
            _TABLE = json.loads((Path(__file__).resolve().parent.parent / "data" / "libcst-walk.json")
                                .read_text(encoding="utf-8"))
            _COVERED = _TABLE.get("libcst") == _installed_libcst_version()
        except (OSError, ValueError):
            _COVERED = False
    return _COVERED


def _consts(code):
    for c in code.co_consts:
        yield c
        if hasattr(c, "co_consts"):
            yield from _consts(c)


def _spec(kind):
    """The children ``kind`` visits, in order, or None when the table does not cover it."""
    spec = None
    try:
        from libcst import CSTNode, Module

        owner = next((c for c in kind.__mro__ if "_visit_and_replace_children" in c.__dict__), None)
        visit_owner = next((c for c in kind.__mro__ if "visit" in c.__dict__), None)
        entry = (_TABLE or {}).get("classes", {}).get(f"{owner.__module__}.{owner.__qualname__}") \
            if owner is not None else None
        if entry is not None and visit_owner in (CSTNode, Module) and issubclass(kind, CSTNode):
            keywords = tuple(entry["keywords"])
            code = owner.__dict__["_visit_and_replace_children"].__code__
            if not keywords or keywords in set(c for c in _consts(code) if isinstance(c, tuple)):
                spec = tuple((name, _KINDS[k]) for name, k in entry["fields"])
    except (AttributeError, KeyError, TypeError, StopIteration):
        spec = None
    _SPECS[kind] = spec
    return spec


_NEEDS: dict = {}  # (node class, hook frames) -> frames libcst's visit of that node reaches above it
_VALIDATES: dict = {}  # node class -> frames its _validate() takes (measured on its first node)


def _need(node, spec, pre: int, post: int, attr: int) -> int:
    """The deepest frame libcst's visit of ``node`` reaches, counted from its visit() frame: its
    visit/leave hooks (``pre``/``post``: 2 for CSTVisitor's on_visit → visit_<Node>), per child
    attribute visit_required → on_visit_attribute → hook (``attr`` + 2; visit_sequence adds its
    generator), and the rebuild: __init__ → __post_init__ → _validate and what it calls."""
    kind = type(node)
    key = (kind, pre, post, attr)
    need = _NEEDS.get(key)
    if need is None:
        need = max(pre, post)
        if spec:
            validates = _VALIDATES.get(kind)
            if validates is None:
                validates = _VALIDATES[kind] = _validate_frames(node)
            need = max(need, 4 + validates)  # one more: the C-level call check between them (calibrated)
            for _, how in spec:
                need = max(need, 2 + attr + (0 if how == ONE or how == ONE_OR_SEQ else 1))
        _NEEDS[key] = need
    return need


def _validate_frames(node) -> int:
    """How many frames ``node._validate()`` takes (it may call a base's, ``re.fullmatch`` …):
    the lowest recursion limit above this frame at which it still runs from a helper frame.
    The limit is lowered for a few microseconds, once per node class and process."""
    if threading.active_count() > 1:
        # The recursion limit is the interpreter's, not the thread's: lowered here, it would
        # fail a shallow call in another thread (the language server's event loop). Assume the
        # most frames the probe below allows, so a walk gives up a little before libcst would.
        return 16
    limit = sys.getrecursionlimit()
    here = _real_depth(sys._getframe()) + _offset()

    def call():
        node._validate()

    try:
        for k in range(2, 18):  # the interpreter refuses a limit below the current depth + 2
            try:
                sys.setrecursionlimit(here + k)
            except RecursionError:
                continue
            try:
                call()
                return k - 1
            except RecursionError:
                continue
            except Exception:
                return k - 1
            finally:
                sys.setrecursionlimit(limit)
        return 16
    finally:
        sys.setrecursionlimit(limit)


def _real_depth(frame) -> int:
    n = 0
    while frame is not None:
        n += 1
        frame = frame.f_back
    return n


def _offset() -> int:
    """What Python's recursion counter adds to the frame count of this point of the stack: the
    frames libcst would have used beyond the real ones (``_state.extra``, set by an enclosing
    walk), or, outside any walk, the C-level calls on the stack. Those are read off the depth
    ``sys.setrecursionlimit`` reports when refusing a limit of 1 (a few µs), calibrated once per
    process against a probe of how many more frames fit (~1,000 calls, ~100 µs), which stays the
    method wherever that report cannot be read."""
    extra = getattr(_state, "extra", None)
    if extra is not None:
        return extra
    global _REPORT_SHIFT
    if _REPORT_SHIFT is None:
        reported, probed = _reported_offset(), _probed_offset()
        _REPORT_SHIFT = False if reported is None else reported - probed
    if _REPORT_SHIFT is not False:
        reported = _reported_offset()
        if reported is not None:
            return reported - _REPORT_SHIFT
    return _probed_offset()


_REPORT_SHIFT: int | bool | None = None  # reported − probed offset (a constant), False: not usable


def _reported_offset() -> int | None:
    """The recursion depth the interpreter reports at this point, less the real frames."""
    try:
        sys.setrecursionlimit(1)  # always refused (below the current depth): nothing changes
    except RecursionError as e:
        words = str(e).split("recursion depth ", 1)
        digits = words[1].split(":", 1)[0].strip() if len(words) == 2 else ""
        if digits.isdigit():
            return int(digits) - _real_depth(sys._getframe())
    except Exception:
        pass
    return None


def _probed_offset() -> int:
    free = 0

    def probe():
        nonlocal free
        free += 1
        probe()

    try:
        probe()
    except RecursionError:
        pass
    # probe's frames at depth here+1 … here+free fit, here+free+1 did not: here = limit - free
    return sys.getrecursionlimit() - free - _real_depth(sys._getframe())


def _entry_depth(node, caller) -> int:
    """The recursion depth libcst's ``CSTNode.visit`` frame would have for ``node.visit(...)``
    called from the frame ``caller`` (``Module.visit`` adds one)."""
    from libcst import Module

    return _real_depth(caller) + _offset() + (2 if type(node) is Module else 1)


# ------------------------------------------------------------------------------- one visitor


def _dispatch_for(vcls) -> dict:
    table = _dispatch.get(vcls)
    if table is None:
        table = _dispatch[vcls] = {}
    return table


def _hook(vcls, name):
    from types import FunctionType

    fn = getattr(vcls, name, None)
    if fn is None or getattr(fn, "_is_no_op", False):
        return None
    if not isinstance(fn, FunctionType):  # a staticmethod, a callable object: as getattr(visitor) gives it
        return lambda visitor, node: getattr(visitor, name)(node)
    return fn


def _entry(vcls, kind, spec):
    name = kind.__name__
    attrs = {}
    for attr, _ in spec:
        va, la = _hook(vcls, f"visit_{name}_{attr}"), _hook(vcls, f"leave_{name}_{attr}")
        if va is not None or la is not None:
            attrs[attr] = (va, la)
    return _hook(vcls, f"visit_{name}"), _hook(vcls, f"leave_{name}"), attrs or None


def walk(node, visitor):
    """``node.visit(visitor)`` for a read-only ``CSTVisitor``, without rebuilding the tree."""
    if not _covered() or not _visitor_ok(type(visitor)):
        return node.visit(visitor)
    _run(node, visitor, _entry_depth(node, sys._getframe(1)))
    return node


def _visitor_ok(vcls) -> bool:
    ok = _is_visitor.get(vcls)
    if ok is None:
        from libcst import CSTVisitor
        from libcst._visitors import CSTTransformer

        ok = _is_visitor[vcls] = issubclass(vcls, CSTVisitor) and not issubclass(vcls, CSTTransformer)
    return ok


_LIBCST: list = []  # CSTVisitor, MaybeSentinel.DEFAULT (imported on first use)


def _libcst():
    if not _LIBCST:
        from libcst import CSTVisitor, MaybeSentinel

        _LIBCST.extend((CSTVisitor, MaybeSentinel.DEFAULT))
    return _LIBCST


def _run(root, visitor, d0: int) -> None:
    CSTVisitor, SENTINEL = _LIBCST or _libcst()

    vcls = type(visitor)
    shadowed = False
    for k in getattr(visitor, "__dict__", ()):
        if k.startswith(("visit_", "leave_")):
            shadowed = True
            break
    on_visit = visitor.on_visit if shadowed or vcls.on_visit is not CSTVisitor.on_visit else None
    on_leave = visitor.on_leave if shadowed or vcls.on_leave is not CSTVisitor.on_leave else None
    on_vattr = visitor.on_visit_attribute \
        if shadowed or vcls.on_visit_attribute is not CSTVisitor.on_visit_attribute else None
    on_lattr = visitor.on_leave_attribute \
        if shadowed or vcls.on_leave_attribute is not CSTVisitor.on_leave_attribute else None
    attr_hooks = on_vattr is not None or on_lattr is not None
    if attr_hooks:  # one overridden: call both as libcst does
        on_vattr, on_lattr = visitor.on_visit_attribute, visitor.on_leave_attribute
    # frames of the hooks in libcst: on_visit → visit_<Node> (a stub when not defined), one more
    # for an override (which usually ends in super()'s)
    pre, post, at = 2 + (on_visit is not None), 2 + (on_leave is not None), 2 + attr_hooks
    dispatch = _dispatch_for((vcls, pre, post, at))
    specs = _SPECS
    limit = sys.getrecursionlimit()
    state = _state
    nested = _patch_users > 0  # hooks may start walks of their own through CSTNode.visit
    old_extra = getattr(state, "extra", None)
    r0 = _real_depth(sys._getframe()) + 1  # the root go() frame

    def go(node, d, level):
        kind = type(node)
        spec = specs.get(kind, _MISSING)
        if spec is _MISSING:
            spec = _spec(kind)
        if spec is None:  # a class the table does not cover: libcst's own visit
            if nested:
                state.extra = d - r0 - level - 1
            _fallback(node, visitor)
            return
        entry = dispatch.get(kind)
        if entry is None:
            entry = dispatch[kind] = _entry(vcls, kind, spec) + (_need(node, spec, pre, post, at),)
        if d + entry[3] > limit:
            raise RecursionError("maximum recursion depth exceeded (in libcst's visit)")
        if nested:
            state.extra = d - r0 - level + (0 if on_visit is not None else 1)
        if on_visit is not None:
            down = on_visit(node)
        else:
            fn = entry[0]
            down = fn is None or fn(visitor, node) is not False
        if down and spec:
            attrs = entry[2]
            for attr, how in spec:
                value = getattr(node, attr)
                if how == SEQ_OR_NONE and value is None:
                    continue  # libcst calls no attribute hook for it either
                hooks = attrs.get(attr) if attrs is not None else None
                if attr_hooks:
                    on_vattr(node, attr)
                elif hooks is not None and hooks[0] is not None:
                    if nested:
                        state.extra = d - r0 - level + 2
                    hooks[0](visitor, node)
                if how == ONE:
                    if value is not None and value is not SENTINEL:
                        go(value, d + 3, level + 1)
                elif how == SEQ or how == SEQ_OR_NONE:
                    for child in value:
                        go(child, d + 4, level + 1)
                elif type(value) is not tuple and type(value) is not list:  # ONE_OR_SEQ: ImportStar
                    go(value, d + 3, level + 1)
                else:
                    for child in value:
                        go(child, d + 4, level + 1)
                if attr_hooks:
                    on_lattr(node, attr)
                elif hooks is not None and hooks[1] is not None:
                    if nested:
                        state.extra = d - r0 - level + 2
                    hooks[1](visitor, node)
        if nested:
            state.extra = d - r0 - level + (0 if on_leave is not None else 1)
        if on_leave is not None:
            on_leave(node)
        else:
            fn = entry[1]
            if fn is not None:
                fn(visitor, node)

    try:
        go(root, d0, 0)
    finally:
        if nested:
            state.extra = old_extra


def _fallback(node, visitor) -> None:
    visit = type(node).visit
    if visit is _patched_visit:
        visit = _original_visit
    visit(node, visitor)


# ------------------------------------------------------------------------------- batched


def walk_batched(root, visitors) -> None:
    """``libcst.visit_batched(root, visitors)`` without rebuilding the tree: every visitor's
    ``visit_*``/``leave_*`` methods (as its ``get_visitors()`` lists them, in the order of
    ``visitors``) for each node, children always visited."""
    methods: dict = {}
    for v in visitors:
        for name, fn in v.get_visitors().items():
            methods.setdefault(name, []).append(fn)
    if not _covered():
        from libcst import visit_batched

        visit_batched(root, visitors)
        return
    _run_batched(root, methods, _entry_depth(root, sys._getframe(1)) + 1)  # + libcst.visit_batched's frame


def _run_batched(root, methods: dict, d0: int) -> None:
    from libcst._batched_visitor import _BatchedCSTVisitor

    SENTINEL = (_LIBCST or _libcst())[1]

    specs = _SPECS
    dispatch: dict = {}
    limit = sys.getrecursionlimit()
    fallback = _BatchedCSTVisitor(methods)
    empty = ()

    def entry_of(node, kind, spec):
        name = kind.__name__
        attrs = {}
        for attr, _ in spec:
            va, la = methods.get(f"visit_{name}_{attr}", empty), methods.get(f"leave_{name}_{attr}", empty)
            if va or la:
                attrs[attr] = (va, la)
        visits, leaves = methods.get(f"visit_{name}", empty), methods.get(f"leave_{name}", empty)
        # _BatchedCSTVisitor's on_visit/on_leave, and the methods they call when there are any
        need = _need(node, spec, 1 + bool(visits), 1 + bool(leaves), 1 + bool(attrs))
        e = dispatch[kind] = (visits, leaves, attrs or None, need)
        return e

    # A hook here runs one frame above go(); in libcst two above the node's visit() (through
    # _BatchedCSTVisitor's on_* method). Setting ``_state.extra`` to that difference before the
    # hooks run lets a walk a hook starts (guards, analysis) know its depth without probing.
    state = _state
    old_extra = getattr(state, "extra", None)
    r0 = _real_depth(sys._getframe()) + 1  # the root go() frame

    def go(node, d, level):
        kind = type(node)
        spec = specs.get(kind, _MISSING)
        if spec is _MISSING:
            spec = _spec(kind)
        if spec is None:
            state.extra = d - r0 - level - 1
            _fallback(node, fallback)
            return
        entry = dispatch.get(kind)
        if entry is None:
            entry = entry_of(node, kind, spec)
        if d + entry[3] > limit:
            raise RecursionError("maximum recursion depth exceeded (in libcst's visit)")
        extra = d - r0 - level + 1
        if entry[0]:
            state.extra = extra
            for fn in entry[0]:
                fn(node)
        if spec:
            attrs = entry[2]
            for attr, how in spec:
                value = getattr(node, attr)
                hooks = attrs.get(attr) if attrs is not None else None
                if how == SEQ_OR_NONE and value is None:
                    continue
                if hooks is not None:
                    state.extra = extra
                    for fn in hooks[0]:
                        fn(node)
                if how == ONE:
                    if value is not None and value is not SENTINEL:
                        go(value, d + 3, level + 1)
                elif how == SEQ or how == SEQ_OR_NONE:
                    for child in value:
                        go(child, d + 4, level + 1)
                elif type(value) is not tuple and type(value) is not list:  # ONE_OR_SEQ: ImportStar
                    go(value, d + 3, level + 1)
                else:
                    for child in value:
                        go(child, d + 4, level + 1)
                if hooks is not None:
                    state.extra = extra
                    for fn in hooks[1]:
                        fn(node)
        if entry[1]:
            state.extra = extra
            for fn in entry[1]:
                fn(node)

    try:
        go(root, d0, 0)
    finally:
        state.extra = old_extra


# ------------------------------------------------------------------------------- CSTNode.visit


def _patched_visit(self, visitor):
    if _visitor_ok(type(visitor)):
        _run(self, visitor, _real_depth(sys._getframe()) + _offset())
        return self
    return _original_visit(self, visitor)


class fast_visits:
    """Within this context, ``CSTNode.visit`` walks without rebuilding for read-only
    ``CSTVisitor``s (any thread); restored when the last user leaves. A no-op when the table
    does not cover the installed libcst."""

    def __enter__(self):
        global _patch_users, _original_visit
        if not _covered():
            self.active = False
            return self
        from libcst import CSTNode

        with _patch_lock:
            if _patch_users == 0:
                _original_visit = CSTNode.__dict__["visit"]
                CSTNode.visit = _patched_visit
            _patch_users += 1
        self.active = True
        return self

    def __exit__(self, *exc):
        global _patch_users
        if not self.active:
            return False
        from libcst import CSTNode

        with _patch_lock:
            _patch_users -= 1
            if _patch_users == 0:
                CSTNode.visit = _original_visit
        return False
