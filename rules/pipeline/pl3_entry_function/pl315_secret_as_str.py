"""PL315 secret-as-str: A secret-looking input (`api_key`, `token`, `password`, …) typed `str`."""

from __future__ import annotations

import re

from pipelint.core.diagnostics import Applicability, Severity
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule

SECRET_WORDS = {"password", "passwd", "passphrase", "secret", "apikey", "credential", "credentials"}
TOKEN_COUNTS = {"max", "min", "num", "n", "stop", "eos", "bos", "pad", "start", "end", "sep", "unk", "mask", "special",
                "extra", "new", "total", "count", "per", "limit", "prompt", "output", "input", "first", "last", "next"}
KEY_OWNERS = {"api", "access", "secret", "private", "auth", "client", "service", "app", "openai", "anthropic",
              "replicate", "hf", "huggingface", "aws", "gcp", "azure", "stripe", "license", "signing", "encryption",
              "subscription", "account", "master", "admin", "session", "webhook"}


def looks_secret(name: str) -> bool:
    """Does an input's name say it carries a credential (``api_key``, ``hf_token``, ``password``)?"""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    words = [w for w in re.split(r"[_\W]+", spaced.lower()) if w]
    if not words:
        return False
    if any(w in SECRET_WORDS for w in words):
        return True
    if words[-1] == "token":
        return len(words) == 1 or words[-2] not in TOKEN_COUNTS
    if words[-1] == "key" and len(words) >= 2:
        return words[-2] in KEY_OWNERS
    return False


