"""CG601 hardcoded-token: A Replicate API token or an API key written into the model's source."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule
from pipelint.model.literals import evaluated

_YAML = 'build:\n  python_version: "3.12"\nrun: "predict.py:run"\n'


class HardcodedToken(Rule):
    """A Replicate API token or an API key written into the model's source.

    ## What it does
    Reports a string in any Python file of the model folder that holds a Replicate API token
    (`r8_…`), an OpenAI or Anthropic key (`sk-…`) or another recognisable key (GitHub `ghp_…`,
    Hugging Face `hf_…`, AWS `AKIA…`, Google `AIza…`, Slack, Stripe). Placeholders such as
    `r8_xxxx…` or `sk-your-key-here` are not reported.

    ## Why is this bad?
    `cog push` copies the whole folder into the image: anyone who can pull the image or read
    the model's code can use the key, and it stays in every layer and every copy.

    ## Example
    ```python
    client = replicate.Client(api_token="r8_Qx7BmV2pL9sK4dF1gH6jW3eR8tY5uI0oP2aZ9cN")
    ```

    ## Use instead
    ```python
    from cog import BaseRunner, Input, Secret

    class Runner(BaseRunner):
        def run(self, prompt: str, replicate_api_token: Secret = Input(description="Replicate API token")) -> str:
            client = replicate.Client(api_token=replicate_api_token.get_secret_value())
            ...
    ```
    """

    code = "CG601"
    name = "hardcoded-token"
    severity = Severity.ERROR
    targets = ("cog",)
    files = ("python",)

    def check(self) -> None:
        import libcst as cst

        from pipelint.analysis.credentials import known_token

        rule = self
        for path in sorted(self.project.python_files()):
            if not self.project.inside(path.resolve()):
                continue  # a symlink out of the folder: not the model's source, and not ours to read
            module = self.project.module(path)
            if module is None or module.tree is None or not _might_hold_key(module.source.text or ""):
                continue
            found: list = []

            class Finder(cst.CSTVisitor):
                def __init__(self, sink):
                    self.sink = sink

                def visit_SimpleString(self, node) -> None:
                    value = evaluated(node)
                    if isinstance(value, bytes):
                        value = value.decode("latin-1")
                    if isinstance(value, str):
                        kind = known_token(value)
                        if kind:
                            self.sink.append((node, kind))

                def visit_FormattedStringText(self, node) -> None:
                    kind = known_token(node.value)
                    if kind:
                        self.sink.append((node, kind))

            try:
                from pipelint.model.walk import walk  # libcst's visit, without rebuilding the tree
                walk(module.tree, Finder(found))
            except RecursionError:
                continue
            for node, kind in found:
                rule.report(node, f"hard-coded {kind}: `cog push` puts it in the image, where anyone who can "
                            "pull it or read the code can use it", module=module,
                            help="revoke it, and take it as an input instead: "
                                 "`api_token: Secret = Input(description=\"…\")` (from cog)")

    VALID = [
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "TOKEN = 'r8_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'\nKEY = 'sk-your-key-here-xxxxxxxxxxxxxxxx'\n\n\n"
                            "def run(prompt: str) -> str:\n    return prompt\n"}),
    ]
    INVALID = [
        Case({"cog.yaml": _YAML, "main.py": None,
              "predict.py": "import replicate\n\n\ndef run(prompt: str) -> str:\n"
                            "    client = replicate.Client(api_token='r8_Qx7BmV2pL9sK4dF1gH6jW3eR8tY5uI0oP2aZ9cN')\n"
                            "    return prompt\n",
              "utils/llm.py": "OPENAI_API_KEY = f\"sk-proj-4f9X2kLmQ7vB1nR8tYcZ3wE6\"\n"},
             expect=[("predict.py", 5, 41, 5, 85, "hard-coded Replicate API token: `cog push` puts it in the image"),
                     ("utils/llm.py", 1, 20, 1, 52, "hard-coded OpenAI or Anthropic API key")],
             note="any Python file of the folder, imported or not"),
    ]


def _might_hold_key(text: str) -> bool:
    return any(p in text for p in ("r8_", "sk-", "gh", "github_pat_", "hf_", "AKIA", "AIza", "xox", "k_live_"))
