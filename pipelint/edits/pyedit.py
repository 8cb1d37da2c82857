"""Minimal text edits to Python modules, for fixes: imports and renames.

Fixes edit the file's text in place (never regenerate a module), so everything here returns
``Edit``s positioned with the module's position metadata.

The main entry point is ``ensure_import(module, "typing", "Optional")``: it returns the
expression to write (``Optional``, ``t.Optional`` when the file has ``import typing as t``, or
an alias when the plain name is taken) and the edit that makes it importable, if one is needed:
it extends an existing ``from typing import …`` or adds a statement, in either case where isort
(ruff's ``I001`` with its defaults) puts it, so a file whose imports were sorted stays sorted
(see "where isort puts a new import" below).
"""

from __future__ import annotations

from pipelint.core.diagnostics import Edit, Position
from pipelint.core.records import Record


class ImportPlan(Record, frozen=True):
    name: str  # what to write in the code to refer to the object
    edit: Edit | None  # the import to add; None when the object is already importable
    adds_line: bool  # the edit inserts a new import statement (rather than extending one)

    def __init__(self, name: str, edit: Edit | None, adds_line: bool = False) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "edit", edit)
        object.__setattr__(self, "adds_line", adds_line)

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
    asname = None if local == name else local
    if asname is None:
        merged = _merge_into_existing(module, from_module, name)
        if merged is not None:
            return ImportPlan(local, merged)
    return ImportPlan(local, insert_import(module, from_module, name, asname), adds_line=True)


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


# ---- where isort puts a new import ------------------------------------------------------------
# A fix's import goes where ruff's `I001` (isort, default settings) would put it, so a file that
# passed `ruff check --select I` still does: sections future, standard library, third-party,
# first-party (the model folder's own modules), local folder (relative imports), one blank line
# between them; in a section `import x` before `from x import y`, each sorted case-insensitively
# in natural order; `from x import a as b` on a line of its own (`combine-as-imports = false`);
# names in a `from` import sorted constants, classes, then the rest (`order-by-type`).
# The user's own imports are never re-sorted.

FUTURE, STDLIB, THIRD_PARTY, FIRST_PARTY, LOCAL_FOLDER = range(5)
LINE_LENGTH = 88  # ruff's default: a longer `from` line is wrapped, one name a line


def import_section(module, top: str, level: int = 0) -> int:
    """The isort section of an import of top-level module ``top`` (``level`` dots) in ``module``."""
    from pipelint.model.runtime import stdlib_modules

    if level:
        return LOCAL_FOLDER
    if top == "__future__":
        return FUTURE
    if top in stdlib_modules():
        return STDLIB
    local = module.facts.get("pipelint.model.project.local_modules")
    if local is not None and top in local():
        return FIRST_PARTY
    return THIRD_PARTY


def _natural(text: str) -> tuple:
    """Natural order (``a2`` before ``a10``), comparing other characters by code point."""
    import re

    return tuple((0x30, int(t)) if t[0] in "0123456789" else (ord(t), 0)
                 for t in re.findall(r"[0-9]+|.", text, re.S))


def member_key(name: str, asname: str | None = None) -> tuple:
    """The order of a name inside ``from x import …``: constants, classes, then the rest."""
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    return kind, _natural(name.lower()), name, asname or ""


def _from_key(section: int, module_name: str, first: tuple) -> tuple:
    return section, 1, _natural(module_name.lower()), module_name, first


def _statement_key(module, small) -> tuple:
    import libcst as cst

    if isinstance(small, cst.Import):
        alias = small.names[0]
        name = _dotted(alias.name)
        asname = alias.evaluated_alias or ""
        return import_section(module, name.split(".")[0]), 0, _natural(name.lower()), name, asname
    level = len(small.relative)
    name = _dotted(small.module) if small.module is not None else ""
    section = import_section(module, name.split(".")[0], level)
    if section == LOCAL_FOLDER:
        return (section,)
    if isinstance(small.names, cst.ImportStar):
        first = (-1,)
    else:
        first = min(member_key(_dotted(a.name), a.evaluated_alias) for a in small.names)
    return _from_key(section, name, first)


