"""Static import facts shared by the project model and the rules: no code is ever imported."""

from __future__ import annotations

from pathlib import Path

from pipelint.core.records import Record


class ImportRef(Record):
    node: object  # the cst.Import / cst.ImportFrom / cst.Call statement or expression
    module: str  # absolute dotted name ("" for a bare relative import)
    level: int  # number of leading dots
    names: tuple[str, ...]  # names imported by ``from m import a, b`` ("*" for star)

    def __init__(self, node: object, module: str, level: int, names: tuple[str, ...]) -> None:
        self.node = node
        self.module = module
        self.level = level
        self.names = names


def _dotted(node) -> str:
    import libcst as cst

    if node is None:
        return ""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr.value}" if base else ""
    return ""


# `a.b.c` for a Name/Attribute chain ("" when it is not one): the one copy, for rules and helpers.
dotted = _dotted


def import_refs(tree) -> list[ImportRef]:
    """Every import statement anywhere in ``tree``."""
    import libcst as cst

    refs: list[ImportRef] = []
    for node in small_statements(tree):
        if isinstance(node, cst.Import):
            for alias in node.names:
                refs.append(ImportRef(node, _dotted(alias.name), 0, ()))
        elif isinstance(node, cst.ImportFrom):
            names = ("*",) if isinstance(node.names, cst.ImportStar) else tuple(_dotted(a.name) for a in node.names)
            refs.append(ImportRef(node, _dotted(node.module), len(node.relative), names))
    return refs


# Where statements nest: suites of compound statements and their else/except/finally/case parts.
_BLOCK_FIELDS = ("body", "orelse", "handlers", "finalbody", "cases")


def small_statements(tree):
    """Every small statement (import, assignment, return, …) at any depth, in source order.

    Only statement blocks are entered, never expressions (no statement can be inside one):
    on a 2,000-line module this is ~20× cheaper than a full visitor traversal.
    """
    import libcst as cst

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            yield from node.body
            continue
        children = []
        for name in _BLOCK_FIELDS:
            value = getattr(node, name, None)
            if isinstance(value, (list, tuple)):
                children.extend(value)
            elif isinstance(value, cst.CSTNode):
                children.append(value)
        stack.extend(reversed(children))


def resolve_local(root: Path, package: str, ref: ImportRef) -> list[Path]:
    """Files in the model folder that ``ref`` loads (a module, a package's ``__init__``, submodules)."""
    if ref.level:
        base = package.split(".") if package else []
        if ref.level - 1 > len(base):
            return []
        base = base[: len(base) - (ref.level - 1)]
        parts = base + ([p for p in ref.module.split(".") if p] if ref.module else [])
    else:
        parts = ref.module.split(".")
    found: list[Path] = []
    for i in range(1, len(parts) + 1):
        found += _module_files(root, parts[:i])
    if parts or ref.level:
        for name in ref.names:
            if name != "*":
                found += _module_files(root, parts + [name])
    return found


def _module_files(root: Path, parts: list[str]) -> list[Path]:
    if not parts:
        return []
    base = root.joinpath(*parts)
    out = []
    for candidate in (base.with_name(base.name + ".py"), base / "__init__.py"):
        try:
            if candidate.is_file():
                out.append(candidate)
        except OSError:
            pass
    return out


def local_imports(project, module) -> list[Path]:
    """Files of the model folder that ``module`` imports (overlays included)."""
    package = module.name if module.is_package else module.name.rpartition(".")[0]
    out: list[Path] = []
    for ref in import_refs(module.tree):
        for p in resolve_local(project.root, package, ref):
            if p not in out:
                out.append(p)
    return out


def top_level_bindings(tree) -> set[str]:
    """Names bound by the module's top-level statements, looking into top-level if/try/with/for."""
    import libcst as cst

    names: set[str] = set()

    def targets(t):
        if isinstance(t, cst.Name):
            names.add(t.value)
        elif isinstance(t, (cst.Tuple, cst.List)):
            for el in t.elements:
                targets(el.value)
        elif isinstance(t, cst.StarredElement):
            targets(t.value)

    def block(stmts):
        for stmt in stmts:
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                names.add(stmt.name.value)
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign):
                        for t in small.targets:
                            targets(t.target)
                    elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                        targets(small.target)
                    elif isinstance(small, cst.Import):
                        for a in small.names:
                            names.add(a.evaluated_alias or _dotted(a.name).split(".")[0])
                    elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                        for a in small.names:
                            names.add(a.evaluated_alias or _dotted(a.name))
            elif isinstance(stmt, (cst.If, cst.Try, cst.With, cst.For, cst.While)):
                for sub in _sub_blocks(stmt):
                    block(sub)

    block(tree.body)
    return names


def _sub_blocks(stmt):
    import libcst as cst

    if isinstance(stmt, cst.If):
        yield stmt.body.body
        if stmt.orelse is not None:
            yield from _sub_blocks(stmt.orelse) if isinstance(stmt.orelse, cst.If) else [stmt.orelse.body.body]
    elif isinstance(stmt, cst.Try):
        yield stmt.body.body
        for h in stmt.handlers:
            yield h.body.body
        for extra in (stmt.orelse, stmt.finalbody):
            if extra is not None:
                yield extra.body.body
    else:
        yield stmt.body.body
        if getattr(stmt, "orelse", None) is not None:
            yield stmt.orelse.body.body


# ---- where the runtime finds a module ---------------------------------------------------------
def top_level_name(module: str) -> str:
    """The top-level package of a dotted module name (``PIL`` for ``PIL.Image``)."""
    return module.split(".")[0]


def found_as(project, top: str) -> str | None:
    """Where the runtime finds top-level module ``top``: "local", "stdlib" or "runtime";
    "removed" for a standard-library module Python 3.13 no longer has; None: nowhere."""
    runtime = project.runtime
    if top in project.local_modules:
        return "local"  # the model folder comes first on the runtime's import path
    if top in runtime.stdlib:
        return "stdlib"
    if runtime.provider(top):
        return "runtime"
    return "removed" if top in runtime.removed else None
