"""PL303 missing-return-annotation: The entry has no return annotation."""

from __future__ import annotations

from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class MissingReturnAnnotation(EntryRule):
    """The entry has no return annotation.

    ## What it does
    Reports an entry function (or a class entry's `predict()`) without `-> Type`.

    ## Why is this bad?
    The runtime builds the output schema from the return annotation and refuses to load a
    model without one (`run() must have a return type annotation`; the pinned runtime says
    `predict() must not return None`).

    ## Example
    ```python
    async def run():
        ...
    ```

    ## Use instead
    ```python
    async def run() -> str:
        ...
    ```
    """

    code = "PL303"
    name = "missing-return-annotation"

    def check_entry(self, entry) -> None:
        if entry.function.returns is not None:
            return
        f = entry.func_name
        self.report(
            entry.function.name, f"`{f}()` has no return type annotation (`{f}() must have a return type annotation`)",
            help=f"annotate what it returns, e.g. `def {f}(...) -> str:`; a pipeline must return a value")

    VALID = [Case("def run() -> str:\n    return 'x'\n")]
    INVALID = [
        Case("def run():\n    return 'x'\n", expect=[(1, 5, 1, 8, "`run()` has no return type annotation")]),
        Case("import asyncio\n\nasync def run():\n    return 'x'\n",
             expect=[(3, 11, 3, 14, "`run()` has no return type annotation")]),
        Case("import functools\n\n@functools.cache\ndef run(\n    prompt: str,\n):\n    return prompt\n",
             expect=[(4, 5, 4, 8, "`run()` has no return type annotation")]),
        Case({"cog.yaml": 'predict: "main.py:Predictor"\n',
              "main.py": "from cog import BasePredictor\n\nclass Predictor(BasePredictor):\n"
                         "    def predict(self):\n        return 1\n"},
             expect=[(4, 9, 4, 16, "`predict()` has no return type annotation")]),
    ]
