"""Which import statements can fail without failing the model, and which never run on the runtime.

* ``try: … except ImportError:`` guards its body only when the handler that catches the
  ImportError does not raise (a handler that re-raises, raises anything else, or exits with
  ``sys.exit()``/``exit()``/``os._exit()``, lets the model fail all the same);
* a missing *module* raises ModuleNotFoundError, a missing *name* (``from cog import X`` where
  ``cog`` lacks ``X``) a plain ImportError, which ``except ModuleNotFoundError:`` does not catch
  (``missing_name=True`` asks about the latter);
* ``with contextlib.suppress(ImportError):`` (any spelling ending in ``suppress``, a tuple of
  exception types included) guards its body;
* a ``sys.version_info`` comparison with a literal (chained ones too: ``(3, 8) <= sys.version_info
  < (3, 13)``) is evaluated for the runtime's Python (3.13, any micro release), ``TYPE_CHECKING``
  is False and ``True``/``False``/``None``/integer literals are themselves, with ``not``/``and``/
  ``or`` around them: a branch that is false there never runs, and neither does the ``else`` of one
  that is true; nor does the body of ``while <false>:`` or ``for … in ():``.

Checked against Python 3.13 running generated modules: tests/differential/test_coglet_guards.py.

All static: the test is read, never evaluated by Python.
"""

from __future__ import annotations

from pipelint.model.imports import dotted
from pipelint.model.literals import evaluated

# What an ImportError handler catches: these let an import fail without failing the model.
IMPORT_ERROR_CATCHERS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
# What catches the plain ImportError of a name a module lacks (ModuleNotFoundError is a subclass).
NAME_ERROR_CATCHERS = IMPORT_ERROR_CATCHERS - {"ModuleNotFoundError"}
# Calls that end the process from a handler: the model fails to load as surely as with ``raise``.
EXITS = {"sys.exit", "exit", "quit", "os._exit", "_exit", "os.abort"}
RUNTIME_PYTHON = (3, 13)
_MICRO_EXTREMES = (0, 99)  # version_info.micro is unknown: a verdict must hold for every micro


def catches_import_error(handler_type, missing_name: bool = False) -> bool:
    """The ``except`` type catches the ModuleNotFoundError of a missing module (``missing_name``:
    the ImportError of a missing name)."""
    import libcst as cst

    if handler_type is None:
        return True  # a bare `except:`
    if isinstance(handler_type, cst.Tuple):
        return any(catches_import_error(el.value, missing_name) for el in handler_type.elements)
    catchers = NAME_ERROR_CATCHERS if missing_name else IMPORT_ERROR_CATCHERS
    return dotted(handler_type).rpartition(".")[2] in catchers


def raises(block) -> bool:
    """A ``raise``, or a call that ends the process (``sys.exit()``, ``exit()``, ``os._exit()``),
    anywhere in ``block`` (outside nested functions and classes)."""
    import libcst as cst

    found = False

    class Finder(cst.CSTVisitor):
        def visit_Raise(self, node) -> bool:
            nonlocal found
            found = True
            return False

        def visit_Call(self, node) -> bool:
            nonlocal found
            if dotted(node.func) in EXITS:
                found = True
            return not found

        def visit_FunctionDef(self, node) -> bool:
            return False

        def visit_ClassDef(self, node) -> bool:
            return False

        def visit_Lambda(self, node) -> bool:
            return False

    from pipelint.model.walk import walk  # libcst's visit, without rebuilding the tree
    walk(block, Finder())
    return found


def try_guards_imports(try_node, missing_name: bool = False) -> bool:
    """The handler an ImportError reaches (the first that catches it) swallows it (``missing_name``:
    the ImportError of a missing name, which ``except ModuleNotFoundError:`` lets through)."""
    for handler in try_node.handlers:
        if catches_import_error(handler.type, missing_name):
            return not raises(handler.body)
    return False


