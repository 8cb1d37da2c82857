"""Which import statements can fail without failing the model, and which never run on the runtime.

* ``try: … except ImportError:`` guards its body only when the handler that catches the
  ImportError does not raise (a handler that re-raises, or raises anything else, lets the
  model fail all the same);
* ``with contextlib.suppress(ImportError):`` (any spelling ending in ``suppress``, a tuple of
  exception types included) guards its body;
* a ``sys.version_info`` comparison with a literal is evaluated for the runtime's Python
  (3.13, any micro release): a branch that is false there never runs, and neither does the
  ``else`` of one that is true.

All static: the test is read, never evaluated by Python.
"""

from __future__ import annotations

from pipelint.model.imports import dotted

# What an ImportError handler catches: these let an import fail without failing the model.
IMPORT_ERROR_CATCHERS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
RUNTIME_PYTHON = (3, 13)
_MICRO_EXTREMES = (0, 99)  # version_info.micro is unknown: a verdict must hold for every micro


def catches_import_error(handler_type) -> bool:
    import libcst as cst

    if handler_type is None:
        return True  # a bare `except:`
    if isinstance(handler_type, cst.Tuple):
        return any(catches_import_error(el.value) for el in handler_type.elements)
    return dotted(handler_type).rpartition(".")[2] in IMPORT_ERROR_CATCHERS


def raises(block) -> bool:
    """A ``raise`` anywhere in ``block`` (outside nested functions and classes)."""
    import libcst as cst

    found = False

    class Finder(cst.CSTVisitor):
        def visit_Raise(self, node) -> bool:
            nonlocal found
            found = True
            return False

        def visit_FunctionDef(self, node) -> bool:
            return False

        def visit_ClassDef(self, node) -> bool:
            return False

        def visit_Lambda(self, node) -> bool:
            return False

    from pipelint.model.walk import walk  # libcst's visit, without rebuilding the tree
    walk(block, Finder())
    return found


def try_guards_imports(try_node) -> bool:
    """The handler an ImportError reaches (the first that catches it) swallows it."""
    for handler in try_node.handlers:
        if catches_import_error(handler.type):
            return not raises(handler.body)
    return False


def with_suppresses_import_error(with_node) -> bool:
    """``with contextlib.suppress(ImportError, …):`` (or ``suppress`` imported from contextlib)."""
    import libcst as cst

    for item in with_node.items:
        call = item.item
        if isinstance(call, cst.Call) and dotted(call.func).rpartition(".")[2] == "suppress" \
                and any(a.keyword is None and not a.star and catches_import_error(a.value) for a in call.args):
            return True
    return False


def version_test(test) -> bool | None:
    """The value of a ``sys.version_info`` test on the runtime's Python, or None when it is not
    one pipelint can evaluate (or its value depends on the micro release)."""
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
    if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
        left, right = _operand(node.left, version), _operand(node.comparisons[0].comparator, version)
        if left is None or right is None or type(left) is not type(right):
            return None
        op = type(node.comparisons[0].operator).__name__
        compare = {"LessThan": lambda a, b: a < b, "LessThanEqual": lambda a, b: a <= b,
                   "GreaterThan": lambda a, b: a > b, "GreaterThanEqual": lambda a, b: a >= b,
                   "Equal": lambda a, b: a == b, "NotEqual": lambda a, b: a != b}.get(op)
        return compare(left, right) if compare is not None else None
    return None


def _operand(node, version):
    """A literal int or tuple of ints, or ``sys.version_info`` / ``[i]`` / ``[:n]`` / ``.major``/``.minor``."""
    import libcst as cst

    if isinstance(node, cst.Integer):
        return int(node.evaluated_value)
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
            i = int(part.value.evaluated_value)
            return version[i] if 0 <= i < 3 else None
        if isinstance(part, cst.Slice) and part.lower is None and part.step is None \
                and isinstance(part.upper, cst.Integer):
            return tuple(version[: min(int(part.upper.evaluated_value), 3)])
    return None


def _is_version_info(node) -> bool:
    name = dotted(node)
    return name in ("sys.version_info", "version_info")
