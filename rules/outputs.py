"""PL402, PL404, PL406, PL407, PL409–PL412: what the entry returns.

The judgement (which part of the return type is wrong, and which rule says so) is made once,
in ``pipelint.analysis.entry``; these rules word it.
"""

from __future__ import annotations

from pipelint.core.diagnostics import Applicability, Severity
from pipelint.analysis.entry import METADATA as ENTRY_METADATA
from pipelint.analysis.entry import EntryRule
from pipelint.engine.rule import Case, Rule
HELP_OUTPUT = ("return str, int, float, bool or cog.Path, a `list[...]` or `Iterator[...]` of one, "
               "or an `Output(cog.BaseModel)` with such fields")


def subject(entry, finding) -> str:
    """Who has the type: ``run()`` (its return type) or ``output field `x```."""
    if finding.field is not None:
        return f"output field `{finding.field.name}` of `{finding.model.name}`"
    return f"`{entry.func_name}()`"


class DictOutput(EntryRule):
    """`dict` as the return type or an Output field.

    ## What it does
    Reports `dict` in any spelling (`dict`, `dict[str, int]`, `Dict[...]`, `typing.Dict`)
    as the entry's return type, the element of a returned list or iterator, or the type of a
    field of the Output model.

    ## Why is this bad?
    The pinned pipelines runtime has no way to serialise a dict and refuses the model when it
    loads (`unsupported Cog type <class 'dict'>`). The guide: "Do NOT use `dict` as an output
    type!"

    ## Example
    ```python
    def run() -> dict:
        return {"text": "hello", "score": 0.95}
    ```

    ## Use instead
    ```python
    class Output(BaseModel):
        text: str
        score: float

    def run() -> Output:
        return Output(text="hello", score=0.95)
    ```
    """

    code = "PL402"
    name = "dict-output"

    def check_entry(self, entry) -> None:
        for f in self.output_findings(entry):
            shown = entry.text(f.part)
            if f.detail == "field":
                what = f"{subject(entry, f)} is a `{shown}`"
            elif f.detail == "element":
                what = f"`{entry.func_name}()` returns a sequence of `{shown}`"
            else:
                what = f"`{entry.func_name}()` returns `{shown}`"
            help_ = ("split it into typed fields of the Output model (or a JSON `str` field)" if f.detail == "field"
                     else "define `class Output(BaseModel)` with one typed field per key (or return a JSON `str`)")
            self.report(f.node, f"{what}, which the pipelines runtime cannot serialise (`unsupported Cog type {shown}`)",
                        help=help_)

    VALID = [Case("from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
                  "def run() -> Output:\n    return Output(text='x')\n")]
    INVALID = [
        Case("def run() -> dict:\n    return {}\n", expect=[(1, 14)]),
        Case("from typing import Dict, Iterator\n\n\ndef run() -> Iterator[Dict[str, int]]:\n    yield {}\n",
             expect=[(4, 23)]),
        Case("import typing\nfrom cog import BaseModel\n\n\nclass Output(BaseModel):\n    meta: typing.Optional[typing.Dict]\n\n\n"
             "def run() -> 'Output':\n    return Output(meta=None)\n", expect=[(6, 27)]),
        Case("def run() -> list[dict[str, str]]:\n    return []\n", expect=[(1, 19)]),
    ]


class SequenceOfModels(EntryRule):
    """A list or iterator of Output objects as the return type.

    ## What it does
    Reports `list[Output]`, `Iterator[Output]` (and the like) where the element is a
    `BaseModel` class.

    ## Why is this bad?
    The pinned pipelines runtime serialises models only as the whole output, not as list or
    iterator elements, and refuses the model when it loads
    (`unsupported Cog type <class 'main.Output'>`). The guide lists `list[Output]` as not
    supported.

    ## Example
    ```python
    def run() -> list[Output]:
        return [Output(text="hello"), Output(text="world")]
    ```

    ## Use instead
    ```python
    def run() -> list[str]:
        return ["hello", "world"]
    ```
    """

    code = "PL404"
    name = "sequence-of-models"

    def check_entry(self, entry) -> None:
        for f in self.output_findings(entry):
            name = f.model.name
            self.report(f.node, f"`{entry.func_name}()` returns a sequence of `{name}` objects, which the pipelines "
                        f"runtime cannot serialise (`unsupported Cog type <class '{entry.module.name}.{name}'>`)",
                        help="return a `list[str]`/`list[Path]`, or one `Output` with singular fields")

    VALID = [Case("from cog import Path\n\n\ndef run() -> list[Path]:\n    return []\n")]
    INVALID = [
        Case("from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str\n\n\n"
             "def run() -> list[Output]:\n    return []\n", expect=[(8, 19)]),
        Case("from typing import Iterator\nfrom cog import BaseModel as BM\n\n\n"
             "def run() -> Iterator['Output']:\n    yield Output(text='x')\n\n\nclass Output(BM):\n    text: str\n",
             expect=[(5, 23)]),
    ]


