"""PL509 model-call-signature-mismatch: A model call that does not match the model's `hint` signature."""

from __future__ import annotations

from pipelint.analysis.calls import model_label
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import ModelRule


class ModelCallSignatureMismatch(ModelRule):
    """A model call that does not match the model's `hint` signature.

    ## What it does
    When `use()` gets a signature, a `hint=` function or the guide's typed class
    (`use(FluxDev())` with a `__call__`), reports calls of the model (and of its `.create`)
    that leave out a required input or pass a keyword the signature does not have.

    ## Why is this bad?
    The signature is the model's interface as you wrote it down: a call that does not match
    it fails on Replicate with a missing input, or sends an input the model ignores.

    ## Example
    ```python
    def hint(*, prompt: str, seed: int | None = None) -> str: ...

    flux_dev = replicate.use("black-forest-labs/flux-dev", hint=hint)

    def run() -> str:
        return flux_dev(seed=1)
    ```

    ## Use instead
    ```python
    def run() -> str:
        return flux_dev(prompt="a cat", seed=1)
    ```
    """

    code = "PL509"
    name = "model-call-signature-mismatch"
    severity = Severity.WARNING

    def check(self) -> None:
        for module, facts in self.each_module():
            for call in facts.calls:
                sig = call.use.signature
                if sig is None or call.positional:
                    continue
                keywords = {a.keyword.value: a for a in call.node.args if a.keyword is not None}
                label = model_label(call.use)
                if not sig.any_keyword:
                    for keyword, arg in keywords.items():
                        if keyword not in sig.accepted:
                            self.report(arg.keyword, f"`{keyword}` is not an input of model {label} according to its "
                                                     f"{sig.source}", module=module,
                                        help=f"its inputs are {_names(sorted(sig.accepted))}")
                if any(a.star == "**" for a in call.node.args):
                    continue
                missing = [n for n in sig.required if n not in keywords]
                if missing:
                    self.report(call.node, f"the call of model {label} leaves out the required input"
                                           f"{'s' if len(missing) > 1 else ''} {_names(missing)} of its {sig.source}",
                                module=module, help=f"pass {', '.join(f'{n}=…' for n in missing)}")

    VALID = [Case("from pathlib import Path\nimport replicate\n\n"
                  "def hint(*, prompt: str, image: Path | None = None, seed: int | None = None) -> str: ...\n\n"
                  "flux_dev = replicate.use('black-forest-labs/flux-dev', hint=hint)\n\n"
                  "def run(prompt: str) -> str:\n    extra = {}\n    flux_dev(**extra)\n    return flux_dev(prompt=prompt, seed=1)\n")]
    INVALID = [
        Case("from pathlib import Path\nimport replicate\n\n"
             "def hint(*, prompt: str, image: Path | None = None, seed: int | None = None) -> str: ...\n\n"
             "flux_dev = replicate.use('black-forest-labs/flux-dev', hint=hint)\n\n"
             "def run(prompt: str) -> str:\n    output1 = flux_dev()\n    return flux_dev.create(prompt=prompt, steps=4).output()\n",
             expect=[(9, 15, 9, 25, "the call of model `black-forest-labs/flux-dev` leaves out the required input "
                                    "`prompt` of its hint function `hint`"),
                     (10, 43, 10, 48, "`steps` is not an input of model `black-forest-labs/flux-dev` according to "
                                      "its hint function `hint`")]),
        Case("import replicate\n\nclass FluxDev:\n    name = 'black-forest-labs/flux-dev'\n\n"
             "    def __call__(self, *, prompt: str, seed: int = 0) -> str: ...\n\nflux = replicate.use(FluxDev())\n\n"
             "def run(prompt: str) -> str:\n    return flux(promt=prompt)\n",
             expect=[(11, 12, 11, 30, "the call of model `flux` leaves out the required input `prompt` of its "
                                      "`FluxDev.__call__`"),
                     (11, 17, 11, 22, "`promt` is not an input of model `flux` according to its `FluxDev.__call__`")]),
    ]


def _names(names) -> str:
    return ", ".join(f"`{n}`" for n in names)
