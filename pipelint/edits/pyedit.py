"""Minimal text edits to Python modules, for fixes: imports and renames.

Fixes edit the file's text in place (never regenerate a module), so everything here returns
``Edit``s positioned with the module's position metadata.

The main entry point is ``ensure_import(module, "typing", "Optional")``: it returns the
expression to write (``Optional``, ``t.Optional`` when the file has ``import typing as t``, or
an alias when the plain name is taken) and the edit that makes it importable, if one is needed
(it extends an existing ``from typing import …`` or adds a line after the module docstring and
``__future__`` imports).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelint.core.diagnostics import Edit, Position


@dataclass(frozen=True)
class ImportPlan:
    name: str  # what to write in the code to refer to the object
    edit: Edit | None  # the import to add; None when the object is already importable
    adds_line: bool = False  # the edit inserts a new import statement (rather than extending one)

    @property
    def edits(self) -> tuple[Edit, ...]:
        return (self.edit,) if self.edit is not None else ()


def _dotted(node) -> str:
    from pipelint.model.imports import dotted

    return dotted(node)


def top_level_imports(module):
    """(statement line, Import/ImportFrom) for the imports directly in the module body, in order.

    Imports under ``if``/``try`` are left out: they may not run (``if TYPE_CHECKING:``).
    """
    import libcst as cst

    out = []
    for stmt in module.tree.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    out.append((stmt, small))
    return out


def find_import(module, from_module: str, name: str) -> str | None:
    """The expression that names ``from_module.name`` through an existing top-level import, or None."""
    import libcst as cst

    via_module = None
    for _, imp in top_level_imports(module):
        if isinstance(imp, cst.ImportFrom):
            if imp.relative or _dotted(imp.module) != from_module:
                continue
            if isinstance(imp.names, cst.ImportStar):
                return name
            for alias in imp.names:
                if _dotted(alias.name) == name:
                    return alias.evaluated_alias or name
        else:
            for alias in imp.names:
                if _dotted(alias.name) == from_module and via_module is None:
                    via_module = f"{alias.evaluated_alias or from_module}.{name}"
    return via_module


def ensure_import(module, from_module: str, name: str, *, avoid=(), free=()) -> ImportPlan:
    """Make ``from_module.name`` usable in ``module``: the local spelling to use and the edit, if any.

    ``avoid``: local names that must not be used for it (a name the same fix binds to something else).
    ``free``: bound names the same fix unbinds (an import it removes), so they may be reused.
    """
    import libcst as cst

    from pipelint.model.imports import top_level_bindings

    existing = find_import(module, from_module, name)
    if existing is not None and existing.split(".")[0] not in avoid:
        return ImportPlan(existing, None)
    same = _bound_to(module, from_module, name)
    bound = (top_level_bindings(module.tree) - set(free) - same) | set(avoid)
    local = name
    if local in bound:
        head = from_module.split(".")[0]
        local = f"{head[:1].upper()}{head[1:]}{name}"
        n = 2
        while local in bound:
            local = f"{head[:1].upper()}{head[1:]}{name}{n}"
            n += 1
    spelt = name if local == name else f"{name} as {local}"
    for stmt, imp in top_level_imports(module):
        if (isinstance(imp, cst.ImportFrom) and not imp.relative and _dotted(imp.module) == from_module
                and not isinstance(imp.names, cst.ImportStar) and len(stmt.body) == 1):
            _, end = module.range(imp.names[-1])
            return ImportPlan(local, Edit(module.source.path, end, end, f", {spelt}"))
    return ImportPlan(local, insert_statement(module, f"from {from_module} import {spelt}"), adds_line=True)


def _bound_to(module, from_module: str, name: str) -> set[str]:
    """``{name}`` when every module-level binding of ``name`` imports the very same object (say under
    ``if TYPE_CHECKING:``): importing it again unconditionally rebinds nothing else."""
    import libcst as cst

    scope = module.metadata("scope").get(module.tree)
    if scope is None or not scope.assignments[name]:
        return set()
    for a in scope.assignments[name]:
        node = getattr(a, "node", None)
        if not (isinstance(node, cst.ImportFrom) and not node.relative and _dotted(node.module) == from_module
                and not isinstance(node.names, cst.ImportStar)
                and any(_dotted(x.name) == name and x.asname is None for x in node.names)):
            return set()
    return {name}


def insert_statement(module, line: str) -> Edit:
    """An edit adding ``line`` as a top-level statement: after the docstring, the ``__future__`` imports
    and the imports that open the module."""
    from pipelint.core.source import line_offsets

    body = list(module.tree.body)
    i = 0
    if body and _is_docstring(body[0]):
        i = 1
    while i < len(body) and _is_future_import(body[i]):
        i += 1
    while i < len(body) and _is_import(body[i]):
        i += 1
    path = module.source.path
    if i == 0 and body:
        start, _ = module.range(body[0])
        return Edit(path, Position(start.line, 1), Position(start.line, 1), line + "\n")
    text = module.source.text or ""
    if i > 0:
        _, end = module.range(body[i - 1])
        if end.line + 1 <= len(line_offsets(text)):
            return Edit(path, Position(end.line + 1, 1), Position(end.line + 1, 1), line + "\n")
    end = _end_position(text)
    prefix = "" if not text or text.endswith(("\n", "\r")) else "\n"
    return Edit(path, end, end, prefix + line + "\n")


def _end_position(text: str) -> Position:
    from pipelint.core.source import line_offsets

    starts = line_offsets(text)
    return Position(len(starts), len(text) - starts[-1] + 1)


def _is_docstring(stmt) -> bool:
    import libcst as cst

    return (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Expr)
            and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))


def _is_import(stmt) -> bool:
    import libcst as cst

    return (isinstance(stmt, cst.SimpleStatementLine) and bool(stmt.body)
            and all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body))


def _is_future_import(stmt) -> bool:
    import libcst as cst

    return (isinstance(stmt, cst.SimpleStatementLine) and bool(stmt.body)
            and all(isinstance(s, cst.ImportFrom) and _dotted(s.module) == "__future__" and not s.relative
                    for s in stmt.body))


def remove_import_alias(module, stmt, imp, alias) -> Edit | None:
    """An edit removing one name from an import (the whole line when it is the only name), or None
    when the statement shares its line with others."""
    import libcst as cst

    path = module.source.path
    names = imp.names if not isinstance(imp.names, cst.ImportStar) else ()
    if len(names) <= 1:
        if len(stmt.body) != 1:
            return None
        return delete_lines(module, stmt)
    idx = next(i for i, a in enumerate(names) if a is alias)
    if idx < len(names) - 1:
        start, _ = module.range(alias)
        nxt, _ = module.range(names[idx + 1])
        return Edit(path, start, nxt, "")
    _, prev_end = module.range(names[idx - 1])
    _, end = module.range(alias)
    return Edit(path, prev_end, end, "")


def delete_lines(module, stmt) -> Edit:
    """Delete a whole statement line (with its newline), and the blank lines it leaves doubled: those after
    it when it opens the file, or one when it sat between blank lines."""
    start, end = module.range(stmt)
    lines = (module.source.text or "").splitlines()

    def blank(n: int) -> bool:  # 1-based
        return 1 <= n <= len(lines) and not lines[n - 1].strip()

    last = end.line
    if start.line == 1:
        while blank(last + 1):
            last += 1
    elif blank(start.line - 1) and blank(last + 1):
        last += 1
    return Edit(module.source.path, Position(start.line, 1), Position(last + 1, 1), "")


def module_level_uses(module, resolver, name: str, binding) -> list:
    """Every place in ``module`` that reads the module-level ``name`` bound by ``binding`` (a ClassDef, an
    Import/ImportFrom …): Name nodes, and string annotations that mention it (as the string node).

    Forward references count (libcst links them to no assignment); uses where a nearer scope rebinds
    the name do not.
    """
    out = []
    seen = set()
    for scope in {s for s in module.metadata("scope").values() if s is not None}:
        for access in scope.accesses[name]:
            if id(access.node) in seen:
                continue
            if _resolves_to(access.scope, name, binding):
                seen.add(id(access.node))
                out.append(access.node)
    return out


def _resolves_to(scope, name: str, binding) -> bool:
    from libcst.metadata import ClassScope, GlobalScope

    s, first = scope, True
    while s is not None and not isinstance(s, GlobalScope):
        # a class body's names are not visible in the functions nested in it
        if (first or not isinstance(s, ClassScope)) and s.assignments[name]:
            return False
        s, first = s.parent, False
    if s is None:
        return False
    return any(a.node is binding for a in s.assignments[name])


def rename_edits(module, nodes, old: str, new: str) -> list[Edit]:
    """Edits renaming ``old`` to ``new`` at each use: Name nodes, and the word inside string annotations."""
    import re

    import libcst as cst

    edits = []
    word = re.compile(rf"(?<![\w.]){re.escape(old)}(?!\w)")
    for node in nodes:
        if isinstance(node, cst.Name):
            edits.append(_edit(module, node, new))
        elif isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            code = module.code_for(node)
            replaced = word.sub(new, code)
            if replaced != code:
                edits.append(_edit(module, node, replaced))
    return edits


def _edit(module, node, text: str) -> Edit:
    start, end = module.range(node)
    return Edit(module.source.path, start, end, text)
