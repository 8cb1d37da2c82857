"""PL601–PL604: the runtime environment and secrets.

The pipelines runtime passes a model nothing through environment variables: configuration and
secrets arrive as inputs (`cog.Secret` for secrets), and the Replicate token travels in the
prediction's context. It imports the entry module to find the entry function and calls it itself.
"""

from __future__ import annotations

import math
import re

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule
from pipelint.analysis.visitors import MarkedBlocks

_ENVIRON = {"os.environ", "os.environb"}
_GETENV = {"os.getenv", "os.getenvb"}
# Reading these is fine: every process has them, the runtime's too (it sets TMPDIR per runner).
_OS_VARIABLES = {"PATH", "HOME", "TMPDIR", "TMP", "TEMP"}


def _qualified(rule: Rule, node) -> set[str]:
    return {q.name for q in (rule.get_metadata("qualified_name", node) or ())}


def _literal(node) -> str | None:
    from pipelint.analysis.calls import literal_string

    return literal_string(node)


class EnvironmentRead(Rule):
    """Reading an environment variable.

    ## What it does
    Reports reads of a variable of the environment, whatever the spelling: `os.environ["X"]`,
    `os.environ.get("X")`, `os.environ.setdefault(…)`, `os.environ.pop(…)`, `"X" in os.environ`,
    `os.getenv("X")`, and the same through `from os import environ, getenv` or aliases. Writing a
    variable (`os.environ["X"] = "1"`) and the process's own `PATH`, `HOME`, `TMPDIR`, `TMP`
    and `TEMP` are fine.

    ## Why is this bad?
    The runtime does not give a model configuration or secrets through environment variables
    ("The runtime does not provide access to environment variables"): the variable is unset on
    Replicate, although it works on your machine. The Replicate token travels in the
    prediction's context, and `replicate.use()` models use it without your code reading it.

    ## Example
    ```python
    import os

    def run(prompt: str) -> str:
        key = os.environ["OPENAI_API_KEY"]
    ```

    ## Use instead
    ```python
    from cog import Input, Secret

    def run(prompt: str, openai_api_key: Secret = Input(description="OpenAI API key")) -> str:
        key = openai_api_key.get_secret_value()
    ```
    """

    code = "PL601"
    name = "environment-variable-read"
    files = ("python",)
    modules = "all"
    metadata = ("qualified_name",)

    @classmethod
    def applies_to(cls, project, module) -> bool:
        # Every spelling of the environment names `environ` or `getenv` somewhere, if only in an import.
        text = module.source.text or ""
        return "environ" in text or "getenv" in text

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._store = 0

    def visit_AssignTarget(self, node) -> None:
        self._store += 1

    def leave_AssignTarget(self, node) -> None:
        self._store -= 1

    visit_Del = visit_AssignTarget
    leave_Del = leave_AssignTarget

    def visit_Call(self, node) -> None:
        import libcst as cst

        func = node.func
        key_node = node.args[0].value if node.args and not node.args[0].keyword else None
        if _qualified(self, func) & _GETENV:
            self._read(node, key_node)
        elif isinstance(func, cst.Attribute) and func.attr.value in ("get", "setdefault", "pop") \
                and _qualified(self, func.value) & _ENVIRON:
            self._read(node, key_node)

    def visit_Subscript(self, node) -> None:
        if self._store == 0 and _qualified(self, node.value) & _ENVIRON and len(node.slice) == 1:
            self._read(node, getattr(node.slice[0].slice, "value", None))

    def visit_Comparison(self, node) -> None:
        import libcst as cst

        for comp in node.comparisons:
            if isinstance(comp.operator, (cst.In, cst.NotIn)) and _qualified(self, comp.comparator) & _ENVIRON:
                self._read(node, node.left)

    def _read(self, node, key_node) -> None:
        key = _literal(key_node) if key_node is not None else None
        if key in _OS_VARIABLES:
            return
        what = f"the environment variable `{key}`" if key else "an environment variable"
        message = (f"reads {what}: the pipelines runtime gives models no configuration or secrets through the "
                   f"environment, so it is unset on Replicate")
        if key and key.upper() in ("REPLICATE_API_TOKEN", "REPLICATE_API_KEY"):
            help = ("do not read the token: models called through `replicate.use()` are authenticated by the runtime "
                    "with the prediction's own token")
        else:
            param = key.lower() if key and key.lower().isidentifier() else "api_key"
            if key is None or _secret_name(key):
                help = (f"take it as an input: `{param}: Secret = Input(description=\"…\")` (from cog), and read it "
                        f"with `{param}.get_secret_value()`")
            else:
                help = f"take it as an input of the entry function: `{param}: str = Input(description=\"…\")` (from cog)"
        self.report(node, message, help=help)

    VALID = [
        Case("import os\nos.environ['TOKENIZERS_PARALLELISM'] = 'false'\n\ndef run(prompt: str) -> str:\n"
             "    env = {**os.environ, 'LC_ALL': 'C'}\n    tmp = os.environ.get('TMPDIR', '/tmp')\n    del os.environ['X']\n"
             "    return os.getenv('PATH') + tmp\n"),
    ]
    INVALID = [
        Case("import os\n\ndef run(prompt: str) -> str:\n    key = os.environ['OPENAI_API_KEY']\n"
             "    other = os.environ.get('X', '')\n    os.environ.setdefault('Y', '1')\n    return os.getenv('REPLICATE_API_TOKEN')\n",
             expect=[(4, 11), (5, 13), (6, 5), (7, 12)]),
        Case("from os import environ as env, getenv\nimport os as o\nTOKEN = getenv('HF_TOKEN')\n\ndef run(prompt: str) -> str:\n"
             "    if 'DEBUG' in env:\n        return o.environ.pop('Z')\n    return env['A']\n",
             expect=[(3, 9), (6, 8), (7, 16), (8, 12)]),
        Case({"main.py": "import helpers\n\ndef run(prompt: str) -> str:\n    return prompt\n",
              "helpers.py": "import os\nKEY = os.environ['KEY']\n"}, expect=[("helpers.py", 2, 7)]),
    ]


