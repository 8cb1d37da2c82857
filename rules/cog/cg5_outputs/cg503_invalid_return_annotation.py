"""CG503 invalid-return-annotation: The entry has no return annotation, or returns None, an Optional or a union."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_YAML = 'build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\n'


def _case(src, yaml=_YAML, **kw):
    return Case({"cog.yaml": yaml, "main.py": None, "predict.py": src}, **kw)


class InvalidReturnAnnotation(Rule):
    """The entry has no return annotation, or returns `None`, an `Optional` or a union.

    ## What it does
    Reports the `run()`/`predict()` (or `train()`) method or function that cog.yaml's entry
    names when it has no return annotation, or when it is annotated `-> None`,
    `-> Optional[T]` / `-> T | None`, or a union of types (`-> str | int`).

    ## Why is this bad?
    cog builds the model's output schema from the return annotation. Without one the build
    stops (`image build failed: run`); `None` is not a type it can resolve (`cannot resolve type
    'None' (imported from 'builtins')`); an optional output is refused (`unsupported output
    type: Optional is not allowed as a return type`), and so is a union (`unsupported type:
    union types are not supported as output`). Older SDKs refuse them when the model loads
    (`output must not be Optional`, `run() must not return None`).

    ## Example
    ```python
    class Runner(BaseRunner):
        def run(self, prompt: str) -> Optional[str]:
            ...
    ```

    ## Use instead
    ```python
    class Runner(BaseRunner):
        def run(self, prompt: str) -> str:
            ...  # return "" (or raise) instead of None
    ```
    """

    code = "CG503"
    name = "invalid-return-annotation"
    severity = Severity.ERROR
    targets = ("cog",)
    files = ("python",)

    def check(self) -> None:
        from pipelint.analysis import annotations as T
        from pipelint.analysis.cog_entry import cog_entry

        for key in (None, "train"):
            e = cog_entry(self.project, key)
            if e is None or e.function is None:
                continue
            f = e.function
            name = f"{f.name.value}()"
            t = e.returns
            if t is None:
                self.report(f.name, f"`{name}` has no return annotation: cog cannot build the output schema "
                            f"(`image build failed: {f.name.value}`)", module=e.module,
                            help="annotate the type it returns: `-> str`, `-> Path`, `-> Output`, `-> Iterator[str]`")
            elif t.kind == T.NONE:
                self.report(t.node, f"`{name}` returns `None`: a model must return an output (`cannot resolve type "
                            "'None' (imported from 'builtins')`)", module=e.module,
                            help="return the result (a string, a `Path`, an `Output` model)")
            elif t.kind == T.OPTIONAL:
                self.report(t.node, f"`{name}` returns an Optional: `unsupported output type: Optional is not allowed "
                            "as a return type`", module=e.module,
                            help=f"return `{e.text(t.inner)}` and raise an error (or return an empty value) "
                                 "instead of `None`")
            elif t.kind == T.UNION:
                self.report(t.node, f"`{name}` returns a union: `unsupported type: union types are not supported as "
                            "output`", module=e.module,
                            help="return one type; to return one of several shapes, return an `Output` model "
                                 "with Optional fields")

    VALID = [
        _case("from cog import BaseRunner, Path\n\n\nclass Runner(BaseRunner):\n    def run(self) -> Path:\n"
              "        return Path('x')\n"),
        _case("from typing import Iterator\n\n\ndef run() -> Iterator[str]:\n    yield ''\n",
              yaml='build:\n  python_version: "3.12"\nrun: "predict.py:run"\n'),
    ]
    INVALID = [
        _case("from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, prompt: str):\n"
              "        return prompt\n",
              expect=[("predict.py", 5, 9, 5, 12, "`run()` has no return annotation: cog cannot build the output "
                                                  "schema (`image build failed: run`)")]),
        _case("from typing import Optional\n\nfrom cog import BasePredictor\n\n\nclass Predictor(BasePredictor):\n"
              "    def predict(self) -> Optional[str]:\n        return None\n",
              yaml='build:\n  python_version: "3.12"\npredict: "predict.py:Predictor"\n',
              expect=[("predict.py", 7, 26, 7, 39, "`predict()` returns an Optional")]),
        _case("def run() -> 'None':\n    pass\n", yaml='build:\n  python_version: "3.12"\nrun: "predict.py:run"\n',
              expect=[("predict.py", 1, 14, 1, 20, "`run()` returns `None`")]),
        _case("from cog import BaseRunner, Path\n\n\nclass Runner(BaseRunner):\n    def run(self) -> str | Path:\n"
              "        return ''\n",
              expect=[("predict.py", 5, 22, 5, 32, "`run()` returns a union")]),
    ]
