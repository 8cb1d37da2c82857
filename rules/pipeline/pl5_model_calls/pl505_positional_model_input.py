"""PL505 positional-model-input: Positional arguments in a call to a model."""

from __future__ import annotations

from pipelint.analysis.calls import model_label
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import ModelRule

HEADER = "import replicate\n\n"
FLUX = 'flux = replicate.use("black-forest-labs/flux-schnell")\n'


class PositionalModelInput(ModelRule):
    """Positional arguments in a call to a model.

    ## What it does
    Reports `flux("a cat")` or `flux.create("a cat")` where `flux` is a model from
    `replicate.use()`.

    ## Why is this bad?
    A model's function takes inputs by keyword only; replicate silently drops positional
    arguments, so the model runs without them (or fails because a required input is missing).

    ## Example
    ```python
    images = flux("a cat wearing a hat")
    ```

    ## Use instead
    ```python
    images = flux(prompt="a cat wearing a hat")
    ```
    """

    code = "PL505"
    name = "positional-model-input"

    def check(self) -> None:
        for module, facts in self.each_module():
            for call in facts.calls:
                positional = call.positional
                if not positional:
                    continue
                sig = call.use.signature
                if sig is not None and len(positional) <= len(sig.in_order) and not any(a.star for a in positional):
                    names = ", ".join(f"{n}=…" for n in sig.in_order[: len(positional)])
                    help = f"pass inputs by keyword: `{module.code_for(call.node.func)}({names})`"
                else:
                    help = f"pass inputs by keyword, with the names of the model's inputs: `{module.code_for(call.node.func)}(prompt=…)`"
                self.report(positional[0], f"positional arguments to model {model_label(call.use)} are silently dropped: "
                                           f"the model runs without them", module=module, help=help)

    VALID = [Case(HEADER + FLUX + "\ndef run(prompt: str) -> str:\n    kw = {'prompt': prompt}\n    flux(**kw)\n"
                  "    return str(flux(prompt=prompt))\n")]
    INVALID = [
        Case(HEADER + FLUX + "\ndef run(prompt: str) -> str:\n    run1 = flux.create(prompt)\n    return str(flux(prompt, seed=1))\n",
             expect=[(6, 24, 6, 30, "positional arguments to model `black-forest-labs/flux-schnell` are silently "
                                    "dropped"),
                     (7, 21, 7, 27, "positional arguments to model `black-forest-labs/flux-schnell` are silently "
                                    "dropped")]),
        Case("from replicate import use\n\ndef hint(*, prompt: str) -> str: ...\n\nm = use('a/b', hint=hint)\n\n"
             "def run(prompt: str) -> str:\n    return m(prompt)\n",
             expect=[(8, 14, 8, 20, "positional arguments to model `a/b` are silently dropped")]),
    ]
