"""CG305 cog-name-missing: A name or module the target cog version's `cog` package does not have."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule
from pipelint.model import cog_data

_YAML = 'build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\n'
_RUNNER = "\n\nclass Runner(BaseRunner):\n    def run(self) -> str:\n        return ''\n"


def _key(v: str) -> tuple:
    try:
        return tuple(int(x) for x in v.split("."))
    except ValueError:
        return ()


def history_note(ranges: tuple, version: str) -> str:
    """`` (removed after cog 0.16.12)`` / `` (added in cog 0.20.0)`` for the target version, or ""."""
    if not ranges:
        return " (no cog release has it)"
    target = _key(version)
    later = [a for a, _ in ranges if _key(a)[:len(target)] > target]
    if later:
        return f" (added in cog {later[0]})"
    return f" (removed after cog {ranges[-1][1]})"


class CogNameMissing(Rule):
    """A name or module imported from `cog` that the target cog version does not have.

    ## What it does
    Reports, in the entry modules and the local modules they import, `from cog import X`,
    `cog.X` (after `import cog`) and `import cog.sub` / `from cog.sub import …` when the cog
    SDK of the target `cog-version` has no such name or module, and says the release where it
    went away (or arrived). What each cog release's `cog` package exports is derived data
    (`pipelint.model.cog_data.cog_sdk_exports`, read from replicate/cog's tags and the 0.23.1
    wheel). Imports guarded by `try: … except ImportError:` are not reported.

    ## Why is this bad?
    The model fails when it loads: `ImportError: cannot import name 'Predictor' from 'cog'`,
    `AttributeError: module 'cog' has no attribute 'Predictor'` or
    `ModuleNotFoundError: No module named 'cog.ext'`. Old tutorials still use `cog.Predictor`,
    `cog.input`, `cog.ext.*` and `cog.server.worker`.

    ## Example
    ```python
    from cog import Predictor
    ```

    ## Use instead
    ```python
    from cog import BaseRunner
    ```
    """

    code = "CG305"
    name = "cog-name-missing"
    targets = ("cog",)
    cog_versions = ""
    files = ("python",)

    def check(self) -> None:
        from pipelint.analysis.cog_entry import entry_modules
        from pipelint.analysis.load_imports import module_imports

        version = self.project.cog_version
        package = cog_data.cog_sdk_exports(version)
        if package is None:
            return
        for module in entry_modules(self.project):
            imports = module_imports(module)
            plain_cog = False
            for imp in imports:
                if imp.level or imp.module.split(".")[0] != "cog":
                    continue
                if not imp.names and imp.module == "cog" and not imp.guarded:
                    plain_cog = plain_cog or _unaliased(imp)
                if imp.guarded:
                    continue
                if self._module_missing(module, imp, package, version):
                    continue
                if imp.module == "cog" and imp.names and imp.names != ("*",):
                    self._names(module, imp, package, version)
            if plain_cog:
                self._attributes(module, package, version)

    def _module_missing(self, module, imp, package, version) -> bool:
        parts = imp.module.split(".")
        for i in range(2, len(parts) + 1):
            name = ".".join(parts[:i])
            if name not in package.submodules:
                note = history_note(cog_data.cog_sdk_module_history(name), version)
                self.report(imp.node, f"cog {version} has no module `{name}`{note}: the model fails to load "
                                      f"(`ModuleNotFoundError: No module named '{name}'`)",
                            module=module, help=self._help(name))
                return True
        return False

    def _names(self, module, imp, package, version) -> None:
        import libcst as cst

        for alias in imp.statement.names if not isinstance(imp.statement.names, cst.ImportStar) else ():
            name = alias.name.value if isinstance(alias.name, cst.Name) else ""
            if not name or name in package.importable or f"cog.{name}" in package.submodules or name == "use":
                continue
            note = history_note(cog_data.cog_sdk_name_history(name), version)
            self.report(alias.name, f"cog {version}'s `cog` has no `{name}`{note}: the model fails to load "
                                    f"(`cannot import name '{name}' from 'cog'`)",
                        module=module, help=self._help(name))

    def _attributes(self, module, package, version) -> None:
        import libcst as cst

        found = []

        class Finder(cst.CSTVisitor):
            def visit_Import(self, node) -> bool:
                return False

            visit_ImportFrom = visit_Import

            def visit_Attribute(self, node) -> None:
                if isinstance(node.value, cst.Name) and node.value.value == "cog":
                    found.append(node)

        from pipelint.model.walk import walk  # libcst's visit, without rebuilding the tree
        walk(module.tree, Finder())
        for node in found:
            name = node.attr.value
            if name in package.importable or f"cog.{name}" in package.submodules or name == "use":
                continue
            note = history_note(cog_data.cog_sdk_name_history(name), version)
            self.report(node, f"cog {version}'s `cog` has no `{name}`{note}: the model fails to load "
                              f"(`AttributeError: module 'cog' has no attribute '{name}'`)",
                        module=module, help=self._help(name))

    @staticmethod
    def _help(name: str) -> str:
        if name in ("Predictor", "cog.Predictor"):
            return "subclass `cog.BaseRunner` (or `cog.BasePredictor` before cog 0.20) and define `run()`"
        if name == "cog.input" or name.startswith("cog.ext") or name.startswith("cog.server"):
            return "import the public API from `cog` itself (`from cog import Input, Path, BaseRunner`)"
        exports = ", ".join(f"`{n}`" for n in (cog_data.cog_sdk_exports() or cog_data.coglet_cog_exports()).all
                            if not n.startswith("_"))
        return f"cog exports {exports}"

    VALID = [
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "import cog\nimport cog.types\nfrom cog import BaseRunner, Input, Path, current_scope\n"
                            "try:\n    from cog.ext import old\nexcept ImportError:\n    old = None\n\n"
                            "x = cog.Secret" + _RUNNER}),
    ]
    INVALID = [
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "from cog import BaseRunner, Predictor" + _RUNNER},
             expect=[("predict.py", 1, 29, 1, 38, "cog 0.23's `cog` has no `Predictor` (removed after cog 0.1.1): the "
                                                 "model fails to load (`cannot import name 'Predictor' from 'cog'`)")]),
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "import cog\nfrom cog import BaseRunner\nfrom cog.server.worker import Worker\n\n"
                            "x = cog.Predictor" + _RUNNER},
             expect=[("predict.py", 3, 6, 3, 23, "has no module `cog.server.worker` (removed after cog 0.16.12)"),
                     ("predict.py", 5, 5, 5, 18, "(`AttributeError: module 'cog' has no attribute 'Predictor'`)")]),
    ]


def _unaliased(imp) -> bool:
    import libcst as cst

    return any(isinstance(a.name, cst.Name) and a.name.value == "cog" and a.asname is None
               for a in imp.statement.names)
