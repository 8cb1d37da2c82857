"""PL409 cog-file: `cog.File`: the pipelines runtime's `cog` has no `File`."""

from __future__ import annotations

from pipelint.analysis.entry import METADATA as ENTRY_METADATA
from pipelint.core.diagnostics import Applicability
from pipelint.engine.rule import Case, Rule
from pipelint.model.imports import dotted


def _file_uses(module, resolver):
    """(import statement line, ImportFrom, alias) for each ``from cog import File``, and the ``cog.File``
    attribute uses."""
    import libcst as cst

    from pipelint.analysis.annotations import FILES
    from pipelint.edits import pyedit

    imports = []
    for stmt, imp in pyedit.top_level_imports(module):
        if isinstance(imp, cst.ImportFrom) and not imp.relative and not isinstance(imp.names, cst.ImportStar) \
                and dotted(imp.module) in ("cog", "cog.types"):
            for alias in imp.names:
                if dotted(alias.name) == "File":
                    imports.append((stmt, imp, alias))
    attributes = []

    class Finder(cst.CSTVisitor):
        def visit_Attribute(self, node) -> bool:
            if node.attr.value == "File" and resolver.qualified_names(node) & FILES:
                attributes.append(node)
                return False
            return True

    from pipelint.model.walk import walk  # libcst's visit, without rebuilding the tree
    walk(module.tree, Finder())
    return imports, attributes


class CogFile(Rule):
    """`cog.File`: the pipelines runtime's `cog` has no `File`.

    ## What it does
    Reports `from cog import File` and `cog.File` in the entry module.

    ## Why is this bad?
    `cog.File` is deprecated, and the `cog` package of the pipelines runtime (coglet) does
    not have it at all: the module fails to import and the model does not load
    (`cannot import name 'File' from 'cog'`). The old guide's Output example uses it.

    ## Example
    ```python
    from cog import BaseModel, File

    class Output(BaseModel):
        file: File
    ```

    ## Use instead
    ```python
    from cog import BaseModel, Path

    class Output(BaseModel):
        file: Path
    ```

    ## Fix safety
    The fix replaces `File` with `Path` (from cog, or the `Path` the file already imports).
    It is unsafe: a `Path` output must be a path to a file on disk, not a file object such
    as `io.StringIO`, so the code that builds the value may need to write a file first.
    """

    code = "PL409"
    name = "cog-file"
    files = ("python",)
    metadata = ENTRY_METADATA
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check(self) -> None:
        from pipelint.analysis.annotations import resolver_for

        module = self.project.entry_module
        # the text test spares a walk of the whole tree in nearly every model
        if module is None or module.tree is None or "File" not in (module.source.text or ""):
            return
        resolver = resolver_for(self.project, module)
        imports, attributes = _file_uses(module, resolver)
        message = "`cog.File` does not exist in the pipelines runtime's `cog`, so the model fails to import " \
                  "(`cannot import name 'File' from 'cog'`)"
        help_ = "use `cog.Path` and return the path of a file written to disk"
        for stmt, imp, alias in imports:
            self.report(alias, message, help=help_, fix=self._fix_import(module, resolver, stmt, imp, alias))
        if attributes:
            path = "Path"
            edits = [self.edit_node(a.attr, path, module) for a in attributes]
            fix = self.fix("Use `cog.Path` instead of `cog.File`", *edits)
            for a in attributes:
                self.report(a, message, help=help_, fix=fix)

    def _fix_import(self, module, resolver, stmt, imp, alias):
        from pipelint.edits import pyedit

        local = alias.evaluated_alias or "File"
        uses = pyedit.module_level_uses(module, resolver, local, imp)
        existing = _path_in_scope(module)
        if existing is not None:
            removal = pyedit.remove_import_alias(module, stmt, imp, alias)
            if removal is None:
                return None
            return self.fix(f"Use `{existing}` instead of `File`", removal,
                            *pyedit.rename_edits(module, uses, local, existing))
        if "Path" in _top_level_names(module):
            return None  # ``Path`` names something else here
        edits = [self.edit_node(alias, "Path", module), *pyedit.rename_edits(module, uses, local, "Path")]
        return self.fix("Use cog's `Path` instead of `File`", *edits)

    VALID = [Case("from cog import BaseModel, Path\n\n\nclass Output(BaseModel):\n    file: Path\n\n\n"
                  "def run() -> Output:\n    return Output(file=Path('/tmp/x'))\n")]
    INVALID = [
        Case("import io\n\nfrom cog import BaseModel, File\n\n\nclass Output(BaseModel):\n    file: File\n    text: str\n\n\n"
             "def run() -> Output:\n    return Output(text='hello', file=io.StringIO('hello'))\n",
             expect=[(3, 28, 3, 32, "`cog.File` does not exist in the pipelines runtime's `cog`, so the model "
                                    "fails to import")],
             fixed="import io\n\nfrom cog import BaseModel, Path\n\n\nclass Output(BaseModel):\n    file: Path\n    text: str\n\n\n"
                   "def run() -> Output:\n    return Output(text='hello', file=io.StringIO('hello'))\n"),
        Case("from cog import File, Input, Path\n\n\ndef run(f: File = Input(description='f')) -> 'File':\n    return f\n",
             expect=[(1, 17, 1, 21, "`cog.File` does not exist in the pipelines runtime's `cog`, so the model "
                                    "fails to import")],
             fixed="from cog import Input, Path\n\n\ndef run(f: Path = Input(description='f')) -> 'Path':\n    return f\n"),
        Case("import cog\n\n\ndef run() -> list[cog.File]:\n    return []\n",
             expect=[(4, 19, 4, 27, "`cog.File` does not exist in the pipelines runtime's `cog`, so the model "
                                    "fails to import")],
             fixed="import cog\n\n\ndef run() -> list[cog.Path]:\n    return []\n"),
        Case("from cog import File as F\n\n\ndef run() -> F:\n    return F()\n",
             expect=[(1, 17, 1, 26, "`cog.File` does not exist in the pipelines runtime's `cog`, so the model "
                                    "fails to import")],
             fixed="from cog import Path\n\n\ndef run() -> Path:\n    return Path()\n"),
        Case("from pathlib import Path\n\nfrom cog import File\n\n\ndef run(doc: File) -> Path:\n    return Path(doc.name)\n",
             expect=[(3, 17, 3, 21, "`cog.File` does not exist in the pipelines runtime's `cog`, so the model "
                                    "fails to import")],
             fixed="from pathlib import Path\n\n\ndef run(doc: Path) -> Path:\n    return Path(doc.name)\n"),
    ]


def _path_in_scope(module) -> str | None:
    """How the module already names a Path the runtime accepts: cog's (however imported) or pathlib's."""
    from pipelint.analysis.annotations import PATHS
    from pipelint.edits import pyedit

    existing = pyedit.find_import(module, "cog", "Path")
    if existing is not None:
        return existing
    scope = module.metadata("scope").get(module.tree)
    if scope is not None and {q.name for q in scope.get_qualified_names_for("Path")} & PATHS:
        return "Path"  # pathlib's: the runtime reads any os.PathLike output as a file
    return None


def _top_level_names(module) -> set[str]:
    from pipelint.model.imports import top_level_bindings

    return top_level_bindings(module.tree)