class OptionalOutput(EntryRule):
    """The return type is Optional.

    ## What it does
    Reports `-> Optional[T]`, `-> T | None` and `-> Union[T, None]` on the entry.

    ## Why is this bad?
    Every runtime refuses an optional output when the model loads
    (`output must not be Optional`): a pipeline must always produce its output.

    ## Example
    ```python
    def run(prompt: str) -> Optional[str]:
        ...
    ```

    ## Use instead
    ```python
    def run(prompt: str) -> str:
        ...
    ```
    """

    code = "PL406"
    name = "optional-output"

    def check_entry(self, entry) -> None:
        for f in self.output_findings(entry):
            inner = entry.text(f.part.inner)
            self.report(f.node, f"`{entry.func_name}()` returns an Optional type (`output must not be Optional`)",
                        help=f"annotate `-> {inner}` and always return a value (an empty one if there is nothing)")

    VALID = [Case("def run() -> str:\n    return ''\n")]
    INVALID = [
        Case("from typing import Optional\n\n\ndef run() -> Optional[str]:\n    return None\n", expect=[(4, 14)]),
        Case("from cog import Path\n\n\ndef run() -> Path | None:\n    return None\n", expect=[(4, 14)]),
        Case("import typing as t\n\n\nasync def run() -> 't.Union[None, int]':\n    return 1\n", expect=[(4, 20)]),
    ]


class SecretOutput(EntryRule):
    """`Secret` as the return type or an Output field.

    ## What it does
    Reports `cog.Secret` as the entry's return type, its list or iterator element, or an
    Output field.

    ## Why is this bad?
    The guide: outputs may be any input type "with the exception of `Secret`". A secret
    returned by the model is stored with the prediction's output, which defeats the point
    of taking it as a `Secret`. No runtime checks it, so nothing fails until it leaks.

    ## Example
    ```python
    def run(api_key: Secret) -> Secret:
        return api_key
    ```

    ## Use instead
    ```python
    def run(api_key: Secret) -> str:
        return "done"
    ```
    """

    code = "PL407"
    name = "secret-output"
    severity = Severity.WARNING

    def check_entry(self, entry) -> None:
        for f in self.output_findings(entry):
            who = subject(entry, f)
            verb = "is" if f.field is not None else "returns"
            self.report(f.node, f"{who} {verb} a `Secret`: the guide forbids secrets in outputs, which are stored "
                        "with the prediction", help="return only values that are safe to show (as `str` or another type)")

    VALID = [Case("from cog import Secret\n\n\ndef run(key: Secret) -> str:\n    return 'ok'\n")]
    INVALID = [
        Case("from cog import Secret\n\n\ndef run(key: Secret) -> Secret:\n    return key\n", expect=[(4, 25)]),
        Case("import cog\n\n\nclass Output(cog.BaseModel):\n    token: cog.Secret\n\n\ndef run() -> Output:\n"
             "    return Output(token='x')\n", expect=[(5, 12)]),
    ]


def _file_uses(module, resolver):
    """(import statement line, ImportFrom, alias) for each ``from cog import File``, and the ``cog.File``
    attribute uses."""
    import libcst as cst

    from pipelint.edits import pyedit
    from pipelint.analysis.annotations import FILES

    imports = []
    for stmt, imp in pyedit.top_level_imports(module):
        if isinstance(imp, cst.ImportFrom) and not imp.relative and not isinstance(imp.names, cst.ImportStar) \
                and pyedit._dotted(imp.module) in ("cog", "cog.types"):
            for alias in imp.names:
                if pyedit._dotted(alias.name) == "File":
                    imports.append((stmt, imp, alias))
    attributes = []

    class Finder(cst.CSTVisitor):
        def visit_Attribute(self, node) -> bool:
            if node.attr.value == "File" and resolver.qualified_names(node) & FILES:
                attributes.append(node)
                return False
            return True

    module.tree.visit(Finder())
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
             expect=[(3, 28)],
             fixed="import io\n\nfrom cog import BaseModel, Path\n\n\nclass Output(BaseModel):\n    file: Path\n    text: str\n\n\n"
                   "def run() -> Output:\n    return Output(text='hello', file=io.StringIO('hello'))\n"),
        Case("from cog import File, Input, Path\n\n\ndef run(f: File = Input(description='f')) -> 'File':\n    return f\n",
             expect=[(1, 17)],
             fixed="from cog import Input, Path\n\n\ndef run(f: Path = Input(description='f')) -> 'Path':\n    return f\n"),
        Case("import cog\n\n\ndef run() -> list[cog.File]:\n    return []\n", expect=[(4, 19)],
             fixed="import cog\n\n\ndef run() -> list[cog.Path]:\n    return []\n"),
        Case("from cog import File as F\n\n\ndef run() -> F:\n    return F()\n", expect=[(1, 17)],
             fixed="from cog import Path\n\n\ndef run() -> Path:\n    return Path()\n"),
        Case("from pathlib import Path\n\nfrom cog import File\n\n\ndef run(doc: File) -> Path:\n    return Path(doc.name)\n",
             expect=[(3, 17)],
             fixed="from pathlib import Path\n\n\ndef run(doc: Path) -> Path:\n    return Path(doc.name)\n"),
    ]


