"""CG306 deprecated-shim: The deprecated `cog` shims `ExperimentalFeatureWarning` and `emit_metric`."""

from __future__ import annotations

from pipelint.core.diagnostics import Applicability, Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\n'
_RUNNER = "\n\nclass Runner(BaseRunner):\n    def run(self) -> str:\n{body}        return ''\n"
_SHIMS = ("ExperimentalFeatureWarning", "emit_metric")
_FILTERS = ("filterwarnings", "simplefilter")


def _model(head: str, body: str = "", prelude: str = "") -> dict:
    return {"cog.yaml": _YAML, "main.py": None, "predict.py": head + prelude + _RUNNER.format(body=body)}


class DeprecatedShim(Rule):
    """The deprecated `cog` shims `ExperimentalFeatureWarning` and `emit_metric`.

    ## What it does
    Reports `from cog import ExperimentalFeatureWarning` / `emit_metric` and `cog.…` uses of
    them in the entry modules and the local modules they import.

    ## Why is this bad?
    Since cog 0.17 both are shims kept for old code, served by `cog.__getattr__` with a
    deprecation message: `ExperimentalFeatureWarning` no longer means anything (cog doctor:
    `ExperimentalFeatureWarning was removed in cog 0.17`), and metrics are recorded with
    `current_scope().record_metric(name, value)`.

    ## Example
    ```python
    import warnings
    from cog import ExperimentalFeatureWarning, emit_metric

    warnings.filterwarnings("ignore", category=ExperimentalFeatureWarning)
    emit_metric("steps", 30)
    ```

    ## Use instead
    ```python
    from cog import current_scope

    current_scope().record_metric("steps", 30)
    ```

    ## Fix safety
    Safe: the fix removes an `ExperimentalFeatureWarning` import that nothing else uses, with
    the `warnings.filterwarnings(…, category=ExperimentalFeatureWarning)` lines that were its
    only use, and rewrites `emit_metric(…)` calls to `current_scope().record_metric(…)` only
    when every use of `emit_metric` in the module is such a call. Otherwise no fix is offered.
    """

    code = "CG306"
    name = "deprecated-shim"
    severity = Severity.INFO
    targets = ("cog",)
    cog_versions = ">=0.17"
    files = ("python",)
    fix_availability = "sometimes"
    fix_applicability = Applicability.SAFE

    def check(self) -> None:
        import libcst as cst

        from pipelint.analysis.cog_entry import entry_modules
        from pipelint.edits.pyedit import top_level_imports

        for module in entry_modules(self.project):
            if module.tree is None or not any(s in (module.source.text or "") for s in _SHIMS):
                continue
            names, attrs = _names_and_attributes(module.tree)
            for stmt, imp in top_level_imports(module):
                if not isinstance(imp, cst.ImportFrom) or imp.relative or isinstance(imp.names, cst.ImportStar):
                    continue
                if not (isinstance(imp.module, cst.Name) and imp.module.value == "cog"):
                    continue
                for alias in imp.names:
                    shim = alias.name.value if isinstance(alias.name, cst.Name) else ""
                    if shim not in _SHIMS:
                        continue
                    fix = None
                    if alias.asname is None:
                        uses = [n for n in names.get(shim, []) if n is not alias.name]
                        fix = (self._warning_fix(module, stmt, imp, alias, uses) if shim == _SHIMS[0]
                               else self._metric_fix(module, stmt, imp, alias, uses))
                    self._report(module, alias.name, shim, fix)
            for node in attrs:
                self._report(module, node, node.attr.value, None)

    def _report(self, module, node, shim: str, fix) -> None:
        if shim == _SHIMS[0]:
            msg = ("`ExperimentalFeatureWarning` is a deprecated shim since cog 0.17 and means nothing "
                   "(`ExperimentalFeatureWarning was removed in cog 0.17`)")
            help_ = "remove the import and the `warnings.filterwarnings(...)` that uses it"
        else:
            msg = "`emit_metric` is a deprecated shim since cog 0.17: record metrics with `current_scope().record_metric()`"
            help_ = "`from cog import current_scope` and call `current_scope().record_metric(name, value)`"
        self.report(node, msg, module=module, help=help_, fix=fix)

    def _warning_fix(self, module, stmt, imp, alias, uses):
        from pipelint.edits.pyedit import delete_lines, remove_import_alias

        lines = []
        for use in uses:
            line = _filter_line(module.tree, use)
            if line is None:
                return None
            if line not in lines:
                lines.append(line)
        first = remove_import_alias(module, stmt, imp, alias)
        if first is None or any(line is stmt for line in lines):
            return None
        return self.fix("remove `ExperimentalFeatureWarning`", first, *(delete_lines(module, line) for line in lines))

    def _metric_fix(self, module, stmt, imp, alias, uses):
        from pipelint.edits.pyedit import find_import, remove_import_alias

        calls = _call_funcs(module.tree)
        if not uses or any(id(u) not in calls for u in uses) or _rebinds(module.tree, "emit_metric"):
            return None
        existing = find_import(module, "cog", "current_scope")
        if existing is not None and existing != "current_scope":
            return None
        if existing is None:
            first = self.edit_node(alias.name, "current_scope", module)
        else:
            first = remove_import_alias(module, stmt, imp, alias)
            if first is None:
                return None
        edits = [first, *(self.edit_node(u, "current_scope().record_metric", module) for u in uses)]
        return self.fix("use `current_scope().record_metric()`", *edits)

    VALID = [
        Case(_model("from cog import BaseRunner, current_scope",
                    "        current_scope().record_metric('steps', 30)\n")),
    ]
    INVALID = [
        Case(_model("import warnings\nfrom cog import BaseRunner, ExperimentalFeatureWarning\n",
                    prelude="\nwarnings.filterwarnings('ignore', category=ExperimentalFeatureWarning)\n"),
             expect=[("predict.py", 2, 29, 2, 55, "`ExperimentalFeatureWarning` is a deprecated shim since cog 0.17")],
             fixed={"predict.py": "import warnings\nfrom cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n"
                                  "    def run(self) -> str:\n        return ''\n"}),
        Case(_model("from cog import BaseRunner, emit_metric\n", "        emit_metric('steps', 30)\n"),
             expect=[("predict.py", 1, 29, 1, 40, "`emit_metric` is a deprecated shim since cog 0.17")],
             fixed={"predict.py": "from cog import BaseRunner, current_scope\n\n\nclass Runner(BaseRunner):\n"
                                  "    def run(self) -> str:\n        current_scope().record_metric('steps', 30)\n"
                                  "        return ''\n"}),
        Case(_model("from cog import BaseRunner, emit_metric\n", "        f = emit_metric\n"),
             expect=[("predict.py", 1, 29, 1, 40, "`emit_metric` is a deprecated shim")],
             note="not only calls: no fix"),
    ]


