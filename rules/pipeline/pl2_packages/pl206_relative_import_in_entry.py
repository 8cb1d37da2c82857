"""PL206 relative-import-in-entry: Relative import in the entry module."""

from __future__ import annotations

from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import LoadTimeImportVisitor


class RelativeImportInEntry(LoadTimeImportVisitor):
    """Relative import in the entry module.

    ## What it does
    Reports `from . import x` and `from .helpers import y` in the entry module (and in any other
    top-level module of the model that is not inside a package).

    ## Why is this bad?
    The runtime imports the entry file as a top-level module (`main`), which has no parent
    package: the import fails when the model loads with
    `ImportError: attempted relative import with no known parent package`.

    ## Example
    ```python
    from .helpers import caption
    ```

    ## Use instead
    ```python
    from helpers import caption
    ```
    """

    code = "PL206"
    name = "relative-import-in-entry"

    def on_import(self, node, module: str, level: int, guarded: bool) -> None:
        if not level or guarded:
            return
        mod = self.module
        if mod is not self.project.entry_module and (mod.is_package or "." in mod.name):
            return  # inside a package, relative imports work
        absolute = module or "<module>"
        self.report(node, "relative import in a top-level module: the runtime imports it without a parent package "
                          "(`attempted relative import with no known parent package`)",
                    help=f"import the local module by its name: `from {absolute} import …` or `import {absolute}`")

    VALID = [Case({"main.py": "import helpers\nfrom pkg import tool\n\ndef run(prompt: str) -> str:\n    return prompt\n",
                   "helpers.py": "import json\n", "pkg/__init__.py": "from . import tool\n", "pkg/tool.py": "from .x import y\n",
                   "pkg/x.py": "y = 1\n"})]
    INVALID = [
        Case({"main.py": "from .helpers import caption\n\ndef run(prompt: str) -> str:\n    return caption(prompt)\n",
              "helpers.py": "def caption(s):\n    return s\n"},
             expect=[(1, 1, 1, 29, "relative import in a top-level module")]),
        Case({"main.py": "import helpers\n\ndef run(prompt: str) -> str:\n    return prompt\n",
              "helpers.py": "from . import other\n", "other.py": ""},
             expect=[("helpers.py", 1, 1, 1, 20, "relative import in a top-level module")]),
    ]
