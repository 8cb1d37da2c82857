"""PL602 hardcoded-credential: A credential written into the code."""

from __future__ import annotations

import math
import re

from pipelint.analysis.calls import literal_string
from pipelint.analysis.credentials import PLACEHOLDER, is_credential_name, known_token
from pipelint.engine.rule import Case, Rule
from pipelint.model.literals import evaluated

_SCHEME = re.compile(r"(?i)^(bearer|token|basic|key)\s+")


def _looks_random(text: str) -> bool:
    """Key-shaped: long, no spaces, mixed character classes, high entropy, not a placeholder."""
    if len(text) < 20 or len(text) > 512 or re.search(r"\s", text) or PLACEHOLDER.search(text):
        return False
    if not re.fullmatch(r"[A-Za-z0-9_\-.+/=:]+", text) or "/" in text and "." in text and ":" in text:
        return False  # a URL or a path, not a key
    classes = sum(bool(re.search(p, text)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
    if classes < 2 or len(set(text)) < 10:
        return False
    counts = {c: text.count(c) for c in set(text)}
    entropy = -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
    return entropy >= 3.5


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
        value = evaluated(node)
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
        self._named(literal_string(node.key), node.value)

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
        if not is_credential_name(name):
            return
        text = literal_string(value)
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
             "def run(prompt: str) -> str:\n    return prompt\n",
             expect=[(2, 37, 2, 81, "hard-coded Replicate API token: anyone who can read the model's code can use it")]),
        Case("OPENAI_API_KEY = 'sk-proj-4f9X2kLmQ7vB1nR8tYcZ3wE6'\nheaders = {'Authorization': 'Bearer Zk29fQ8vLw3mXp7RtY1cB5nH'}\n\n"
             "def run(prompt: str, api_key: str = 'a8Kf3LmQ9zX2vB7nR4tY1cW6') -> str:\n"
             "    return f'token r8_Qx7BmV2pL9sK4dF1gH6jW3eR8tY5uI0oP2aZ9cN {prompt}'\n",
             expect=[(1, 18, 1, 52, "hard-coded OpenAI or Anthropic API key: anyone who can read the model's code "
                                    "can use it"),
                     (2, 29, 2, 62, "hard-coded secret (`Authorization`): anyone who can read the model's code "
                                    "can use it"),
                     (4, 37, 4, 63, "hard-coded secret (`api_key`): anyone who can read the model's code can use it"),
                     (5, 14, 5, 63, "hard-coded Replicate API token: anyone who can read the model's code can use it")]),
    ]


def _target_name(node) -> str | None:
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        return literal_string(getattr(node.slice[0].slice, "value", None))
    return None