def _first_import_block(module):
    """The top-level statements of the module's first run of imports, or None when it has none
    before its first ``def``/``class``/compound statement (an import added there would come after
    code that may need it)."""
    import libcst as cst

    body = list(module.tree.body)
    i = 1 if body and _is_docstring(body[0]) else 0
    while i < len(body) and not _is_import(body[i]):
        if not isinstance(body[i], cst.SimpleStatementLine):
            return None
        i += 1
    j = i
    while j < len(body) and _is_import(body[j]):
        j += 1
    return body[i:j] or None


def _comment_start(module, stmt) -> int:
    """The first line of ``stmt`` with the comment lines right above it (isort keeps them on it)."""
    start, _ = module.range(stmt)
    n = 0
    for line in reversed(list(getattr(stmt, "leading_lines", ()))):
        if line.comment is None:
            break
        n += 1
    return start.line - n


def _line_after(module, stmt, text: str) -> Edit:
    from pipelint.core.source import line_offsets

    _, end = module.range(stmt)
    source = module.source.text or ""
    if end.line + 1 <= len(line_offsets(source)):
        return Edit(module.source.path, Position(end.line + 1, 1), Position(end.line + 1, 1), text)
    at = _end_position(source)
    prefix = "" if not source or source.endswith(("\n", "\r")) else "\n"
    return Edit(module.source.path, at, at, prefix + text)


def insert_import(module, from_module: str, name: str, asname: str | None = None) -> Edit:
    """An edit adding ``from from_module import name [as asname]`` as its own statement, where isort
    puts it among the module's imports (a section of its own, blank lines around, when it is the first
    of its section)."""
    line = f"from {from_module} import {name}" + (f" as {asname}" if asname else "")
    block = _first_import_block(module)
    if block is None:
        return _insert_first_import(module, line)
    key = _from_key(import_section(module, from_module.split(".")[0]), from_module, member_key(name, asname))
    keyed = [(stmt, _statement_key(module, stmt.body[0])) for stmt in block]
    at = next((i for i, (_, k) in enumerate(keyed) if k > key), len(keyed))
    prev = keyed[at - 1] if at > 0 else None
    nxt = keyed[at] if at < len(keyed) else None
    path = module.source.path
    section = key[0]
    if prev is not None and prev[1][0] == section:
        return _line_after(module, prev[0], line + "\n")
    if nxt is not None and nxt[1][0] == section:
        where = Position(_comment_start(module, nxt[0]), 1)
        return Edit(path, where, where, line + "\n")
    if prev is not None:
        return _line_after(module, prev[0], "\n" + line + "\n")
    where = Position(_comment_start(module, nxt[0]), 1)
    return Edit(path, where, where, line + "\n\n")


def _blank_lines_before(stmt) -> int:
    """The blank lines isort leaves between an import block and ``stmt``: two before a ``def`` or
    ``class`` (decorated or not), one before anything else."""
    import libcst as cst

    return 2 if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)) else 1


def _insert_first_import(module, line: str) -> Edit:
    """An edit adding the module's first import (or one above its code): after the docstring, with the
    blank lines isort wants around an import block."""
    body = list(module.tree.body)
    path = module.source.path
    text = module.source.text or ""
    if not body:
        at = _end_position(text)
        prefix = "" if not text or text.endswith(("\n", "\r")) else "\n"
        return Edit(path, at, at, prefix + line + "\n")
    if not _is_docstring(body[0]):
        start, _ = module.range(body[0])
        where = Position(start.line, 1)
        return Edit(path, where, where, line + "\n" + "\n" * _blank_lines_before(body[0]))
    _, end = module.range(body[0])
    lines = text.splitlines(keepends=True)
    first = end.line + 1  # 1-based: the line after the docstring
    if first > len(lines) or not lines[end.line - 1].endswith(("\n", "\r")):
        at = _end_position(text)
        prefix = "" if text.endswith(("\n", "\r")) else "\n"
        return Edit(path, at, at, prefix + "\n" + line + "\n")
    last = first
    while last <= len(lines) and not lines[last - 1].strip():
        last += 1
    after = "\n" * _blank_lines_before(body[1]) if len(body) > 1 else ""
    if last > len(lines):  # nothing but blank lines after the docstring
        after = ""
    return Edit(path, Position(first, 1), Position(last, 1), "\n" + line + "\n" + after)


