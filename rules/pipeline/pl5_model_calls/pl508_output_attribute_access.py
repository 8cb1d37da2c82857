"""PL508 output-attribute-access: Attribute access on a model's output."""

from __future__ import annotations

from pipelint.analysis.calls import model_label, name_assignments
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import ModelRule

HEADER = "import replicate\n\n"
FLUX = 'flux = replicate.use("black-forest-labs/flux-schnell")\n'
HINT = "class Caption:\n    caption: str\n\n\ndef captioner(image: str) -> Caption: ...\n\n\n"
_MAPPINGS = {"dict", "Dict", "Mapping", "MutableMapping", "TypedDict"}


def output_is_object(module, use) -> bool:
    """The model's output is known to be an object (a dict at run time): the ``hint=`` function or
    typed class's ``__call__`` returns a class defined in the module, or a dict/Mapping."""
    import libcst as cst

    from pipelint.model.imports import dotted

    signature = use.signature
    returns = getattr(getattr(signature, "node", None), "returns", None)
    if returns is None:
        return False
    annotation = returns.annotation
    if isinstance(annotation, cst.Subscript):
        annotation = annotation.value
    if dotted(annotation).rpartition(".")[2] in _MAPPINGS:
        return True
    if isinstance(annotation, cst.Name):
        nodes = [getattr(a, "node", None) for a in name_assignments(module, annotation)]
        return len(nodes) == 1 and isinstance(nodes[0], cst.ClassDef)
    return False


class OutputAttributeAccess(ModelRule):
    """Attribute access on a model's output.

    ## What it does
    Reports `out.caption` where `out` is what a model call returned (directly, through
    `await`, or through `.create(...).output()`), when no possible output value has that
    attribute. It only reports what is certain: outputs are strings, numbers, lists, dicts,
    files (`URLPath`) or, for streaming models, iterators, and `caption` is none of their
    attributes. It reports only when the model's output is known to be an object — the `hint=`
    function (or typed class's `__call__`) returns a class or a dict — because for a string
    output the advice `out["caption"]` would raise `TypeError` too.

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
                if not output_is_object(module, call.use):
                    continue  # a string output has no keys either: `x["text"]` would be a TypeError
                value = module.code_for(attribute.value)
                name = attribute.attr.value
                self.report(attribute, f"`{value}.{name}`: the output of model {model_label(call.use)} is a plain value, "
                                       f"and a structured output is a dict (`'dict' object has no attribute '{name}'`)",
                            module=module, help=f'read it as a key: `{value}["{name}"]`')

    VALID = [Case(HEADER + "def hint(prompt: str) -> str: ...\n\n\nllm = replicate.use('o/llm', hint=hint)\n"
                  "cap = replicate.use('o/cap')\n\ndef run(prompt: str) -> str:\n"
                  "    return llm(prompt=prompt).text + cap(image=prompt).caption\n",
                  note="a str output, and an output of unknown shape: `x[\"text\"]` would not be right either"),
             Case(HEADER + FLUX + "llm = replicate.use('o/llm', streaming=True)\n\ndef run(prompt: str) -> str:\n"
                  "    out = flux(prompt=prompt)\n    out.append(1)\n    text = llm(prompt=prompt)\n    text.is_concatenate\n"
                  "    r = flux.create(prompt=prompt)\n    r.logs()\n    out = 'x'\n    return out.upper()\n")]
    INVALID = [
        Case(HEADER + HINT + "cap = replicate.use('o/captioner', hint=captioner)\n\ndef run(prompt: str) -> str:\n    out = cap(image=prompt)\n"
             "    r = cap.create(image=prompt)\n    o2 = r.output()\n    return out.caption + o2.text + cap(image=prompt).score\n",
             expect=[(16, 12, 16, 23, "'dict' object has no attribute 'caption'"),
                     (16, 26, 16, 33, "'dict' object has no attribute 'text'"),
                     (16, 36, 16, 59, "'dict' object has no attribute 'score'")]),
        Case(HEADER + HINT + "cap = replicate.use('o/captioner', use_async=True, hint=captioner)\n\nasync def run(prompt: str) -> str:\n"
             "    out = await cap(image=prompt)\n    return out.caption\n",
             expect=[(14, 12, 14, 23, "'dict' object has no attribute 'caption'")]),
    ]
