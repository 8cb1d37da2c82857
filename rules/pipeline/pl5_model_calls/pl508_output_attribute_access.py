"""PL508 output-attribute-access: Attribute access on a model's output."""

from __future__ import annotations

from pipelint.analysis.calls import model_label
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import ModelRule

HEADER = "import replicate\n\n"
FLUX = 'flux = replicate.use("black-forest-labs/flux-schnell")\n'


class OutputAttributeAccess(ModelRule):
    """Attribute access on a model's output.

    ## What it does
    Reports `out.caption` where `out` is what a model call returned (directly, through
    `await`, or through `.create(...).output()`), when no possible output value has that
    attribute. It only reports what is certain: outputs are strings, numbers, lists, dicts,
    files (`URLPath`) or, for streaming models, iterators, and `caption` is none of their
    attributes.

    ## Why is this bad?
    A model's structured output comes back as a plain dict:
    `AttributeError: 'dict' object has no attribute 'caption'`.

    ## Example
    ```python
    out = captioner(image=image)
    return out.caption
    ```

    ## Use instead
    ```python
    out = captioner(image=image)
    return out["caption"]
    ```
    """

    code = "PL508"
    name = "output-attribute-access"
    severity = Severity.WARNING

    def check(self) -> None:
        for module, facts in self.each_module():
            for attribute, call in facts.output_attributes:
                value = module.code_for(attribute.value)
                name = attribute.attr.value
                self.report(attribute, f"`{value}.{name}`: the output of model {model_label(call.use)} is a plain value, "
                                       f"and a structured output is a dict (`'dict' object has no attribute '{name}'`)",
                            module=module, help=f'read it as a key: `{value}["{name}"]`')

    VALID = [Case(HEADER + FLUX + "llm = replicate.use('o/llm', streaming=True)\n\ndef run(prompt: str) -> str:\n"
                  "    out = flux(prompt=prompt)\n    out.append(1)\n    text = llm(prompt=prompt)\n    text.is_concatenate\n"
                  "    r = flux.create(prompt=prompt)\n    r.logs()\n    out = 'x'\n    return out.upper()\n")]
    INVALID = [
        Case(HEADER + "cap = replicate.use('o/captioner')\n\ndef run(prompt: str) -> str:\n    out = cap(image=prompt)\n"
             "    r = cap.create(image=prompt)\n    o2 = r.output()\n    return out.caption + o2.text + cap(image=prompt).score\n",
             expect=[(9, 12, 9, 23, "'dict' object has no attribute 'caption'"),
                     (9, 26, 9, 33, "'dict' object has no attribute 'text'"),
                     (9, 36, 9, 59, "'dict' object has no attribute 'score'")]),
        Case(HEADER + "cap = replicate.use('o/captioner', use_async=True)\n\nasync def run(prompt: str) -> str:\n"
             "    out = await cap(image=prompt)\n    return out.caption\n",
             expect=[(7, 12, 7, 23, "'dict' object has no attribute 'caption'")]),
    ]