class SecretAsStr(EntryRule):
    """A secret-looking input (`api_key`, `token`, `password`, …) typed `str`.

    ## What it does
    Reports an input whose name says it carries a credential but whose type is `str` (or
    `Optional[str]`) instead of `cog.Secret`.

    ## Why is this bad?
    A `str` input is logged and stored with the prediction, where anyone with access to the
    model's predictions can read it. `cog.Secret` inputs are redacted and shown as password
    fields. The runtime provides no environment variables, so secrets must come in as
    inputs, and as `Secret`.

    ## Example
    ```python
    def run(prompt: str, api_key: str) -> str:
        return call(prompt, key=api_key)
    ```

    ## Use instead
    ```python
    from cog import Secret

    def run(prompt: str, api_key: Secret) -> str:
        return call(prompt, key=api_key.get_secret_value())
    ```

    ## Fix safety
    The fix changes the type to `Secret` and reads the value with `.get_secret_value()`
    where the function uses it. It is unsafe: the model's API changes (callers see a
    password field) and code that passes the value on may need the `Secret` itself. A use
    inside a `print()`, `.write()` or logging call is left the `Secret` (printed redacted),
    so that the fix never writes the value to the logs. It is offered only for a plain `str`
    (not `Optional[str]`) that the function never reassigns.
    """

    code = "PL315"
    name = "secret-as-str"
    severity = Severity.WARNING
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check_entry(self, entry) -> None:
        from pipelint.analysis import annotations as T

        for p in entry.inputs:
            t = p.type
            if t is None or not looks_secret(p.name):
                continue
            plain = t.kind == T.SCALAR and t.name == "str"
            if not (plain or (t.kind == T.OPTIONAL and t.inner.kind == T.SCALAR and t.inner.name == "str")):
                continue
            fix = self._fix(entry, p) if plain and t.written else None
            self.report(p.annotation, f"input `{p.name}` looks like a secret but is a `str`: its value is logged and "
                        "stored with every prediction", help=f"type it `{p.name}: Secret` (from cog) and read it with "
                        f"`{p.name}.get_secret_value()`", fix=fix)

    def _fix(self, entry, p):
        from pipelint.edits import pyedit

        scopes = entry.module.metadata("scope")
        scope = scopes.get(p.node.name)
        if scope is None:
            return None
        assignments = list(scope.assignments[p.name])
        if len(assignments) != 1 or assignments[0].node is not p.node:
            return None  # reassigned in the body: the uses may not all be the input
        import libcst as cst

        uses = [a.node for a in assignments[0].references]
        if not all(isinstance(u, cst.Name) for u in uses):
            return None
        plan = pyedit.ensure_import(entry.module, "cog", "Secret")
        edits = [self.edit_node(p.annotation, plan.name), *plan.edits]
        # a use that is printed or logged stays the Secret (it prints as `**********`): reading its value
        # there would write the secret to the logs (PL603)
        logged = _logged_spans(entry.module, entry.function)
        edits += [self.edit_node(u, f"{p.name}.get_secret_value()") for u in uses
                  if not _inside(entry.module.range(u), logged)]
        return self.fix(f"Make `{p.name}` a `{plan.name}`", *edits)

    VALID = [
        Case("from cog import Secret\n\n\ndef run(api_key: Secret, max_tokens: int, stop_token: str) -> str:\n"
             "    return api_key.get_secret_value()\n"),
        Case("def run(keyword: str, monkey: str, sort_key: str) -> str:\n    return keyword\n"),
    ]
    INVALID = [
        Case("import requests\n\n\ndef run(prompt: str, api_key: str) -> str:\n"
             "    headers = {'Authorization': f'Bearer {api_key}'}\n    return requests.post('https://x', headers=headers).text\n",
             expect=[(4, 31, 4, 34, "input `api_key` looks like a secret but is a `str`")],
             fixed="import requests\nfrom cog import Secret\n\n\ndef run(prompt: str, api_key: Secret) -> str:\n"
                   "    headers = {'Authorization': f'Bearer {api_key.get_secret_value()}'}\n"
                   "    return requests.post('https://x', headers=headers).text\n"),
        Case("from typing import Optional\nfrom cog import Input\n\n\n"
             "def run(hfToken: Optional[str] = Input(default=None)) -> str:\n    return hfToken or ''\n",
             expect=[(5, 18, 5, 31, "input `hfToken` looks like a secret but is a `str`")]),
        Case("from cog import Input\n\n\ndef run(password: str = Input(description='pw')) -> str:\n"
             "    password = password.strip()\n    return password\n",
             expect=[(4, 19, 4, 22, "input `password` looks like a secret but is a `str`")],
             note="reassigned: no fix"),
        Case("import logging\n\n\ndef run(prompt: str, api_key: str) -> str:\n    print('key:', api_key)\n"
             "    logging.info('using %s', api_key)\n    return prompt + api_key[:0]\n",
             expect=[(4, 31, 4, 34, "input `api_key` looks like a secret but is a `str`")],
             fixed="import logging\n\nfrom cog import Secret\n\n\ndef run(prompt: str, api_key: Secret) -> str:\n"
                   "    print('key:', api_key)\n    logging.info('using %s', api_key)\n"
                   "    return prompt + api_key.get_secret_value()[:0]\n",
             note="printed and logged uses stay the Secret: the fix creates no PL603"),
    ]


# Callees that write their arguments out: a superset of what secret-logged (PL603) calls a sink.
_WRITING_CALLEES = {"print", "write", "writelines", "debug", "info", "warning", "warn", "error", "exception",
                    "critical", "fatal", "log"}


def _logged_spans(module, function) -> list:
    """(start, end) of the arguments of every call in ``function`` that may print or log them."""
    import libcst as cst

    spans = []

    class Finder(cst.CSTVisitor):
        def visit_Call(self, node) -> None:
            func = node.func
            name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
            if name in _WRITING_CALLEES:
                for arg in node.args:
                    spans.append(module.range(arg))

    from pipelint.model.walk import walk  # libcst's visit, without rebuilding the tree
    walk(function, Finder())
    return spans


def _inside(where, spans) -> bool:
    start, end = where
    return any((a.line, a.column) <= (start.line, start.column) and (end.line, end.column) <= (b.line, b.column)
               for a, b in spans)
