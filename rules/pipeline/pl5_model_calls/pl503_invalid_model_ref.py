"""PL503 invalid-model-ref: The model reference is not `owner/name` or `owner/name:version`."""

from __future__ import annotations

import re

from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import ModelRule

# replicate's own parser (identifier.ModelVersionIdentifier.parse), minus whitespace, which no
# model name or version contains.
_MODEL_REF = re.compile(r"^[^/\s]+/[^/:\s]+(:\S+)?$")


HEADER = "import replicate\n\n"
FLUX = 'flux = replicate.use("black-forest-labs/flux-schnell")\n'


class InvalidModelRef(ModelRule):
    """The model reference is not `owner/name` or `owner/name:version`.

    ## What it does
    Reports a literal model reference that `replicate.use()` cannot parse: no owner, a URL, an
    `r8.im/` image name, extra slashes, whitespace or an empty version.

    ## Why is this bad?
    The call fails at run time, after the model was pushed:
    `Invalid reference to model version: flux-dev. Expected format: owner/name:version`.

    ## Example
    ```python
    flux = replicate.use("https://replicate.com/black-forest-labs/flux-dev")
    ```

    ## Use instead
    ```python
    flux = replicate.use("black-forest-labs/flux-dev")
    ```
    """

    code = "PL503"
    name = "invalid-model-ref"

    def check(self) -> None:
        for module, facts in self.each_module():
            for use in facts.uses:
                ref = use.ref
                if ref is None or _MODEL_REF.match(ref):
                    continue
                self.report(use.ref_node, f"`{ref}` is not a model reference of the form `owner/name` or "
                                          f"`owner/name:version` (`Invalid reference to model version: {ref}. "
                                          f"Expected format: owner/name:version`)",
                            module=module, help=_ref_help(ref))

    VALID = [Case(HEADER + FLUX + "a = replicate.use('owner/model:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa')\n"
                  "b = replicate.use('my-name/my_model.v2')\n\ndef run(prompt: str) -> str:\n    return prompt\n")]
    INVALID = [
        Case(HEADER + "a = replicate.use('flux-dev')\nb = replicate.use('https://replicate.com/black-forest-labs/flux-dev')\n"
             "c = replicate.use('r8.im/owner/model')\nd = replicate.use('owner/model:')\ne = replicate.use(' owner/model')\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n",
             expect=[(3, 19, 3, 29, "`flux-dev` is not a model reference of the form `owner/name` or "
                                    "`owner/name:version`"),
                     (4, 19, 4, 69, "`https://replicate.com/black-forest-labs/flux-dev` is not a model reference "
                                    "of the form `owner/name` or `owner/name:version`"),
                     (5, 19, 5, 38, "`r8.im/owner/model` is not a model reference of the form `owner/name` or "
                                    "`owner/name:version`"),
                     (6, 19, 6, 33, "`owner/model:` is not a model reference of the form `owner/name` or "
                                    "`owner/name:version`"),
                     (7, 19, 7, 33, "` owner/model` is not a model reference of the form `owner/name` or "
                                    "`owner/name:version`")]),
    ]


def _ref_help(ref: str) -> str:
    text = ref.strip()
    match = re.search(r"(?:replicate\.com|r8\.im)/([^/\s]+)/([^/\s:?#]+)(?:/versions/([0-9a-f]+))?", text)
    if match:
        suggestion = f"{match[1]}/{match[2]}" + (f":{match[3]}" if match[3] else "")
        return f'write `"{suggestion}"`'
    if text != ref and _MODEL_REF.match(text):
        return f'remove the surrounding whitespace: `"{text}"`'
    if "/" not in text:
        return f'add the owner: `"<owner>/{text}"` (as on the model\'s page, e.g. `black-forest-labs/flux-dev`)'
    if text.endswith(":"):
        return f'drop the empty version: `"{text[:-1]}"`'
    return 'write `"owner/name"` or `"owner/name:version"`'