def _path_in_scope(module) -> str | None:
    """How the module already names a Path the runtime accepts: cog's (however imported) or pathlib's."""
    from pipelint.edits import pyedit
    from pipelint.analysis.annotations import PATHS

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


class IteratorOutput(EntryRule):
    """An iterator return type the runtime refuses.

    ## What it does
    Reports a bare `Iterator` (no element type), an Optional or list element
    (`Iterator[Optional[str]]`), `ConcatenateIterator` of anything but `str`, an
    `AsyncIterator` returned by a plain `def`, and an `Iterator` returned by an `async def`.

    ## Why is this bad?
    The runtime inspects iterator outputs when the model loads and refuses these:
    `iterator type must have a type argument`, `ConcatenateIterator must have str element`,
    an empty `AssertionError` for Optional or list elements. A sync/async mismatch breaks the
    way the runtime consumes the output.

    ## Example
    ```python
    async def run(prompt: str) -> Iterator[str]:
        ...
    ```

    ## Use instead
    ```python
    async def run(prompt: str) -> AsyncIterator[str]:
        ...
    ```
    """

    code = "PL410"
    name = "invalid-iterator-output"

    def check_entry(self, entry) -> None:
        for f in self.output_findings(entry):
            fn = entry.func_name
            shown = entry.text(f.part)
            if f.what == "bare":
                msg = f"`{fn}()` returns `{shown}` without an element type (`{f.detail}`)"
                help_ = f"say what it yields: `{shown}[str]`"
            elif f.what == "async-on-sync":
                msg = f"`{fn}()` is a plain function but returns `{shown}`, an async iterator"
                help_ = f"make it `async def {fn}` (an async generator), or return `Iterator[...]`"
            elif f.what == "sync-on-async":
                msg = f"`{fn}()` is `async` but returns `{shown}`, a synchronous iterator"
                help_ = "return `AsyncIterator[...]` (or `AsyncConcatenateIterator[str]`), or make it a plain `def`"
            elif f.what == "element":
                msg = f"the iterator yields `{shown}`: each item must be a single value (`{f.detail}`)"
                help_ = "yield single values, e.g. `Iterator[str]`"
            else:
                msg = f"`{entry.text(f.container)}` must yield `str`, not `{shown}` (`{f.detail}`)"
                help_ = "concatenating iterators stream text: use `ConcatenateIterator[str]`, or `Iterator[...]` otherwise"
            self.report(f.node, msg, help=help_)

    VALID = [
        Case("from typing import Iterator\n\n\ndef run() -> Iterator[str]:\n    yield 'x'\n"),
        Case("from collections.abc import AsyncIterator\n\n\nasync def run() -> AsyncIterator[int]:\n    yield 1\n"),
        Case("from cog import ConcatenateIterator\n\n\ndef run() -> ConcatenateIterator[str]:\n    yield 'x'\n"),
        Case("import cog\n\n\nasync def run() -> cog.AsyncConcatenateIterator[str]:\n    yield 'x'\n"),
    ]
    INVALID = [
        Case("from typing import Iterator\n\n\ndef run() -> Iterator:\n    yield 'x'\n", expect=[(4, 14)]),
        Case("import typing as t\n\n\ndef run() -> t.Iterator[t.Optional[str]]:\n    yield None\n", expect=[(4, 25)]),
        Case("from cog import ConcatenateIterator\n\n\ndef run() -> ConcatenateIterator[int]:\n    yield 1\n",
             expect=[(4, 34)]),
        Case("from typing import AsyncIterator\n\n\ndef run() -> AsyncIterator[str]:\n    return iter([])\n",
             expect=[(4, 14)]),
        Case("from typing import Iterator\n\n\nasync def run() -> 'Iterator[str]':\n    yield 'x'\n", expect=[(4, 20)]),
    ]


