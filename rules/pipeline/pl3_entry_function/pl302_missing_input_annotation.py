"""PL302 missing-input-annotation: An input of the entry has no type annotation."""

from __future__ import annotations

from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


def suggest_type(param) -> str:
    """A type to suggest for an input, guessed from its literal default."""
    value = param.default_literal
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return type(value).__name__
    if isinstance(value, list) and value and len({type(v) for v in value}) == 1:
        inner = {str: "str", int: "int", float: "float", bool: "bool"}.get(type(value[0]))
        if inner:
            return f"list[{inner}]"
    return "str"


class MissingInputAnnotation(EntryRule):
    """An input of the entry has no type annotation.

    ## What it does
    Reports a parameter of the entry function (or of a class entry's `predict()`, `self`
    aside) without a type annotation.

    ## Why is this bad?
    The runtime reads each input's type from its annotation to build the model's schema and
    to convert the values it receives. Without one the model fails to load:
    `missing type annotation for input: prompt`.

    ## Example
    ```python
    def run(prompt, steps=Input(default=4)) -> str:
        ...
    ```

    ## Use instead
    ```python
    def run(prompt: str, steps: int = Input(default=4)) -> str:
        ...
    ```
    """

    code = "PL302"
    name = "missing-input-annotation"

    def check_entry(self, entry) -> None:
        for p in entry.inputs:
            if p.annotation is None:
                self.report(
                    p.node.name, f"input `{p.name}` has no type annotation (`missing type annotation for input: {p.name}`)",
                    help=f"annotate it, e.g. `{p.name}: {suggest_type(p)}`")

    VALID = [
        Case("def run(prompt: str) -> str:\n    return prompt\n"),
        Case({"cog.yaml": 'predict: "main.py:Predictor"\n',
              "main.py": "from cog import BasePredictor\n\nclass Predictor(BasePredictor):\n"
                         "    def predict(self, prompt: str) -> str:\n        return prompt\n"}),
    ]
    INVALID = [
        Case("def run(prompt) -> str:\n    return prompt\n",
             expect=[(1, 9, 1, 15, "input `prompt` has no type annotation")]),
        Case("from cog import Input\n\ndef run(\n    prompt: str,\n    steps=Input(default=4),\n) -> str:\n    return prompt\n",
             expect=[(5, 5, 5, 10, "input `steps` has no type annotation")]),
        Case("import cog\n\nasync def run(a, b=cog.Input(default=1.5)) -> str:\n    return a\n",
             expect=[(3, 15, 3, 16, "input `a` has no type annotation"),
                     (3, 18, 3, 19, "input `b` has no type annotation")]),
        Case({"cog.yaml": 'predict: "main.py:Predictor"\n',
              "main.py": "from cog import BasePredictor\n\nclass Predictor(BasePredictor):\n"
                         "    def predict(self, prompt) -> str:\n        return prompt\n"},
             expect=[(4, 23, 4, 29, "input `prompt` has no type annotation")]),
    ]
