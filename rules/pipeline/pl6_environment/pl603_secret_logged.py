"""PL603 secret-logged: A `Secret`'s value printed or logged."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule
from pipelint.engine.rule_bases import qualified_names

# ---- secrets in logs ------------------------------------------------------------------------
_LOG_METHODS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
_WRITERS = {"builtins.print", "sys.stdout.write", "sys.stderr.write", "pprint.pprint", "pprint.pp"}


class SecretLogged(Rule):
    """A `Secret`'s value printed or logged.

    ## What it does
    Reports `print(...)`, `logging.info(...)`, `logger.warning(...)` and similar calls (also
    `sys.stdout.write`) whose arguments contain `.get_secret_value()`.

    ## Why is this bad?
    A prediction's printed output and logs are stored with the prediction and shown to whoever
    can see it: the secret the `cog.Secret` input was protecting ends up in plain text.

    ## Example
    ```python
    print(f"using key {api_key.get_secret_value()}")
    ```

    ## Use instead
    ```python
    print("using the API key")
    ```
    """

    code = "PL603"
    name = "secret-logged"
    severity = Severity.WARNING
    files = ("python",)
    modules = "all"
    metadata = ("qualified_name",)

    @classmethod
    def applies_to(cls, project, module) -> bool:
        return "get_secret_value" in (module.source.text or "")

    def visit_Call(self, node) -> None:
        if not node.args or not self._is_sink(node.func):
            return
        revealed = next((c for a in node.args for c in _secret_reads(a.value)), None)
        if revealed is not None:
            self.report(node, f"`{self.module.code_for(node.func)}(...)` writes a secret's value "
                              f"(`{self.module.code_for(revealed)}`) to the prediction's logs",
                        help="leave the secret out of the message; log that it is set, not what it is")

    def _is_sink(self, func) -> bool:
        import libcst as cst

        names = qualified_names(self, func)
        if names & _WRITERS:
            return True
        if any(n.startswith("logging.") and n.rpartition(".")[2] in _LOG_METHODS for n in names):
            return True
        if isinstance(func, cst.Attribute) and func.attr.value in _LOG_METHODS:
            receiver = func.value
            last = receiver.attr.value if isinstance(receiver, cst.Attribute) else getattr(receiver, "value", "")
            if isinstance(last, str) and "log" in last.lower():
                return True
            if isinstance(receiver, cst.Call) and any(n == "logging.getLogger" for n in qualified_names(self, receiver.func)):
                return True
        return False

    VALID = [Case("from cog import Secret\nimport logging\n\ndef run(key: Secret) -> str:\n    print(key)\n"
                  "    logging.info('key set: %s', bool(key.get_secret_value()) and 'yes')\n    return 'ok'\n"),
             Case("from cog import Secret\n\ndef run(key: Secret) -> str:\n    headers = {'X': key.get_secret_value()}\n"
                  "    print(len(headers))\n    return 'ok'\n")]
    INVALID = [
        Case("import logging\nfrom cog import Secret\nlogger = logging.getLogger(__name__)\n\n"
             "def run(key: Secret) -> str:\n    print(key.get_secret_value())\n    logger.info(f'key={key.get_secret_value()}')\n"
             "    logging.warning('k %s', key.get_secret_value())\n    logging.getLogger().debug(key.get_secret_value())\n"
             "    return 'ok'\n",
             expect=[(6, 5, 6, 34, "`print(...)` writes a secret's value"),
                     (7, 5, 7, 49, "`logger.info(...)` writes a secret's value"),
                     (8, 5, 8, 52, "`logging.warning(...)` writes a secret's value"),
                     (9, 5, 9, 54, "`logging.getLogger().debug(...)` writes a secret's value")]),
    ]


def _secret_reads(node):
    """``x.get_secret_value()`` calls inside ``node`` (but not inside a nested ``bool()``/``len()``)."""
    import libcst as cst

    if isinstance(node, cst.Call):
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "get_secret_value":
            yield node
            return
        if isinstance(node.func, cst.Name) and node.func.value in ("bool", "len", "hash", "type", "isinstance"):
            return
    for child in node.children:
        yield from _secret_reads(child)
