"""PL207 removed-stdlib-module: Import of a standard-library module that Python 3.13 no longer has."""

from __future__ import annotations

from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import LoadTimeImportVisitor
from pipelint.model.imports import found_as, top_level_name

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


class RemovedStdlibModule(LoadTimeImportVisitor):
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
        top = top_level_name(module)
        if found_as(self.project, top) != "removed":
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
        Case("import imghdr\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(1, 8, 1, 14, "`imghdr` was removed from the standard library in Python 3.13, and the "
                                   "runtime runs Python 3.13")]),
        Case("from cgi import parse_header\nfrom distutils.util import strtobool\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(1, 6, 1, 9, "`cgi` was removed from the standard library in Python 3.13, and the runtime "
                                  "runs Python 3.13"),
                     (2, 6, 2, 20, "`distutils` was removed from the standard library in Python 3.12, and the "
                                   "runtime runs Python 3.13")]),
        Case("def run(prompt: str) -> str:\n    import audioop, telnetlib\n    return prompt\n",
             expect=[(2, 12, 2, 19, "`audioop` was removed from the standard library in Python 3.13, and the "
                                    "runtime runs Python 3.13"),
                     (2, 21, 2, 30, "`telnetlib` was removed from the standard library in Python 3.13, and the "
                                    "runtime runs Python 3.13")]),
    ]
