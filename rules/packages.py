"""PL201–PL207: imports and requirements against what the pipelines runtime really has.

The runtime installs its own fixed package list (``pipelint/data/runtime-requirements.txt``,
replaceable with ``--runtime-requirements``) on Python 3.13 and ignores the model's
requirements.txt, so an import of anything else fails when the model loads.
"""

from __future__ import annotations

import re

from pipelint.core.diagnostics import Edit, Position, Severity
from pipelint.model.imports import dotted as _dotted
from pipelint.engine.rule import Case, Rule
from pipelint.analysis.visitors import MarkedBlocks

REPLICATE_REQUIREMENT = "replicate>=1.1.0b1,<2.0.0a1"
_REPLICATE_LINE = re.compile(r"(?i)replicate(?![A-Za-z0-9._-])")
# What an ImportError handler catches: these let an import fail without failing the model.
_IMPORT_ERROR_CATCHERS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
_DYNAMIC_IMPORTS = {"importlib.import_module", "builtins.__import__"}
_DYNAMIC_TEXT = re.compile(r"import_module|__import__")
# What to use instead of a standard-library module Python removed (PEP 594 and earlier).
_REMOVED_ALTERNATIVES = {
    "imghdr": "Pillow: `PIL.Image.open(path).format`",
    "sndhdr": "ffprobe (it ships with ffmpeg) or the `wave` module",
    "cgi": "`urllib.parse.parse_qs` and `email.message.Message`",
    "cgitb": "the `traceback` module",
    "audioop": "numpy on the samples",
    "aifc": "the `wave` module or ffmpeg",
    "sunau": "the `wave` module or ffmpeg",
    "chunk": "the `wave` module or ffmpeg",
    "pipes": "`shlex.quote` and `subprocess`",
    "telnetlib": "`socket` or `asyncio` streams",
    "crypt": "`hashlib`",
    "uu": "`base64`",
    "mailcap": "`mimetypes`",
    "xdrlib": "`struct`",
    "nntplib": "an HTTP API through `requests` or `httpx`",
    "imp": "`importlib`",
    "distutils": "`shutil`, `sysconfig` or `packaging`",
    "asyncore": "`asyncio`",
    "asynchat": "`asyncio`",
    "lib2to3": "`ast` (the runtime has no libcst)",
}


class _ImportVisitor(MarkedBlocks, Rule):
    """Finds the imports that run when the model loads, and calls ``on_import`` for each.

    An import inside ``try:`` whose handlers catch ImportError (or anything broader) may fail:
    it is guarded. So is one under ``if TYPE_CHECKING:`` or ``if __name__ == "__main__":``,
    which never runs on Replicate.
    """

    files = ("python",)
    modules = "all"
    metadata = ("qualified_name",)

    @classmethod
    def metadata_for(cls, project, module) -> tuple[str, ...]:
        # Qualified names only tell dynamic imports apart; a module that never spells one
        # does not need them (they cost more than the rest of the rule).
        return cls.metadata if _DYNAMIC_TEXT.search(module.source.text or "") else ()

    def on_import(self, node, module: str, level: int, guarded: bool) -> None:
        raise NotImplementedError

    # -- guards ------------------------------------------------------------------------------
    def visit_Try(self, node) -> None:
        if any(_catches_import_error(h.type) for h in node.handlers):
            self.mark(node.body)

    visit_TryStar = visit_Try

    def visit_If(self, node) -> None:
        if _never_runs_on_load(node.test):
            self.mark(node.body)

    # -- imports -----------------------------------------------------------------------------
    def visit_Import(self, node) -> None:
        for alias in node.names:
            self.on_import(alias.name, _dotted(alias.name), 0, self.in_marked)

    def visit_ImportFrom(self, node) -> None:
        level = len(node.relative)
        where = node if level else node.module
        self.on_import(where, _dotted(node.module) if node.module is not None else "", level, self.in_marked)

    def visit_Call(self, node) -> None:
        import libcst as cst

        if not node.args or not isinstance(node.args[0].value, cst.SimpleString) or node.args[0].keyword:
            return
        if self.__dict__.setdefault("_spells_dynamic", bool(self.metadata_for(self.project, self.module))) is False:
            return  # the module never spells a dynamic import (aliases are spelt in their import)
        names = self.get_metadata("qualified_name", node.func) or set()
        if not any(q.name in _DYNAMIC_IMPORTS for q in names):
            return
        target = node.args[0].value.evaluated_value
        if isinstance(target, str) and target and not target.startswith("."):
            self.on_import(node.args[0].value, target, 0, self.in_marked)