def _names_and_attributes(tree):
    """Name nodes by value (for the shims), and ``cog.<shim>`` attributes."""
    import libcst as cst

    names: dict[str, list] = {}
    attrs: list = []

    class Finder(cst.CSTVisitor):
        def visit_Name(self, node) -> None:
            if node.value in _SHIMS:
                names.setdefault(node.value, []).append(node)

        def visit_Attribute(self, node) -> bool:
            if isinstance(node.value, cst.Name) and node.value.value == "cog" and node.attr.value in _SHIMS:
                attrs.append(node)
            return isinstance(node.value, cst.Name) is False

        def visit_ImportFrom(self, node) -> None:
            for a in node.names if not isinstance(node.names, cst.ImportStar) else ():
                if isinstance(a.name, cst.Name) and a.name.value in _SHIMS:
                    names.setdefault(a.name.value, []).append(a.name)
            return False

    from pipelint.model.walk import walk  # libcst's visit, without rebuilding the tree
    walk(tree, Finder())
    return names, attrs


def _call_funcs(tree) -> set:
    import libcst as cst

    out = set()

    class Finder(cst.CSTVisitor):
        def visit_Call(self, node) -> None:
            out.add(id(node.func))

    from pipelint.model.walk import walk  # libcst's visit, without rebuilding the tree
    walk(tree, Finder())
    return out


def _rebinds(tree, name: str) -> bool:
    import libcst as cst

    found = []

    class Finder(cst.CSTVisitor):
        def visit_FunctionDef(self, node) -> None:
            if node.name.value == name:
                found.append(node)

        def visit_AssignTarget(self, node) -> None:
            if isinstance(node.target, cst.Name) and node.target.value == name:
                found.append(node)

    from pipelint.model.walk import walk  # libcst's visit, without rebuilding the tree
    walk(tree, Finder())
    return bool(found)


def _filter_line(tree, use):
    """The top-level ``warnings.filterwarnings(..., category=<use>)`` statement line holding ``use``."""
    import libcst as cst

    for stmt in tree.body:
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            continue
        expr = stmt.body[0]
        if not isinstance(expr, cst.Expr) or not isinstance(expr.value, cst.Call):
            continue
        call = expr.value
        func = call.func
        name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
        if name in _FILTERS and any(a.value is use for a in call.args):
            return stmt
    return None
