"""PL506 model-call-at-import: A model called when the module is imported."""

from __future__ import annotations

from pipelint.analysis.calls import model_label
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import ModelRule

HEADER = "import replicate\n\n"
FLUX = 'flux = replicate.use("black-forest-labs/flux-schnell")\n'


class ModelCallAtImport(ModelRule):
    """A model called when the module is imported.

    ## What it does
    Reports a call to a model from `replicate.use()` (or `.create()`) that runs at import time:
    at module level, in a class body, or in a function's default values or decorators. Calls
    under `if __name__ == "__main__":` are fine.

    ## Why is this bad?
    The call runs, and bills, every time the model loads, before any prediction, and its
    result is the same for every prediction.

    ## Example
    ```python
    flux = replicate.use("black-forest-labs/flux-schnell")
    images = flux(prompt="a cat")
    ```

    ## Use instead
    ```python
    flux = replicate.use("black-forest-labs/flux-schnell")

    def run(prompt: str) -> Path:
        return flux(prompt=prompt)[0]
    ```
    """

    code = "PL506"
    name = "model-call-at-import"

    def check(self) -> None:
        for module, facts in self.each_module():
            for call in facts.calls:
                if not call.import_time:
                    continue
                self.report(call.node, f"model {model_label(call.use)} is called when the module is imported: it runs, "
                                       f"and bills, every time the model loads", module=module,
                            help="call it inside the entry function")

    VALID = [Case(HEADER + FLUX + "\ndef run(prompt: str) -> str:\n    return str(flux(prompt=prompt))\n\n"
                  "if __name__ == '__main__':\n    print(flux(prompt='test'))\n")]
    INVALID = [
        Case(HEADER + FLUX + "images = flux(prompt='a cat')\nrun1 = flux.create(prompt='a dog')\n\n"
             "def run(prompt: str, n=flux(prompt='x')) -> str:\n    return prompt\n",
             expect=[(4, 10, 4, 30, "model `black-forest-labs/flux-schnell` is called when the module is imported"),
                     (5, 8, 5, 35, "model `black-forest-labs/flux-schnell` is called when the module is imported"),
                     (7, 24, 7, 40, "model `black-forest-labs/flux-schnell` is called when the module is imported")]),
        Case(HEADER + "out = replicate.use('a/b')(prompt='x')\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(3, 7, 3, 39, "model `a/b` is called when the module is imported")]),
    ]