def _catches_import_error(handler_type) -> bool:
    import libcst as cst

    if handler_type is None:
        return True  # a bare `except:`
    if isinstance(handler_type, cst.Tuple):
        return any(_catches_import_error(el.value) for el in handler_type.elements)
    return _dotted(handler_type).rpartition(".")[2] in _IMPORT_ERROR_CATCHERS


def _never_runs_on_load(test) -> bool:
    """``TYPE_CHECKING`` or ``__name__ == "__main__"``: false when the runtime imports the module."""
    from pipelint.analysis.calls import is_main_guard

    return _dotted(test).rpartition(".")[2] == "TYPE_CHECKING" or is_main_guard(test)


def _top(module: str) -> str:
    return module.split(".")[0]


def _found_as(project, top: str) -> str | None:
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


class ImportNotInRuntime(_ImportVisitor):
    """Import of a module the pipelines runtime does not have.

    ## What it does
    Reports an import (`import torch`, `from transformers import pipeline`, a literal
    `importlib.import_module("cv2")` or `__import__("cv2")`) of a module that is neither in the
    runtime's packages, nor in Python 3.13's standard library, nor a `.py` file or package
    folder of the model. It checks the entry module and every local module it imports. An
    import inside `try: … except ImportError:` is fine: the model handles its absence.

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
        top = _top(module)
        if _found_as(self.project, top) is not None:
            return
        self.report(node, f"`{top}` is not installed in the pipelines runtime: the model fails to load "
                          f"(`No module named '{top}'`)", help=self._help(top))

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
    ]
    INVALID = [
        Case("import torch\n\ndef run(prompt: str) -> str:\n    return prompt\n", expect=[(1, 8)]),
        Case("from transformers import pipeline\n\ndef run(prompt: str) -> str:\n    return prompt\n", expect=[(1, 6)]),
        Case("import importlib\ncv2 = importlib.import_module('cv2')\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(2, 31)]),
        Case("from importlib import import_module as load\n\ndef run(prompt: str) -> str:\n    load('yaml')\n    return __import__('tiktoken').x\n",
             expect=[(4, 10), (5, 23)]),
        Case("def run(prompt: str) -> str:\n    import pillow\n    return prompt\n", expect=[(2, 12)]),
        Case("try:\n    import torch\nexcept ValueError:\n    pass\nfinally:\n    import cv2\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(2, 12), (6, 12)]),
        Case({"main.py": "import helpers\n\ndef run(prompt: str) -> str:\n    return prompt\n",
              "helpers.py": "import boto3\n"}, expect=[("helpers.py", 1, 8)]),
    ]


class RequirementNotInRuntime(Rule):
    """requirements.txt lists a package the runtime does not have.

    ## What it does
    Reports a requirement whose package is not in the pipelines runtime's package list. Names
    are compared normalised (`Pillow` is `pillow`); a requirement whose environment marker is
    false on the runtime (Linux, CPython 3.13) is left alone. Files included with `-r` are
    checked too.

    ## Why is this bad?
    The runtime does not install the model's requirements: it replaces them with its own list.
    The package is never installed on Replicate, so code that imports it fails when the model
    loads. With a version specifier, `cog push` refuses it outright
    (`torch==2.3.0: Python package not available in pipelines runtime`).

    ## Example
    ```text
    replicate>=1.1.0b1,<2.0.0a1
    torch==2.3.0
    ```

    ## Use instead
    ```text
    replicate>=1.1.0b1,<2.0.0a1
    ```
    and do the work with a runtime package or a Replicate model called with `replicate.use()`.
    """

    code = "PL202"
    name = "requirement-not-in-runtime"
    files = ("requirements.txt",)

    def check(self) -> None:
        runtime = self.project.runtime
        for source, line in _runtime_requirements(self.project):
            req = line.requirement
            name = line.name
            if runtime.package(name) is not None:
                continue
            if name == "cog" and runtime.provider("cog") and not str(req.specifier):
                continue  # the runtime provides `cog`; an unpinned line is simply dropped
            pushed = f" (`{_spec(line)}: Python package not available in pipelines runtime`)" if str(req.specifier) else ""
            what = ("`cog` is provided by the runtime (coglet), not installed from requirements.txt"
                    if name == "cog" else
                    f"`{req.name}` is not in the pipelines runtime: requirements.txt is replaced by the runtime's "
                    f"package list, so it is never installed on Replicate")
            _report_line(self, source, line, what + pushed,
                         help="remove it; use a runtime package or call a Replicate model with `replicate.use()` instead")

    VALID = [
        Case({"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\nPillow\nnumpy>=2\nscikit_learn\ntorch; sys_platform == 'darwin'\n"
                                  "cog\n"}),
    ]
    INVALID = [
        Case({"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\ntorch==2.3.0\n  transformers  # for captions\n"},
             expect=[("requirements.txt", 2, 1), ("requirements.txt", 3, 3)]),
        Case({"requirements.txt": "-r base.txt\nreplicate>=1.1.0b1,<2.0.0a1\n", "base.txt": "opencv-python>=4\n"},
             expect=[("base.txt", 1, 1)]),
        Case({"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\ncog==0.16.8\n"}, expect=[("requirements.txt", 2, 1)]),
    ]


class RequirementExcludesRuntimeVersion(Rule):
    """A requirement's version specifier excludes the version the runtime pins.

    ## What it does
    Reports a requirement of a runtime package whose specifier the runtime's pinned version
    does not satisfy (`pydantic>=2` against pydantic 1.10.22, `pillow==10.0.0` against
    11.2.1). `replicate` has its own rule (PL205).

    ## Why is this bad?
    The runtime installs its pinned version whatever requirements.txt asks for, so code written
    for the requested version runs against another one. `cog push` refuses the model
    (`pydantic>=2: Python package not available in pipelines runtime`).

    ## Example
    ```text
    pydantic>=2
    ```

    ## Use instead
    ```text
    pydantic==1.10.22
    ```
    and write the code for that version.
    """

    code = "PL203"
    name = "requirement-excludes-runtime-version"
    files = ("requirements.txt",)

    def check(self) -> None:
        runtime = self.project.runtime
        for source, line in _runtime_requirements(self.project):
            pkg = runtime.package(line.name)
            if pkg is None or pkg.version is None or line.name == "replicate" or not str(line.requirement.specifier):
                continue
            if line.requirement.specifier.contains(pkg.version, prereleases=True):
                continue
            _report_line(self, source, line,
                         f"`{_spec(line)}` excludes the runtime's {pkg.name} {pkg.version}, which is what runs on Replicate "
                         f"(`{_spec(line)}: Python package not available in pipelines runtime`)",
                         help=f"write code for {pkg.name} {pkg.version} and require `{pkg.name}=={pkg.version}` "
                              f"(or no version at all)")

    VALID = [Case({"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\npydantic<2\npillow>=11,<12\nnumpy==2.3.1\nrequests\n"})]
    INVALID = [
        Case({"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\npydantic>=2\nPillow==10.0.0 ; python_version >= '3.8'\n"},
             expect=[("requirements.txt", 2, 1), ("requirements.txt", 3, 1)]),
    ]


class MissingReplicateRequirement(Rule):
    """requirements.txt is missing, or does not list `replicate`.

    ## What it does
    Reports a model whose requirements file does not exist, or does not require `replicate`
    (files included with `-r` count).

    ## Why is this bad?
    The runtime has `replicate` on Replicate, but local runs (`cog predict`) install only what
    requirements.txt lists: without it, `import replicate` fails on your machine.

    ## Example
    ```text
    requests
    ```

    ## Use instead
    ```text
    requests
    replicate>=1.1.0b1,<2.0.0a1
    ```

    ## Fix safety
    The fix adds `replicate>=1.1.0b1,<2.0.0a1`, creating requirements.txt when it is missing.
    It is safe: the runtime ignores the file, and locally it installs the client the runtime
    has. No fix is offered when cog.yaml names a requirements file that does not exist (PL113).
    """

    code = "PL204"
    name = "missing-replicate-requirement"
    severity = Severity.WARNING
    files = ("cog.yaml", "requirements.txt")
    fix_availability = "sometimes"

    def check(self) -> None:
        p = self.project
        if p.cog_file is None or p.cog_file.text is None:
            return
        if p.requirements_file is None:
            if p.cog_get("build", "python_requirements") is not None:
                return  # cog.yaml names a file that is not there: PL113 says so
            path = p.path(p.requirements_rel)
            anchor = p.cog_get("build") or p.cog_get("predict")
            edit = Edit(path, Position(1, 1), Position(1, 1), REPLICATE_REQUIREMENT + "\n")
            message = "there is no requirements.txt: local runs do not install `replicate`"
            kw = dict(help=f"create requirements.txt with `{REPLICATE_REQUIREMENT}`",
                      fix=self.fix(f"Create requirements.txt with `{REPLICATE_REQUIREMENT}`", edit))
            if anchor is not None:
                self.report_yaml(anchor[0], message, **kw)
            else:
                self.report_at(p.cog_file.path, Position(1, 1), Position(1, 1), message, **kw)
            return
        if p.requirements_file.text is None:
            return  # unreadable: PL003
        from pipelint.model.requirements import with_includes

        for _, reqs in with_includes(p):
            if reqs.find("replicate") or any(_REPLICATE_LINE.match(line.text) for line in reqs.lines):
                return
        source = p.requirements_file
        text = source.text
        end = _end_of(text)
        prefix = "" if not text or text.endswith(("\n", "\r")) else "\n"
        self.report_at(source.path, Position(1, 1), Position(1, 1),
                       f"{source.rel} does not list `replicate`: local runs cannot `import replicate`",
                       help=f"add `{REPLICATE_REQUIREMENT}`",
                       fix=self.fix(f"Add `{REPLICATE_REQUIREMENT}`",
                                    Edit(source.path, end, end, prefix + REPLICATE_REQUIREMENT + "\n")))

    VALID = [Case({}), Case({"requirements.txt": "-r base.txt\n", "base.txt": "replicate>=1.1.0b1,<2.0.0a1\n"})]
    INVALID = [
        Case({"requirements.txt": "requests\npillow"}, expect=[("requirements.txt", 1, 1)],
             fixed={"requirements.txt": f"requests\npillow\n{REPLICATE_REQUIREMENT}\n"}),
        Case({"requirements.txt": "", "cog.yaml": 'build:\n  python_version: "3.13"\npredict: "main.py:run"\n'},
             expect=[("requirements.txt", 1, 1)], fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n"}),
        Case({"requirements.txt": None, "cog.yaml": 'build:\n  python_version: "3.13"\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 1, 1)], fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n"}),
    ]


class ReplicateRequirementRange(Rule):
    """The `replicate` requirement does not select the client the runtime runs.

    ## What it does
    Reports a `replicate` requirement that excludes the runtime's version (1.1.0b2), that cannot
    select a pre-release at all (plain `replicate` or `replicate>=1.0` installs the latest
    1.0.x release, which has no `use()`), or that is the old guide's malformed
    `replicate >= 1.1.0b1 < 2.0.0a1`.

    ## Why is this bad?
    Locally, pip then installs a client without `replicate.use()` (`AttributeError: module
    'replicate' has no attribute 'use'`) or refuses the file; `cog push` refuses a specifier
    the runtime's version does not satisfy.

    ## Example
    ```text
    replicate
    ```

    ## Use instead
    ```text
    replicate>=1.1.0b1,<2.0.0a1
    ```

    ## Fix safety
    The fix replaces the specifier with `replicate>=1.1.0b1,<2.0.0a1` (keeping an environment
    marker and a trailing comment). It is safe: that range holds the runtime's version. It is
    not offered for a requirement continued over several lines.
    """

    code = "PL205"
    name = "replicate-requirement-range"
    files = ("requirements.txt",)
    fix_availability = "sometimes"

    def check(self) -> None:
        from pipelint.model.requirements import with_includes

        pkg = self.project.runtime.package("replicate")
        pinned = pkg.version if pkg is not None else None
        for source, reqs in with_includes(self.project):
            for line in reqs.lines:
                if line.requirement is None:
                    if line.error and _REPLICATE_LINE.match(line.text):
                        self._report(source, line, f"`{line.text}` is not a valid requirement (the old guide's "
                                                   f"spelling lacks the comma): pip refuses the file")
                    continue
                if line.name != "replicate" or not _applies_on_runtime(line.requirement):
                    continue
                spec = line.requirement.specifier
                if pinned is not None and not spec.contains(pinned, prereleases=True):
                    self._report(source, line, f"`{_spec(line)}` excludes the runtime's replicate {pinned} "
                                               f"(`{_spec(line)}: Python package not available in pipelines runtime`)")
                elif not spec.prereleases:
                    self._report(source, line, f"`{_spec(line)}` cannot select a pre-release: pip installs replicate "
                                               f"1.0.x, which has no `replicate.use()`")

    def _report(self, source, line, message: str) -> None:
        fix = None
        if line.end_line == line.line and line.option is None:
            spec = _spec(line)
            marker = ""
            if line.requirement is not None and line.requirement.marker is not None:
                marker = f"; {line.requirement.marker}"
            edit = Edit(source.path, Position(line.line, line.column),
                        Position(line.line, line.column + len(spec)), REPLICATE_REQUIREMENT + marker)
            fix = self.fix(f"Require `{REPLICATE_REQUIREMENT}`", edit)
        _report_line(self, source, line, message, help=f"require `{REPLICATE_REQUIREMENT}`", fix=fix)

    VALID = [Case({"requirements.txt": "replicate>=1.1.0b1,<2.0.0a1\n"}),
             Case({"requirements.txt": "replicate==1.1.0b2\n"}),
             Case({"requirements.txt": "replicate>=1.1.0b1\nreplicate-utils==1.0\n"})]
    INVALID = [
        Case({"requirements.txt": "replicate\n"}, expect=[("requirements.txt", 1, 1)],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n"}),
        Case({"requirements.txt": "numpy\nreplicate >= 1.1.0b1 < 2.0.0a1  # from the guide\n"},
             expect=[("requirements.txt", 2, 1)],
             fixed={"requirements.txt": f"numpy\n{REPLICATE_REQUIREMENT}  # from the guide\n"}),
        Case({"requirements.txt": "Replicate>=1.0\n"}, expect=[("requirements.txt", 1, 1)],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n"}),
        Case({"requirements.txt": "replicate>=2.0.0a1\n"}, expect=[("requirements.txt", 1, 1)],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n"}),
    ]


class RelativeImportInEntry(_ImportVisitor):
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
              "helpers.py": "def caption(s):\n    return s\n"}, expect=[(1, 1)]),
        Case({"main.py": "import helpers\n\ndef run(prompt: str) -> str:\n    return prompt\n",
              "helpers.py": "from . import other\n", "other.py": ""}, expect=[("helpers.py", 1, 1)]),
    ]


class RemovedStdlibModule(_ImportVisitor):
    """Import of a standard-library module that Python 3.13 no longer has.

    ## What it does
    Reports an import of a module removed from the standard library by Python 3.13 (PEP 594:
    `cgi`, `imghdr`, `audioop`, `telnetlib`, `pipes`, … and `lib2to3`) or earlier (`distutils`,
    `imp`, `asyncore`, …). Guarded imports are fine.

    ## Why is this bad?
    The pipelines runtime runs Python 3.13: the import fails when the model loads with
    `ModuleNotFoundError: No module named 'imghdr'`, although it works on an older Python.

    ## Example
    ```python
    import imghdr

    kind = imghdr.what(path)
    ```

    ## Use instead
    ```python
    from PIL import Image

    kind = Image.open(path).format
    ```
    """

    code = "PL207"
    name = "removed-stdlib-module"

    def on_import(self, node, module: str, level: int, guarded: bool) -> None:
        if level or guarded or not module:
            return
        top = _top(module)
        if _found_as(self.project, top) != "removed":
            return
        runtime = self.project.runtime
        removed_in = runtime.removed[top]
        instead = _REMOVED_ALTERNATIVES.get(top)
        self.report(node, f"`{top}` was removed from the standard library in Python {removed_in}, and the runtime runs "
                          f"Python {runtime.python} (`No module named '{top}'`)",
                    help=f"use {instead} instead" if instead else "replace it with another module")

    VALID = [Case("import wave, shlex, importlib\n\ndef run(prompt: str) -> str:\n    return prompt\n"),
             Case({"main.py": "import imghdr\n\ndef run(prompt: str) -> str:\n    return prompt\n",
                   "imghdr.py": "def what(p):\n    return None\n"})]
    INVALID = [
        Case("import imghdr\n\ndef run(prompt: str) -> str:\n    return prompt\n", expect=[(1, 8)]),
        Case("from cgi import parse_header\nfrom distutils.util import strtobool\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(1, 6), (2, 6)]),
        Case("def run(prompt: str) -> str:\n    import audioop, telnetlib\n    return prompt\n", expect=[(2, 12), (2, 21)]),
    ]


# ---- requirements helpers -------------------------------------------------------------------
def _applies_on_runtime(req) -> bool:
    from pipelint.model.runtime import MARKER_ENVIRONMENT

    if req.marker is None:
        return True
    try:
        return req.marker.evaluate(dict(MARKER_ENVIRONMENT, extra=""))
    except Exception:  # an unknown marker variable: assume it applies
        return True


def _runtime_requirements(project):
    """(file, line) of every requirement (following ``-r``) that applies on the runtime's platform."""
    from pipelint.model.requirements import with_includes

    for source, reqs in with_includes(project):
        for line in reqs.requirements:
            if _applies_on_runtime(line.requirement):
                yield source, line


def _spec(line) -> str:
    """The requirement as written, without pip's per-requirement options (``--hash=…``)."""
    return re.split(r"\s+--?\w", line.text, maxsplit=1)[0].strip()


def _report_line(rule: Rule, source, line, message: str, **kw) -> None:
    raw = source.lines()[line.line - 1] if line.line <= len(source.lines()) else ""
    end_col = line.end_column if line.end_line == line.line else len(raw) + 1
    rule.report_at(source.path, Position(line.line, line.column), Position(line.line, max(end_col, line.column)),
                   message, **kw)


def _end_of(text: str) -> Position:
    from pipelint.core.source import line_offsets

    starts = line_offsets(text)
    return Position(len(starts), len(text) - starts[-1] + 1)

