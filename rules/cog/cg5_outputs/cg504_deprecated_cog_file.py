"""CG504 deprecated-cog-file: `cog.File` as an input or output type (deprecated: use `cog.Path`)."""

from __future__ import annotations

from pipelint.core.diagnostics import Applicability, Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\n'


def _case(src, **kw):
    return Case({"cog.yaml": _YAML, "main.py": None, "predict.py": src}, **kw)


class CogFile(Rule):
    """`cog.File` as an input or output type: deprecated, use `cog.Path`.

    ## What it does
    Reports `cog.File` (however imported) in the type of an entry input, in the return type,
    and in a field of an output class the entry returns (in whichever local module defines it).

    ## Why is this bad?
    cog's documentation deprecates `File` in favour of `Path`; it stays for old models and gets
    no new features. A `File` input hands the code an open file object, a `Path` input a file
    on disk.

    ## Example
    ```python
    class Runner(BaseRunner):
        def run(self, document: File) -> File:
            ...
    ```

    ## Use instead
    ```python
    class Runner(BaseRunner):
        def run(self, document: Path) -> Path:
            ...
    ```

    ## Fix safety
    The fix writes `Path` (cog's, imported if needed, or the `Path` the file already imports).
    It is unsafe: code that reads the input as a file object (`document.read()`) or returns a
    file object (`io.BytesIO`) must change to paths.
    """

    code = "CG504"
    name = "deprecated-cog-file"
    severity = Severity.INFO
    targets = ("cog",)
    files = ("python",)
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check(self) -> None:
        from pipelint.analysis import annotations as T
        from pipelint.analysis import output_models as O
        from pipelint.analysis.cog_entry import cog_entry

        seen = set()
        for key in (None, "train"):
            e = cog_entry(self.project, key)
            if e is None or e.function is None:
                continue
            for p in e.inputs:
                if p.type is not None:
                    self._parts(e.module, e.types, p.type, f"input `{p.name}`", seen)
            if e.returns is not None:
                self._parts(e.module, e.types, e.returns, f"the output of `{e.func_name}()`", seen)
        for model in O.output_classes(self.project):
            for f in model.fields:
                self._parts(O.module_of(model), model.resolver, f.type, f"output field `{f.name}` of `{model.name}`",
                            seen)
        del T

    def _parts(self, module, types, t, subject, seen):
        from pipelint.analysis import annotations as T

        for part in t.parts():
            if part.kind != T.FILE or id(part.node) in seen:
                continue
            seen.add(id(part.node))
            fix = None
            if part.written:
                path, edits = _path_spelling(module)
                if path is not None:
                    fix = self.fix(f"Use `{path}` instead of `File`", self.edit_node(part.node, path, module), *edits)
            self.report(part.node, f"{subject} is a `cog.File`, which cog deprecates in favour of `cog.Path`",
                        module=module, help="use `cog.Path`: a file on disk instead of a file object", fix=fix)

    VALID = [
        _case("from cog import BaseRunner, Path\n\n\nclass Runner(BaseRunner):\n    def run(self, doc: Path) -> Path:\n"
              "        return doc\n"),
    ]
    INVALID = [
        _case("from cog import BaseRunner, File\n\n\nclass Runner(BaseRunner):\n    def run(self, doc: File) -> str:\n"
              "        return doc.read()\n",
              expect=[("predict.py", 5, 24, 5, 28, "input `doc` is a `cog.File`, which cog deprecates")],
              fixed={"predict.py": "from cog import BaseRunner, File, Path\n\n\nclass Runner(BaseRunner):\n"
                     "    def run(self, doc: Path) -> str:\n        return doc.read()\n"}),
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "from cog import BaseRunner\nfrom out import Output\n\n\nclass Runner(BaseRunner):\n"
                            "    def run(self) -> Output:\n        return Output(file=open('x'))\n",
              "out.py": "import cog\n\n\nclass Output(cog.BaseModel):\n    file: cog.File\n"},
             expect=[("out.py", 5, 11, 5, 19, "output field `file` of `Output` is a `cog.File`")],
             fixed={"out.py": "import cog\n\n\nclass Output(cog.BaseModel):\n    file: cog.Path\n"}),
    ]


def _path_spelling(module):
    """How to name cog's (or pathlib's) Path in ``module``, and the import edits: (None, ()) if it cannot."""
    from pipelint.analysis.annotations import PATHS
    from pipelint.edits import pyedit

    existing = pyedit.find_import(module, "cog", "Path")
    if existing is not None:
        return existing, ()
    scope = module.metadata("scope").get(module.tree)
    if scope is not None and scope.assignments["Path"]:
        if {q.name for q in scope.get_qualified_names_for("Path")} & PATHS:
            return "Path", ()
    plan = pyedit.ensure_import(module, "cog", "Path")
    return plan.name, plan.edits
