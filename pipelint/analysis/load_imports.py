"""The import statements of a module and whether a failure of each one is handled.

A statement walk (no visitor, no metadata) for rules that judge imports from ``check()``: every
``import``/``from … import`` at any statement depth, with ``guarded`` True when it sits in a
``try:`` whose handlers catch ImportError without re-raising, in ``with suppress(ImportError):``,
under ``if TYPE_CHECKING:`` / ``if __name__ == "__main__":``, or in a ``sys.version_info``
branch that cannot run (``pipelint.analysis.guards``). Imports inside functions count as load
imports too (they fail when the function runs). ``name_guarded`` is the same question for a
missing *name* (``from cog import X`` where the module exists and lacks ``X``): that raises a
plain ImportError, which ``except ModuleNotFoundError:`` / ``suppress(ModuleNotFoundError)`` do
not catch.

API::

    from pipelint.analysis.load_imports import module_imports
    for imp in module_imports(module):
        imp.node, imp.module, imp.level, imp.names, imp.guarded, imp.name_guarded
"""

from __future__ import annotations

from pipelint.analysis.guards import (
    loop_body_never_runs,
    try_guards_imports,
    version_test,
    with_suppresses_import_error,
)
from pipelint.core.records import Record
from pipelint.model.imports import dotted


class ModuleImport(Record):
    node: object  # the node to report at: the alias name of ``import x``, the module of ``from x import``
    statement: object  # the cst.Import / cst.ImportFrom
    module: str  # the dotted module ("" for ``from . import x``)
    level: int  # leading dots
    names: tuple[str, ...]  # ``from m import a, b`` → ("a", "b"); ("*",) for a star; () for ``import m``
    guarded: bool  # a missing module (ModuleNotFoundError) does not fail the model
    name_guarded: bool  # a missing name in an existing module (plain ImportError) does not either

    def __init__(
        self,
        node: object,
        statement: object,
        module: str,
        level: int,
        names: tuple[str, ...],
        guarded: bool,
        name_guarded: bool = False,
    ) -> None:
        self.node = node
        self.statement = statement
        self.module = module
        self.level = level
        self.names = names
        self.guarded = guarded
        self.name_guarded = name_guarded


def _never_runs(test) -> bool:
    from pipelint.analysis.calls import is_main_guard

    return dotted(test).rpartition(".")[2] == "TYPE_CHECKING" or is_main_guard(test)


def module_imports(module) -> list[ModuleImport]:
    """Every import of ``module`` (empty when it does not parse). Cached in ``module.facts``."""
    if module is None or module.tree is None:
        return []
    cache = module.facts.setdefault("pipelint.analysis.load_imports", {})
    if "all" not in cache:
        out: list[ModuleImport] = []
        _walk(module.tree.body, (False, False), out, 0)
        cache["all"] = out
    return cache["all"]


def _walk(stmts, guarded: tuple[bool, bool], out: list, depth: int) -> None:
    """``guarded``: (a missing module is handled, a missing name is handled) at this point."""
    import libcst as cst

    if depth > 50:
        return
    for stmt in stmts:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                _add(small, guarded, out)
        elif isinstance(stmt, (cst.Try, cst.TryStar)):
            _walk(_body(stmt.body), _either(guarded, try_guards_imports(stmt), try_guards_imports(stmt, True)),
                  out, depth + 1)
            for h in stmt.handlers:
                _walk(_body(h.body), guarded, out, depth + 1)
            for part in (stmt.orelse, stmt.finalbody):
                if part is not None:
                    _walk(_body(part.body), guarded, out, depth + 1)
        elif isinstance(stmt, cst.With):
            _walk(_body(stmt.body), _either(guarded, with_suppresses_import_error(stmt),
                                            with_suppresses_import_error(stmt, True)), out, depth + 1)
        elif isinstance(stmt, cst.If):
            _walk_if(stmt, guarded, out, depth)
        elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef, cst.For, cst.While)):
            never = loop_body_never_runs(stmt)
            _walk(_body(stmt.body), _either(guarded, never, never), out, depth + 1)
            orelse = getattr(stmt, "orelse", None)
            if orelse is not None:
                _walk(_body(orelse.body), guarded, out, depth + 1)
        elif isinstance(stmt, cst.Match):
            for case in stmt.cases:
                _walk(_body(case.body), guarded, out, depth + 1)


def _either(guarded: tuple[bool, bool], module: bool, name: bool) -> tuple[bool, bool]:
    return guarded[0] or module, guarded[1] or name


def _walk_if(stmt, guarded: tuple[bool, bool], out: list, depth: int) -> None:
    import libcst as cst

    if _never_runs(stmt.test):
        _walk(_body(stmt.body), (True, True), out, depth + 1)
        rest_guard = guarded
    else:
        value = version_test(stmt.test)
        _walk(_body(stmt.body), _either(guarded, value is False, value is False), out, depth + 1)
        rest_guard = _either(guarded, value is True, value is True)
    rest = stmt.orelse
    if isinstance(rest, cst.If):
        _walk_if(rest, rest_guard, out, depth + 1)
    elif rest is not None:
        _walk(_body(rest.body), rest_guard, out, depth + 1)


def _body(block):
    import libcst as cst

    if isinstance(block, cst.IndentedBlock):
        return block.body
    if isinstance(block, cst.SimpleStatementSuite):
        return [cst.SimpleStatementLine(body=block.body)]
    return []


def _add(small, guarded: tuple[bool, bool], out: list) -> None:
    import libcst as cst

    if isinstance(small, cst.Import):
        for alias in small.names:
            out.append(ModuleImport(alias.name, small, dotted(alias.name), 0, (), *guarded))
    elif isinstance(small, cst.ImportFrom):
        level = len(small.relative)
        names = ("*",) if isinstance(small.names, cst.ImportStar) else tuple(dotted(a.name) for a in small.names)
        where = small.module if small.module is not None else small
        out.append(ModuleImport(where, small, dotted(small.module) if small.module is not None else "", level,
                                names, *guarded))
