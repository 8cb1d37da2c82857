"""CG308 subfolder-sibling-import: An entry file in a sub-folder imports its siblings as top-level modules."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\nrun: "src/predict.py:run"\n'


class SubfolderSiblingImport(Rule):
    """An entry file in a sub-folder imports a module next to it as a top-level module.

    ## What it does
    Reports `import utils` / `from utils import x` in an entry file (`run:`, `predict:`,
    `train:`) that is not at the project root, when `utils` is a `.py` file or package next to
    the entry file and not one at the project root.

    ## Why is this bad?
    cog loads the entry by its file path and runs the worker from `/src` (the project root,
    `WORKDIR /src`): only the project root is on `sys.path`, not the entry's folder. The sibling
    import works when the author runs `python src/predict.py`, but the model fails to load with
    `ModuleNotFoundError: No module named 'utils'`.

    ## Example
    ```python
    # src/predict.py, with src/utils.py beside it
    from utils import load_model
    ```

    ## Use instead
    ```python
    from src.utils import load_model
    ```
    """

    code = "CG308"
    name = "subfolder-sibling-import"
    severity = Severity.WARNING
    targets = ("cog",)
    cog_versions = ""
    files = ("python",)

    def check(self) -> None:
        from pipelint.analysis.cog_entry import entry_module_paths
        from pipelint.analysis.load_imports import module_imports

        p = self.project
        for path in sorted(entry_module_paths(p)):
            if path.parent == p.root or not p.inside(path):
                continue
            module = p.module(path)
            folder = path.parent
            dotted_folder = ".".join(folder.relative_to(p.root).parts)
            for imp in module_imports(module):
                if imp.level or imp.guarded or not imp.module:
                    continue
                top = imp.module.split(".")[0]
                if top in p.local_modules or not self._sibling(folder, top):
                    continue
                self.report(imp.node, f"`{top}` is next to `{path.relative_to(p.root).as_posix()}`, but cog puts only "
                                      f"the project root on `sys.path`: the model fails to load "
                                      f"(`ModuleNotFoundError: No module named '{top}'`)",
                            module=module,
                            help=f"import it from the project root: `{self._spelled(imp, dotted_folder)}`")

    def _sibling(self, folder, top: str) -> bool:
        return self.project.exists(folder / f"{top}.py") or self.project.exists(folder / top / "__init__.py") \
            or any(q.parent == folder / top for q in self.project.python_files())

    @staticmethod
    def _spelled(imp, dotted_folder: str) -> str:
        if imp.names:
            return f"from {dotted_folder}.{imp.module} import {', '.join(imp.names)}"
        return f"import {dotted_folder}.{imp.module}"

    VALID = [
        Case({"cog.yaml": _YAML, "main.py": None,
              "src/predict.py": "from src.utils import load\nimport helpers\n\ndef run(prompt: str) -> str:\n    return prompt\n",
              "src/utils.py": "def load():\n    pass\n", "helpers.py": ""}),
        Case({"cog.yaml": _YAML, "main.py": None,
              "src/predict.py": "try:\n    import utils\nexcept ImportError:\n    from src import utils\n\n"
                                "def run(prompt: str) -> str:\n    return prompt\n",
              "src/utils.py": ""}, note="a guarded import"),
    ]
    INVALID = [
        Case({"cog.yaml": _YAML, "main.py": None,
              "src/predict.py": "import json\nfrom utils import load\n\ndef run(prompt: str) -> str:\n    return prompt\n",
              "src/utils.py": "def load():\n    pass\n"},
             expect=[("src/predict.py", 2, 6, 2, 11, "(`ModuleNotFoundError: No module named 'utils'`)")]),
    ]