# ---- hard-coded credentials -----------------------------------------------------------------
_TOKEN_PATTERNS = [
    ("Replicate API token", re.compile(r"\br8_([A-Za-z0-9]{30,})\b")),
    ("OpenAI or Anthropic API key", re.compile(r"\bsk-(?:ant-|proj-|svcacct-)?([A-Za-z0-9_-]{20,})")),
    ("GitHub token", re.compile(r"\b(?:gh[pousr]_|github_pat_)([A-Za-z0-9_]{30,})\b")),
    ("Hugging Face token", re.compile(r"\bhf_([A-Za-z0-9]{30,})\b")),
    ("AWS access key", re.compile(r"\b(AKIA[0-9A-Z]{16})\b")),
    ("Google API key", re.compile(r"\bAIza([0-9A-Za-z_-]{35})\b")),
    ("Slack token", re.compile(r"\bxox[abposr]-([A-Za-z0-9-]{20,})\b")),
    ("Stripe key", re.compile(r"\b[sr]k_live_([A-Za-z0-9]{20,})\b")),
]
_SECRET_WORDS = {"key", "apikey", "secret", "token", "password", "passwd", "pwd", "credential", "credentials",
                 "authorization", "auth", "bearer"}
_PLACEHOLDER = re.compile(r"(?i)your|xxxx|example|placeholder|change.?me|dummy|sample|fake|redacted|insert|<|>|\{|\}|\.\.\.|\*\*")
_SCHEME = re.compile(r"(?i)^(bearer|token|basic|key)\s+")


def _name_words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [w for w in re.split(r"[_\-\s]+", spaced.lower()) if w]


def _secret_name(name: str | None) -> bool:
    words = _name_words(name or "")
    return bool(words) and words[-1] in _SECRET_WORDS


