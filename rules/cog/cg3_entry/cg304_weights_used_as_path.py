"""CG304 weights-used-as-path: `setup(self, weights: Path)` used as a path."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\n'
_STR_ATTRIBUTES = frozenset(dir(str))


def _model(setup: str, body: str) -> dict:
    return {"cog.yaml": _YAML, "main.py": None,
            "predict.py": "from typing import Optional\nfrom cog import BaseRunner, Path\n\nclass Runner(BaseRunner):\n"
                          f"    {setup}\n{body}\n    def run(self) -> str:\n        return ''\n"}


class WeightsUsedAsPath(Rule):
    """`setup(self, weights: Path)` uses `weights` as a path, but cog passes a `str` or `None`.

    ## What it does
    Reports, in the `setup()` of a class entry, a `weights` parameter annotated `Path` (cog's,
    pathlib's, `File`, or an `Optional` of them) that the body uses as a path: an attribute
    that `str` does not have (`weights.exists()`, `weights.name`) or `weights / "file"`.

    ## Why is this bad?
    Since cog 0.17, coglet calls `setup(weights)` with the `COG_WEIGHTS` environment value as a
    plain `str` URL, or `None` when it is not set, whatever the annotation says (cog 0.16 and
    earlier converted it to a `cog.Path`). The path use fails at setup:
    `AttributeError: 'str' object has no attribute 'exists'`.

    ## Example
    ```python
    def setup(self, weights: Optional[Path] = None) -> None:
        if weights is not None and weights.exists():
            self.model = load(weights)
    ```

    ## Use instead
    ```python
    def setup(self, weights: Optional[str] = None) -> None:
        if weights:
            self.model = load(download(weights))
    ```
    """

    code = "CG304"
    name = "weights-used-as-path"
    severity = Severity.WARNING
    targets = ("cog",)
    cog_versions = ">=0.17"
    files = ("python",)
    metadata = ("qualified_name", "scope", "position")

    def check(self) -> None:
        from pipelint.analysis import annotations as T
        from pipelint.analysis.cog_entry import cog_entries

        seen = set()
        for e in cog_entries(self.project):
            if e.setup is None or id(e.setup) in seen:
                continue
            seen.add(id(e.setup))
            weights = next((p for p in e.setup_params if p.name == "weights"), None)
            if weights is None or weights.type is None:
                continue
            if not any(part.kind in (T.PATH, T.FILE) for part in weights.type.parts()):
                continue
            use = _first_path_use(e.setup.body)
            if use is None:
                continue
            node, shown, error = use
            self.report(node, f"`weights` is annotated `{e.module.code_for(weights.annotation)}`, but cog passes "
                              f"`setup()` the weights as a `str` URL (the `COG_WEIGHTS` value) or `None`: {shown} "
                              f"fails at setup (`{error}`)",
                        module=e.module,
                        help="annotate `weights: Optional[str] = None` and download or open the URL yourself")


def _first_path_use(body):
    """The first ``weights.<attr str lacks>`` or ``weights / …`` in ``body`` (nested functions skipped)."""
    import libcst as cst

    found = []

    class Finder(cst.CSTVisitor):
        def visit_FunctionDef(self, node) -> bool:
            return False

        visit_Lambda = visit_ClassDef = visit_FunctionDef

        def visit_Attribute(self, node) -> None:
            if (not found and isinstance(node.value, cst.Name) and node.value.value == "weights"
                    and node.attr.value not in _STR_ATTRIBUTES):
                found.append((node, f"`weights.{node.attr.value}`",
                              f"AttributeError: 'str' object has no attribute '{node.attr.value}'"))

        def visit_BinaryOperation(self, node) -> None:
            if (not found and isinstance(node.operator, cst.Divide) and isinstance(node.left, cst.Name)
                    and node.left.value == "weights"):
                found.append((node, "`weights / …`", "TypeError: unsupported operand type(s) for /: 'str' and 'str'"))

    from pipelint.model.walk import walk  # libcst's visit, without rebuilding the tree
    walk(body, Finder())
    return found[0] if found else None


WeightsUsedAsPath.VALID = [
    Case(_model("def setup(self, weights: Optional[str] = None) -> None:",
                "        if weights and weights.startswith('https://'):\n            pass\n")),
    Case(_model("def setup(self, weights: Optional[Path] = None) -> None:",
                "        self.url = str(weights) if weights else None\n"), note="annotated Path, not used as one"),
]
WeightsUsedAsPath.INVALID = [
    Case(_model("def setup(self, weights: Optional[Path] = None) -> None:",
                "        if weights is not None and weights.exists():\n            pass\n"),
         expect=[("predict.py", 6, 36, 6, 50, "`weights` is annotated `Optional[Path]`, but cog passes `setup()` "
                                              "the weights as a `str` URL")]),
    Case(_model("def setup(self, weights: Path) -> None:",
                "        self.ckpt = weights / 'model.safetensors'\n"),
         expect=[("predict.py", 6, 21, 6, 50, "`weights / …` fails at setup")]),
]