class AnyOutput(EntryRule):
    """`-> Any`: the output has no schema.

    ## What it does
    Reports `typing.Any` as the entry's return type.

    ## Why is this bad?
    The model loads, with a warning (`use of Any as output type is error-prone and highly
    discouraged`): the output gets no schema, so callers and other pipelines cannot know
    what they receive, and values the runtime cannot serialise fail only at prediction time.

    ## Example
    ```python
    def run(prompt: str) -> Any:
        ...
    ```

    ## Use instead
    ```python
    def run(prompt: str) -> str:
        ...
    ```
    """

    code = "PL411"
    name = "any-output"
    severity = Severity.WARNING

    def check_entry(self, entry) -> None:
        for f in self.output_findings(entry):
            self.report(f.node, f"`{entry.func_name}()` returns `Any`, so its output has no schema "
                        "(`use of Any as output type is error-prone and highly discouraged`)",
                        help="annotate the real type: a scalar, `Path`, a list of one, or an `Output` model")

    VALID = [Case("from typing import Any\n\n\ndef helper() -> Any:\n    pass\n\n\ndef run() -> str:\n    return ''\n")]
    INVALID = [
        Case("from typing import Any\n\n\ndef run() -> Any:\n    return 1\n", expect=[(4, 14)]),
        Case("import typing\n\n\ndef run() -> 'typing.Any':\n    return 1\n", expect=[(4, 14)]),
    ]


class UnsupportedOutputType(EntryRule):
    """A return type (or Output field type) the runtime cannot serialise.

    ## What it does
    Reports return types outside what the pipelines runtime serialises: tuples, sets,
    unions, `bytes`, `datetime`, nested lists, a bare `list`, classes that do not subclass
    `cog.BaseModel` (plain classes, dataclasses, third-party types), and Output fields of
    such types.

    ## Why is this bad?
    The runtime builds an encoder for the output when the model loads and refuses types it
    has none for (`unsupported Cog type tuple[str, int]`,
    `unsupported union type str | int`).

    ## Example
    ```python
    def run(prompt: str) -> tuple[str, float]:
        ...
    ```

    ## Use instead
    ```python
    class Output(BaseModel):
        text: str
        score: float

    def run(prompt: str) -> Output:
        ...
    ```
    """

    code = "PL412"
    name = "unsupported-output-type"

    def check_entry(self, entry) -> None:
        for f in self.output_findings(entry):
            shown = entry.text(f.part)
            if f.what == "plain-class":
                msg = f"`{entry.func_name}()` returns `{shown}`, a class that does not subclass `cog.BaseModel` " \
                      f"(`{f.detail}`)"
                help_ = "make it `class Output(BaseModel)`, with `BaseModel` imported from cog"
            elif f.field is not None:
                msg = f"{subject(entry, f)} has type `{shown}`, which the runtime cannot serialise (`{f.detail}`)"
                help_ = "use str, int, float, bool or cog.Path, or `Optional[...]` of one"
            else:
                msg = f"`{entry.func_name}()` returns `{shown}`, which the runtime cannot serialise (`{f.detail}`)"
                help_ = HELP_OUTPUT
                if f.part.kind == "other" and f.part.name in ("Generator", "AsyncGenerator"):
                    help_ = "annotate a generator by what it yields: `Iterator[str]` (`AsyncIterator[str]` when async)"
            self.report(f.node, msg, help=help_)

    VALID = [
        Case("import pathlib\n\n\ndef run() -> pathlib.Path:\n    return pathlib.Path('/tmp/x')\n"),
        Case({"main.py": "from helpers import Output\n\n\ndef run() -> Output:\n    return Output()\n",
              "helpers.py": "from cog import BaseModel\n\n\nclass Output(BaseModel):\n    text: str = ''\n"}),
    ]
    INVALID = [
        Case("def run() -> tuple[str, float]:\n    return ('a', 1.0)\n", expect=[(1, 14)]),
        Case("def run() -> str | int:\n    return 1\n", expect=[(1, 14)]),
        Case("from dataclasses import dataclass\n\n\n@dataclass\nclass Output:\n    text: str\n\n\n"
             "def run() -> Output:\n    return Output('x')\n", expect=[(9, 14)]),
        Case("from typing import List\n\n\ndef run() -> List[List[str]]:\n    return []\n", expect=[(4, 19)]),
        Case("from cog import BaseModel\nimport datetime\n\n\nclass Output(BaseModel):\n    when: datetime.datetime\n\n\n"
             "def run() -> Output:\n    return Output(when=datetime.datetime.now())\n", expect=[(6, 11)]),
        Case("from PIL import Image\n\n\ndef run() -> Image.Image:\n    return Image.new('RGB', (1, 1))\n",
             expect=[(4, 14)]),
        Case("from typing import Generator\n\n\ndef run() -> Generator[str, None, None]:\n    yield 'x'\n",
             expect=[(4, 14)]),
    ]