def _merge_into_existing(module, from_module: str, name: str) -> Edit | None:
    """An edit adding ``name`` to an existing top-level ``from from_module import …`` of plain names,
    in isort's place among them and keeping its style (one line, or one name a line in parentheses),
    or None when there is none."""
    import libcst as cst

    for stmt, imp in top_level_imports(module):
        if (isinstance(imp, cst.ImportFrom) and not imp.relative and _dotted(imp.module) == from_module
                and not isinstance(imp.names, cst.ImportStar) and len(stmt.body) == 1
                and all(a.asname is None for a in imp.names)):
            return _add_member(module, stmt, imp, name)
    return None


def _add_member(module, stmt, imp, name: str) -> Edit:
    import libcst as cst

    path = module.source.path
    names = list(imp.names)
    key = member_key(name)
    idx = next((i for i, a in enumerate(names) if member_key(_dotted(a.name)) > key), len(names))
    starts = [module.range(a)[0] for a in names]
    stmt_start, stmt_end = module.range(stmt)
    vertical = (imp.lpar is not None and starts[0].line > stmt_start.line
                and len({p.line for p in starts}) == len(starts))
    if vertical:
        indent = " " * (starts[0].column - 1)
        if idx < len(names):
            where = Position(starts[idx].line, 1)
            return Edit(path, where, where, f"{indent}{name},\n")
        last = names[-1]
        _, last_end = module.range(last)
        if isinstance(last.comma, cst.Comma):
            where = Position(last_end.line + 1, 1)
            return Edit(path, where, where, f"{indent}{name},\n")
        return Edit(path, last_end, last_end, f",\n{indent}{name}")
    if idx < len(names):
        edit = Edit(path, starts[idx], starts[idx], f"{name}, ")
    else:
        _, end = module.range(names[-1])
        edit = Edit(path, end, end, f", {name}")
    if stmt_start.line == stmt_end.line and imp.lpar is None:
        wrapped = _wrapped(module, stmt, imp, names, idx, name)
        if wrapped is not None:
            return wrapped
    return edit


def _wrapped(module, stmt, imp, names, idx: int, name: str) -> Edit | None:
    """The statement rewritten one name a line in parentheses, as isort writes a ``from`` import
    longer than the line length, when adding ``name`` makes it so; else None."""
    start, _ = module.range(stmt)
    lines = (module.source.text or "").splitlines()
    text = lines[start.line - 1]
    if len(text) + len(name) + 2 <= LINE_LENGTH:
        return None
    _, imp_end = module.range(imp)
    rest = text[imp_end.column - 1:].strip()
    if rest and not rest.startswith("#"):
        return None  # something else shares the line
    members = [_dotted(a.name) for a in names]
    members.insert(idx, name)
    head = text[:start.column - 1] + f"from {_dotted(imp.module)} import ("
    new = head + (f"  {rest}" if rest else "") + "\n" + "".join(f"    {m},\n" for m in members) + ")"
    return Edit(module.source.path, Position(start.line, 1), Position(start.line, len(text) + 1), new)


def sorts_in_place(module, stmt, from_module: str, name: str, asname: str | None = None) -> bool:
    """Would ``from from_module import name [as asname]``, written instead of the top-level import
    statement ``stmt``, stand where isort puts it (in the same section, between its neighbours)?"""
    block = _first_import_block(module) or []
    if stmt not in block:
        return False
    key = _from_key(import_section(module, from_module.split(".")[0]), from_module, member_key(name, asname))
    i = block.index(stmt)
    if _statement_key(module, stmt.body[0])[0] != key[0]:
        return False
    if i > 0 and _statement_key(module, block[i - 1].body[0]) > key:
        return False
    return not (i + 1 < len(block) and _statement_key(module, block[i + 1].body[0]) < key)
