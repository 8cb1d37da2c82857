"""PL201 import-not-in-runtime: Import of a module the pipelines runtime does not have."""

from __future__ import annotations

from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import LoadTimeImportVisitor
from pipelint.model.imports import found_as, top_level_name


class ImportNotInRuntime(LoadTimeImportVisitor):
    """Import of a module the pipelines runtime does not have.

    ## What it does
    Reports an import (`import torch`, `from transformers import pipeline`, a literal
    `importlib.import_module("cv2")` or `__import__("cv2")`) of a module that is neither in the
    runtime's packages, nor in Python 3.13's standard library, nor a `.py` file or package
    folder of the model. It checks the entry module and every local module it imports. An
    import inside `try: … except ImportError:` is fine: the model handles its absence; so is one
    in `with contextlib.suppress(ImportError):`, under `if TYPE_CHECKING:`, or in a
    `sys.version_info` branch that is false on Python 3.13. A handler that re-raises, raises
    anything else or exits (`sys.exit()`) does not guard the import. The `else:` of a guarded
    `try:` whose body imports a missing module never runs.

    `cog` is in the runtime, but it is coglet 0.1.0a31's `cog`, not the cog SDK: importing a
    name or a submodule it does not have (`from cog import BaseRunner`, `from cog import
    emit_metric`, `import cog.types`, the legacy `from cog.ext.pipelines import include`) fails
    too, and is reported at the import with Python's own message (`cannot import name 'X' from
    'cog'`, `No module named 'cog.types'`). A missing name raises a plain `ImportError`, which
    `except ModuleNotFoundError:` does not catch. What coglet's `cog` exports is derived data
    (`pipelint.model.cog_data.coglet_cog_exports()`, read from replicate/cog-runtime at tag
    v0.1.0-alpha31). `from cog import use` is left to PL507 and `File` in the entry module to
    PL409, which say how to fix them.

    ## Why is this bad?
    The pipelines runtime installs its own fixed list of packages and ignores the model's
    requirements.txt. Anything else is missing on Replicate and the model fails when it loads
    with `ModuleNotFoundError: No module named 'torch'`.

    ## Example
    ```python
    import torch
    ```

    ## Use instead
    Use the runtime's packages (numpy, scipy, scikit-learn, pillow, moviepy, requests, httpx,
    …) or call a Replicate model that does the work with `replicate.use()`. An optional
    dependency can be guarded:
    ```python
    try:
        import torch
    except ImportError:
        torch = None
    ```
    """

    code = "PL201"
    name = "import-not-in-runtime"

    def on_import(self, node, module: str, level: int, guarded: bool) -> None:
        if level or guarded or not module:
            return
        top = top_level_name(module)
        if top == "cog" and found_as(self.project, top) == "runtime":
            self._cog_module(node, module)
            return
        if found_as(self.project, top) is not None:
            return
        self.report(node, f"`{top}` is not installed in the pipelines runtime: the model fails to load "
                          f"(`No module named '{top}'`)", help=self._help(top))

    # -- coglet's `cog` ---------------------------------------------------------------------
    def _cog_module(self, node, module: str) -> None:
        """``import cog.X`` / ``from cog.X import …``: the first part of the path coglet lacks."""
        from pipelint.model.cog_data import coglet_cog_exports

        package = coglet_cog_exports()
        parts = module.split(".")
        for i in range(2, len(parts) + 1):
            name = ".".join(parts[:i])
            if name not in package.submodules:
                legacy = (": `cog.ext.pipelines` is the old pipelines API, call other models with `replicate.use()`"
                          if name == "cog.ext" else "")
                self.report(node, f"the runtime's `cog` (coglet 0.1.0a31) has no module `{name}`: the model "
                                  f"fails to load (`No module named '{name}'`){legacy}", help=self._cog_help(module))
                return

    # -- a missing name raises a plain ImportError ---------------------------------------------
    # ``except ModuleNotFoundError:`` / ``suppress(ModuleNotFoundError)`` guard a missing module, not
    # a missing name: the blocks marked only for that are counted apart.
    def visit_Try(self, node) -> None:
        from pipelint.analysis.guards import try_guards_imports

        super().visit_Try(node)
        if try_guards_imports(node) and not try_guards_imports(node, missing_name=True):
            self.__dict__.setdefault("_module_only", set()).add(id(node.body))
        if node.orelse is not None and try_guards_imports(node) and self._surely_fails(node.body):
            self.mark(node.orelse.body)  # `else:` runs only when the body completed: never, here

    def _surely_fails(self, body) -> bool:
        """The try body imports, at its own level, a module the runtime lacks: it never completes."""
        import libcst as cst

        from pipelint.model.imports import dotted

        for stmt in getattr(body, "body", ()):
            for small in getattr(stmt, "body", ()) if isinstance(stmt, cst.SimpleStatementLine) else ():
                if isinstance(small, cst.Import):
                    modules = [dotted(a.name) for a in small.names]
                elif isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None:
                    modules = [dotted(small.module)]
                else:
                    continue
                if any(m and found_as(self.project, top_level_name(m)) is None for m in modules):
                    return True
        return False

    visit_TryStar = visit_Try

    def visit_While(self, node) -> None:
        from pipelint.analysis.guards import loop_body_never_runs

        if loop_body_never_runs(node):
            self.mark(node.body)

    visit_For = visit_While

    def visit_With(self, node) -> None:
        from pipelint.analysis.guards import with_suppresses_import_error

        super().visit_With(node)
        if with_suppresses_import_error(node) and not with_suppresses_import_error(node, missing_name=True):
            self.__dict__.setdefault("_module_only", set()).add(id(node.body))

    def visit_IndentedBlock(self, node) -> None:
        super().visit_IndentedBlock(node)
        if id(node) in self.__dict__.get("_module_only", ()):
            self._module_only_depth = self.__dict__.get("_module_only_depth", 0) + 1

    def leave_IndentedBlock(self, node) -> None:
        super().leave_IndentedBlock(node)
        if id(node) in self.__dict__.get("_module_only", ()):
            self._module_only_depth -= 1

    visit_SimpleStatementSuite = visit_IndentedBlock
    leave_SimpleStatementSuite = leave_IndentedBlock

    @property
    def name_guarded(self) -> bool:
        """Inside a block whose guard also handles the ImportError of a missing name."""
        return self._marked_depth - self.__dict__.get("_module_only_depth", 0) > 0

    def visit_ImportFrom(self, node) -> None:
        super().visit_ImportFrom(node)
        import libcst as cst

        from pipelint.model.cog_data import coglet_cog_exports, coglet_module_names
        from pipelint.model.imports import dotted

        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar) or self.name_guarded:
            return
        module = dotted(node.module)
        if top_level_name(module) != "cog" or found_as(self.project, "cog") != "runtime":
            return
        package = coglet_cog_exports()
        if module == "cog":
            bound = package.importable
        elif module in package.submodules:
            bound = coglet_module_names(module) or frozenset()
        else:
            return  # a missing module: on_import reported it
        entry = self.module is self.project.entry_module
        for alias in node.names:
            name = dotted(alias.name)
            if name in bound or f"{module}.{name}" in package.submodules:
                continue
            if module == "cog" and (name == "use" or (name == "File" and entry)):
                continue  # PL507 / PL409 report these, with their fix
            self.report(alias.name, f"the runtime's `{module}` (coglet 0.1.0a31) has no `{name}`: the model "
                                    f"fails to load (`cannot import name '{name}' from '{module}'`)",
                        help=("a missing name raises a plain `ImportError`, which `ModuleNotFoundError` does not "
                              "catch: catch `ImportError`" if self.in_marked else self._cog_help(f"{module}.{name}")))

    @staticmethod
    def _cog_help(what: str) -> str:
        from pipelint.model.cog_data import coglet_cog_exports

        if what == "cog.ext" or what.startswith("cog.ext."):
            return ("`cog.ext.pipelines` is the old pipelines API: call other models with `replicate.use()` "
                    "(`from replicate import use`)")
        names = ", ".join(f"`{n}`" for n in coglet_cog_exports().all if not n.startswith("_"))
        return f"coglet's `cog` exports {names}"

    def _help(self, top: str) -> str:
        runtime = self.project.runtime
        dist = runtime.distribution_named(top)
        if dist and runtime.packages[dist].import_names:
            names = " or ".join(f"`import {n}`" for n in runtime.packages[dist].import_names)
            return f"the runtime's `{dist}` package is imported under another name: write {names}"
        lowered = {m.lower(): m for m in (*runtime.modules, *runtime.stdlib)}
        if top.lower() in lowered:
            return f"module names are case-sensitive: did you mean `{lowered[top.lower()]}`?"
        listed = self._listed_in_requirements(top)
        prefix = (f"requirements.txt lists `{listed}`, but the runtime installs only its own packages: "
                  if listed else "")
        return (prefix + "use the runtime's packages (numpy, scipy, scikit-learn, pillow, moviepy, requests, "
                "httpx, …), call a Replicate model that does the work with `replicate.use()`, or guard an "
                "optional import with `try: … except ImportError:`")

    def _listed_in_requirements(self, top: str) -> str | None:
        from packaging.utils import canonicalize_name

        from pipelint.model.requirements import with_includes

        for _, reqs in with_includes(self.project):
            for line in reqs.requirements:
                if canonicalize_name(line.requirement.name).replace("-", "_") == canonicalize_name(top).replace("-", "_"):
                    return line.requirement.name
        return None

    VALID = [
        Case("import json, subprocess, tempfile\nimport numpy as np\nfrom PIL import Image\nimport sklearn.linear_model\n"
             "import replicate\nfrom cog import Input\nimport dotenv, imageio_ffmpeg, charset_normalizer, typing_extensions\n\n"
             "def run(prompt: str = Input()) -> str:\n    return prompt\n"),
        Case({"main.py": "import helpers\nfrom utils.text import clean\n\ndef run(prompt: str) -> str:\n    return clean(prompt)\n",
              "helpers.py": "import json\n", "utils/text.py": "def clean(s):\n    return s\n"}),
        Case("try:\n    import torch\nexcept ImportError:\n    torch = None\n\ndef run(prompt: str) -> str:\n    return prompt\n"),
        Case("try:\n    import cv2\nexcept (ValueError, ModuleNotFoundError):\n    cv2 = None\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n"),
        Case("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import torch\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n"),
        Case("import importlib\nmod = importlib.import_module('json')\n\ndef run(prompt: str) -> str:\n    return prompt\n"),
        Case("import cog\nimport cog.server.http\nfrom cog import BaseModel, ConcatenateIterator, Input, Path, Secret, "
             "current_scope\nfrom cog.server import http\ntry:\n    from cog import emit_metric\nexcept ImportError:\n"
             "    emit_metric = None\n\ndef run(prompt: str = Input()) -> str:\n    return prompt\n",
             note="what coglet's cog has, and a guarded import of what it lacks"),
        Case("try:\n    import torch\nexcept ImportError:\n    HAVE_TORCH = False\nelse:\n    import torchvision\n"
             "    HAVE_TORCH = True\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             note="the else of a try whose body imports a missing module never runs"),
        Case("import contextlib, sys\nfrom typing import TYPE_CHECKING\nwith contextlib.suppress(ImportError):\n    import torch\n"
             "if (3, 8) <= sys.version_info < (3, 13):\n    import tomli\nif TYPE_CHECKING or False:\n    import cv2\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n",
             note="suppress() guards; a chained version test false on 3.13 and TYPE_CHECKING never run"),
    ]
    INVALID = [
        Case("import torch\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(1, 8, 1, 13, "`torch` is not installed in the pipelines runtime")]),
        Case("from transformers import pipeline\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(1, 6, 1, 18, "`transformers` is not installed in the pipelines runtime")]),
        Case("import importlib\ncv2 = importlib.import_module('cv2')\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(2, 31, 2, 36, "`cv2` is not installed in the pipelines runtime")]),
        Case("from importlib import import_module as load\n\ndef run(prompt: str) -> str:\n    load('yaml')\n    return __import__('tiktoken').x\n",
             expect=[(4, 10, 4, 16, "`yaml` is not installed in the pipelines runtime"),
                     (5, 23, 5, 33, "`tiktoken` is not installed in the pipelines runtime")]),
        Case("def run(prompt: str) -> str:\n    import pillow\n    return prompt\n",
             expect=[(2, 12, 2, 18, "`pillow` is not installed in the pipelines runtime")]),
        Case("try:\n    import torch\nexcept ValueError:\n    pass\nfinally:\n    import cv2\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(2, 12, 2, 17, "`torch` is not installed in the pipelines runtime"),
                     (6, 12, 6, 15, "`cv2` is not installed in the pipelines runtime")]),
        Case({"main.py": "import helpers\n\ndef run(prompt: str) -> str:\n    return prompt\n",
              "helpers.py": "import boto3\n"},
             expect=[("helpers.py", 1, 8, 1, 13, "`boto3` is not installed in the pipelines runtime")]),
        Case("from cog import BaseRunner, Input, emit_metric\nimport cog.types\n\ndef run(prompt: str = Input()) -> str:\n"
             "    return prompt\n",
             expect=[(1, 17, 1, 27, "the runtime's `cog` (coglet 0.1.0a31) has no `BaseRunner`: the model fails to load "
                                    "(`cannot import name 'BaseRunner' from 'cog'`)"),
                     (1, 36, 1, 47, "(`cannot import name 'emit_metric' from 'cog'`)"),
                     (2, 8, 2, 17, "has no module `cog.types`: the model fails to load (`No module named 'cog.types'`)")]),
        Case("import sys\ntry:\n    import torch\nexcept ImportError:\n    sys.exit('pip install torch')\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n",
             expect=[(3, 12, 3, 17, "`torch` is not installed in the pipelines runtime")],
             note="a handler that exits does not guard the import"),
        Case("try:\n    import numpy\nexcept ImportError:\n    numpy = None\nelse:\n    import torch\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n",
             expect=[(6, 12, 6, 17, "`torch` is not installed in the pipelines runtime")],
             note="the else of a try whose body succeeds runs"),
        Case("try:\n    from cog import BaseRunner\nexcept ModuleNotFoundError:\n    BaseRunner = None\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n",
             expect=[(2, 21, 2, 31, "(`cannot import name 'BaseRunner' from 'cog'`)")],
             note="a missing name raises a plain ImportError, which `except ModuleNotFoundError` lets through"),
        Case("from cog.ext.pipelines import include\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(1, 6, 1, 23, "(`No module named 'cog.ext'`): `cog.ext.pipelines` is the old pipelines API, call "
                                   "other models with `replicate.use()`")]),
    ]