def with_suppresses_import_error(with_node, missing_name: bool = False) -> bool:
    """``with contextlib.suppress(ImportError, …):`` (or ``suppress`` imported from contextlib)."""
    import libcst as cst

    for item in with_node.items:
        call = item.item
        if isinstance(call, cst.Call) and dotted(call.func).rpartition(".")[2] == "suppress" \
                and any(a.keyword is None and not a.star and catches_import_error(a.value, missing_name)
                        for a in call.args):
            return True
    return False


def loop_body_never_runs(loop) -> bool:
    """``while <false>:`` (a test ``version_test`` calls False) or ``for … in ()`` / ``in []``."""
    import libcst as cst

    if isinstance(loop, cst.While):
        return version_test(loop.test) is False
    if isinstance(loop, (cst.For,)):
        return isinstance(loop.iter, (cst.Tuple, cst.List)) and not loop.iter.elements
    return False


def version_test(test) -> bool | None:
    """The value of an ``if`` test on the runtime's Python: a ``sys.version_info`` comparison,
    ``TYPE_CHECKING``, a literal, and ``not``/``and``/``or`` of them; None when it is not one
    pipelint can evaluate (or its value depends on the micro release)."""
    values = {_evaluate(test, (*RUNTIME_PYTHON, micro, "final", 0)) for micro in _MICRO_EXTREMES}
    return values.pop() if len(values) == 1 else None


def _evaluate(node, version):
    import libcst as cst

    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
        inner = _evaluate(node.expression, version)
        return None if inner is None else not inner
    if isinstance(node, cst.BooleanOperation):
        left, right = _evaluate(node.left, version), _evaluate(node.right, version)
        if isinstance(node.operator, cst.And):
            return False if False in (left, right) else (None if None in (left, right) else True)
        return True if True in (left, right) else (None if None in (left, right) else False)
    if isinstance(node, cst.Comparison):
        # a < b < c is a < b and b < c: False as soon as one is False, None if one is unknown
        left, verdict = _operand(node.left, version), True
        for target in node.comparisons:
            right = _operand(target.comparator, version)
            compare = _COMPARE.get(type(target.operator).__name__)
            if left is None or right is None or type(left) is not type(right) or compare is None:
                verdict = None
            elif not compare(left, right):
                return False
            left = right
        return verdict
    if isinstance(node, cst.Name):
        if node.value in ("True", "False", "None"):
            return node.value == "True"
    if isinstance(node, (cst.Name, cst.Attribute)) and dotted(node).rpartition(".")[2] == "TYPE_CHECKING":
        return False
    if isinstance(node, cst.Integer):
        return bool(int(evaluated(node)))
    return None


_COMPARE = {"LessThan": lambda a, b: a < b, "LessThanEqual": lambda a, b: a <= b,
            "GreaterThan": lambda a, b: a > b, "GreaterThanEqual": lambda a, b: a >= b,
            "Equal": lambda a, b: a == b, "NotEqual": lambda a, b: a != b}


def _operand(node, version):
    """A literal int or tuple of ints, or ``sys.version_info`` / ``[i]`` / ``[:n]`` / ``.major``/``.minor``."""
    import libcst as cst

    if isinstance(node, cst.Integer):
        return int(evaluated(node))
    if isinstance(node, cst.Tuple):
        items = [_operand(e.value, version) for e in node.elements]
        return tuple(items) if items and all(isinstance(i, int) for i in items) else None
    if _is_version_info(node):
        return tuple(version[:3])
    if isinstance(node, cst.Attribute) and _is_version_info(node.value):
        index = {"major": 0, "minor": 1, "micro": 2}.get(node.attr.value)
        return version[index] if index is not None else None
    if isinstance(node, cst.Subscript) and _is_version_info(node.value) and len(node.slice) == 1:
        part = node.slice[0].slice
        if isinstance(part, cst.Index) and isinstance(part.value, cst.Integer):
            i = int(evaluated(part.value))
            return version[i] if 0 <= i < 3 else None
        if isinstance(part, cst.Slice) and part.lower is None and part.step is None \
                and isinstance(part.upper, cst.Integer):
            return tuple(version[: min(int(evaluated(part.upper)), 3)])
    return None


def _is_version_info(node) -> bool:
    name = dotted(node)
    return name in ("sys.version_info", "version_info")