def _looks_random(text: str) -> bool:
    """Key-shaped: long, no spaces, mixed character classes, high entropy, not a placeholder."""
    if len(text) < 20 or len(text) > 512 or re.search(r"\s", text) or _PLACEHOLDER.search(text):
        return False
    if not re.fullmatch(r"[A-Za-z0-9_\-.+/=:]+", text) or "/" in text and "." in text and ":" in text:
        return False  # a URL or a path, not a key
    classes = sum(bool(re.search(p, text)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
    if classes < 2 or len(set(text)) < 10:
        return False
    counts = {c: text.count(c) for c in set(text)}
    entropy = -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
    return entropy >= 3.5


def known_token(text: str) -> str | None:
    """The kind of credential ``text`` contains (a Replicate token, an OpenAI key, …), or None."""
    for kind, pattern in _TOKEN_PATTERNS:
        for match in pattern.finditer(text):
            body = match.group(1)
            mixed = re.search(r"[0-9]", body) or (re.search(r"[a-z]", body) and re.search(r"[A-Z]", body))
            if not _PLACEHOLDER.search(match.group(0)) and len(set(body)) >= 8 and mixed:
                return kind
    return None


class HardcodedCredential(Rule):
    """A credential written into the code.

    ## What it does
    Reports a string literal that holds a Replicate API token (`r8_…`) or another
    recognisable key (OpenAI `sk-…`, GitHub `ghp_…`, Hugging Face `hf_…`, AWS `AKIA…`, …), and a
    key-shaped literal (long, random-looking, not a placeholder) given to a name like
    `api_key`, `token`, `secret` or `password` (an assignment, a keyword argument, a dict key or
    a parameter default).

    ## Why is this bad?
    Anyone who can read the model's code can use the credential, and it stays in the history of
    every copy of it. Models called through `replicate.use()` need no token in the code: the
    runtime authenticates them.

    ## Example
    ```python
    OPENAI_API_KEY = "sk-proj-4f9X2kLmQ7vB1nR8tYcZ3wE6"
    ```

    ## Use instead
    ```python
    from cog import Input, Secret

    def run(prompt: str, openai_api_key: Secret = Input(description="OpenAI API key")) -> str:
        ...
    ```
    """

    code = "PL602"
    name = "hardcoded-credential"
    files = ("python",)
    modules = "all"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._reported: set[int] = set()

    def visit_SimpleString(self, node) -> None:
        value = node.evaluated_value
        if isinstance(value, str):
            self._known(node, value)

    def visit_FormattedStringText(self, node) -> None:
        self._known(node, node.value)

    def _known(self, node, text: str) -> None:
        kind = known_token(text)
        if kind is not None:
            self._report(node, kind)

    def visit_Assign(self, node) -> None:
        for target in node.targets:
            self._named(_target_name(target.target), node.value)

    def visit_AnnAssign(self, node) -> None:
        if node.value is not None:
            self._named(_target_name(node.target), node.value)

    def visit_Arg(self, node) -> None:
        if node.keyword is not None:
            self._named(node.keyword.value, node.value)

    def visit_DictElement(self, node) -> None:
        self._named(_literal(node.key), node.value)

    def visit_Param(self, node) -> None:
        import libcst as cst

        if node.default is None:
            return
        default = node.default
        if isinstance(default, cst.Call):  # `api_key: str = Input(default="…")`
            default = next((a.value for a in default.args if a.keyword is not None and a.keyword.value == "default"), None)
        if default is not None:
            self._named(node.name.value, default)

    def _named(self, name: str | None, value) -> None:
        if not _secret_name(name):
            return
        text = _literal(value)
        if text is None or id(value) in self._reported or known_token(text):
            return
        if _looks_random(_SCHEME.sub("", text)):
            self._report(value, f"secret (`{name}`)")

    def _report(self, node, kind: str) -> None:
        if id(node) in self._reported:
            return
        self._reported.add(id(node))
        if kind == "Replicate API token":
            help = ("revoke it (replicate.com/account/api-tokens) and delete it: models called through `replicate.use()` "
                    "are authenticated by the runtime")
        else:
            help = "revoke it, and take it as an input instead: `api_key: Secret = Input(description=\"…\")` (from cog)"
        self.report(node, f"hard-coded {kind}: anyone who can read the model's code can use it", help=help)

    VALID = [
        Case("API_KEY = 'your-api-key-here'\nTOKEN = 'r8_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'\nmax_tokens = 1024\n"
             "tokenizer = 'bert-base-uncased-finetuned-sst-2-english'\npassword = ''\nsecret_name = 'prod'\n"
             "cache_key = 'v1'\nheaders = {'Authorization': f'Bearer {API_KEY}'}\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n"),
    ]
    INVALID = [
        Case("import replicate\nclient = replicate.Client(api_token='r8_Qx7BmV2pL9sK4dF1gH6jW3eR8tY5uI0oP2aZ9cN')\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n", expect=[(2, 37)]),
        Case("OPENAI_API_KEY = 'sk-proj-4f9X2kLmQ7vB1nR8tYcZ3wE6'\nheaders = {'Authorization': 'Bearer Zk29fQ8vLw3mXp7RtY1cB5nH'}\n\n"
             "def run(prompt: str, api_key: str = 'a8Kf3LmQ9zX2vB7nR4tY1cW6') -> str:\n"
             "    return f'token r8_Qx7BmV2pL9sK4dF1gH6jW3eR8tY5uI0oP2aZ9cN {prompt}'\n",
             expect=[(1, 18), (2, 29), (4, 37), (5, 14)]),
    ]


def _target_name(node) -> str | None:
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        return _literal(getattr(node.slice[0].slice, "value", None))
    return None


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

        names = _qualified(self, func)
        if names & _WRITERS:
            return True
        if any(n.startswith("logging.") and n.rpartition(".")[2] in _LOG_METHODS for n in names):
            return True
        if isinstance(func, cst.Attribute) and func.attr.value in _LOG_METHODS:
            receiver = func.value
            last = receiver.attr.value if isinstance(receiver, cst.Attribute) else getattr(receiver, "value", "")
            if isinstance(last, str) and "log" in last.lower():
                return True
            if isinstance(receiver, cst.Call) and any(n == "logging.getLogger" for n in _qualified(self, receiver.func)):
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
             expect=[(6, 5), (7, 5), (8, 5), (9, 5)]),
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


# ---- import-time side effects ---------------------------------------------------------------
_EVENT_LOOP_RUNNERS = {"asyncio.run", "anyio.run", "trio.run"}
_EXITS = {"sys.exit", "builtins.exit", "builtins.quit", "os._exit"}
# What a module must spell for this rule to find anything in it (aliases are spelt in imports).
_SIDE_EFFECT_TEXT = re.compile(r"asyncio|anyio|trio|run_until_complete|run_forever|\bexit\b|\bquit\b|_exit|\binput\b")


class ImportTimeSideEffect(MarkedBlocks, Rule):
    """Code that runs the pipeline, or stops the process, when the module is imported.

    ## What it does
    Reports, at module level (outside functions and outside `if __name__ == "__main__":`):
    `asyncio.run(...)` (also `anyio.run`, `trio.run`, `loop.run_until_complete(...)`), a call of
    the entry function itself, `input()`, and an unconditional `sys.exit()`/`exit()`/`quit()`/
    `os._exit()` (one under an `if` is a guard, such as a Python version check).

    ## Why is this bad?
    The runtime imports the entry module to find the entry function, then calls it for each
    prediction. Code like the guide's `asyncio.run(run())` runs the whole pipeline during that
    import, with no inputs, every time the model loads (and bills the models it calls);
    `input()` waits for a terminal that does not exist, and an exit stops the load.

    ## Example
    ```python
    async def run() -> str:
        ...

    asyncio.run(run())
    ```

    ## Use instead
    ```python
    async def run() -> str:
        ...

    if __name__ == "__main__":
        asyncio.run(run())
    ```
    """

    code = "PL604"
    name = "import-time-side-effect"
    files = ("python",)
    modules = "all"
    metadata = ("qualified_name",)

    @classmethod
    def applies_to(cls, project, module) -> bool:
        text = module.source.text or ""
        if _SIDE_EFFECT_TEXT.search(text):
            return True
        ref = project.predict  # the entry function called from its own module
        return (module is project.entry_module and ref is not None and ref.name is not None
                and len(re.findall(rf"\b{re.escape(ref.name)}\s*\(", text)) > 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lambdas = 0
        self._inside_runner = 0
        self._unconditional = False  # in a statement of the module body itself, not under if/try/for/with

    def visit_SimpleStatementLine(self, node) -> None:
        self._unconditional = any(node is stmt for stmt in self.module.tree.body)

    def leave_SimpleStatementLine(self, node) -> None:
        self._unconditional = False

    def visit_FunctionDef(self, node) -> None:
        self.mark(node.body)

    def visit_If(self, node) -> None:
        from pipelint.analysis.calls import is_main_guard

        if is_main_guard(node.test):
            self.mark(node.body)

    def visit_Lambda(self, node) -> None:
        self._lambdas += 1

    def leave_Lambda(self, node) -> None:
        self._lambdas -= 1

    @property
    def _deferred(self) -> bool:
        return self.in_marked or self._lambdas > 0

    def visit_Call(self, node) -> None:
        import libcst as cst

        if self._deferred:
            return
        names = _qualified(self, node.func)
        code = self.module.code_for(node.func)
        runs_loop = names & _EVENT_LOOP_RUNNERS or (
            isinstance(node.func, cst.Attribute) and node.func.attr.value in ("run_until_complete", "run_forever"))
        if runs_loop:
            if not self._inside_runner:
                self.report(node, f"`{code}(...)` runs at import time: the runtime imports the module to find the "
                                  f"entry function, so this runs the pipeline on every load, with no inputs",
                            help="delete it (the runtime calls the entry function itself), or put it under "
                                 "`if __name__ == \"__main__\":` for local runs")
            self._inside_runner += 1
        elif names & _EXITS and self._unconditional:  # a conditional exit is a guard (`if sys.version_info < …`)
            self.report(node, f"`{code}()` at import time stops the process: the model never loads",
                        help="raise an exception inside the entry function instead")
        elif "builtins.input" in names:
            self.report(node, "`input()` at import time waits for a terminal that does not exist on Replicate "
                              "(`EOFError: EOF when reading a line`)", help="take the value as an input of the entry function")
        elif self._calls_entry(node, names) and not self._inside_runner:
            self.report(node, f"the entry function `{code}` is called at import time: the pipeline runs on every load, "
                              f"with no inputs, and bills the models it calls",
                        help="delete the call (the runtime calls the entry function itself), or put it under "
                             "`if __name__ == \"__main__\":` for local runs")

    def leave_Call(self, node) -> None:
        import libcst as cst

        if self._deferred:
            return
        names = _qualified(self, node.func)
        if names & _EVENT_LOOP_RUNNERS or (
                isinstance(node.func, cst.Attribute) and node.func.attr.value in ("run_until_complete", "run_forever")):
            self._inside_runner -= 1

    def _calls_entry(self, node, names: set[str]) -> bool:
        import libcst as cst

        ref = self.project.predict
        return (self.module is self.project.entry_module and ref is not None and ref.name is not None
                and isinstance(node.func, cst.Name) and node.func.value == ref.name and ref.name in names)

    VALID = [
        Case("import asyncio\n\nasync def run(prompt: str) -> str:\n    await asyncio.sleep(0)\n    return prompt\n\n"
             "def helper():\n    asyncio.run(run('x'))\n\nif __name__ == '__main__':\n    print(asyncio.run(run('hi')))\n"
             "    print(run)\n"),
        Case("import sys\nprint('loading', file=sys.stderr)\nrun_count = len(sys.argv)\nif sys.version_info < (3, 10):\n"
             "    sys.exit('too old')\n\ndef run(prompt: str) -> str:\n    sys.exit(1)\n"),
    ]
    INVALID = [
        Case("import asyncio\nimport replicate\n\nasync def run() -> str:\n    return 'x'\n\nasyncio.run(run())\n",
             expect=[(7, 1)]),
        Case("import sys\n\ndef run(prompt: str) -> str:\n    return prompt\n\nprint(run(prompt='test'))\n"
             "name = input('name? ')\nsys.exit(0)\n",
             expect=[(6, 7), (7, 8), (8, 1)]),
        Case("import asyncio\n\nasync def run(prompt: str) -> str:\n    return prompt\n\n"
             "loop = asyncio.new_event_loop()\nloop.run_until_complete(run('x'))\n", expect=[(7, 1)]),
    ]
