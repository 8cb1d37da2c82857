"""PL407 secret-output: `Secret` as the return type or an Output field."""

from __future__ import annotations

from pipelint.analysis import annotations as T
from pipelint.analysis.entry import FIELD, output_subject
from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class SecretOutput(EntryRule):
    """`Secret` as the return type or an Output field.

    ## What it does
    Reports `cog.Secret` as the entry's return type, its list or iterator element, or an
    Output field.

    ## Why is this bad?
    The guide: outputs may be any input type "with the exception of `Secret`". A secret
    returned by the model is stored with the prediction's output, which defeats the point
    of taking it as a `Secret`. No runtime checks it, so nothing fails until it leaks.

    ## Example
    ```python
    def run(api_key: Secret) -> Secret:
        return api_key
    ```

    ## Use instead
    ```python
    def run(api_key: Secret) -> str:
        return "done"
    ```
    """

    code = "PL407"
    name = "secret-output"
    severity = Severity.WARNING

    def check_entry(self, entry) -> None:
        for slot in entry.output_slots:
            t = slot.value
            if t.kind != T.SECRET:
                continue
            who = output_subject(entry, slot)
            verb = "is" if slot.role == FIELD else "returns"
            self.report(t.node, module=slot.module, message=f"{who} {verb} a `Secret`: the guide forbids secrets in outputs, which are stored "
                        "with the prediction", help="return only values that are safe to show (as `str` or another type)")

    VALID = [Case("from cog import Secret\n\n\ndef run(key: Secret) -> str:\n    return 'ok'\n")]
    INVALID = [
        Case("from cog import Secret\n\n\ndef run(key: Secret) -> Secret:\n    return key\n",
             expect=[(4, 25, 4, 31, "`run()` returns a `Secret`")]),
        Case("import cog\n\n\nclass Output(cog.BaseModel):\n    token: cog.Secret\n\n\ndef run() -> Output:\n"
             "    return Output(token='x')\n",
             expect=[(5, 12, 5, 22, "output field `token` of `Output` is a `Secret`")]),
    ]
