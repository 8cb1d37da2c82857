"""PL601 environment-variable-read: Reading an environment variable."""

from __future__ import annotations

from pipelint.analysis.calls import literal_string
from pipelint.analysis.credentials import is_credential_name
from pipelint.engine.rule import Case, Rule
from pipelint.engine.rule_bases import qualified_names

_ENVIRON = {"os.environ", "os.environb"}
_GETENV = {"os.getenv", "os.getenvb"}

# Reading these is fine: every process has them, the runtime's too (it sets TMPDIR per runner).
_OS_VARIABLES = {"PATH", "HOME", "TMPDIR", "TMP", "TEMP"}


class EnvironmentRead(Rule):
    """Reading an environment variable.

    ## What it does
    Reports reads of a variable of the environment, whatever the spelling: `os.environ["X"]`,
    `os.environ.get("X")`, `y = os.environ.setdefault(…)`, `os.environ.pop(…)`, `"X" in
    os.environ`, `os.getenv("X")`, and the same through `from os import environ, getenv` or
    aliases. Setting a variable (`os.environ["X"] = "1"`, `os.environ.setdefault("X", "1")` as a
    statement whose value is unused) and the process's own `PATH`, `HOME`, `TMPDIR`, `TMP` and
    `TEMP` are fine.

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

    def visit_Expr(self, node) -> None:
        # `os.environ.setdefault("K", "v")` as a statement of its own sets the environment: its value is unused.
        self.__dict__.setdefault("_statements", set()).add(id(node.value))

    def visit_Call(self, node) -> None:
        import libcst as cst

        func = node.func
        key_node = node.args[0].value if node.args and not node.args[0].keyword else None
        if qualified_names(self, func) & _GETENV:
            self._read(node, key_node)
        elif isinstance(func, cst.Attribute) and func.attr.value in ("get", "setdefault", "pop") \
                and qualified_names(self, func.value) & _ENVIRON:
            if func.attr.value == "setdefault" and id(node) in self.__dict__.get("_statements", ()):
                return  # setting, not reading
            self._read(node, key_node)

    def visit_Subscript(self, node) -> None:
        if self._store == 0 and qualified_names(self, node.value) & _ENVIRON and len(node.slice) == 1:
            self._read(node, getattr(node.slice[0].slice, "value", None))

    def visit_Comparison(self, node) -> None:
        import libcst as cst

        for comp in node.comparisons:
            if isinstance(comp.operator, (cst.In, cst.NotIn)) and qualified_names(self, comp.comparator) & _ENVIRON:
                self._read(node, node.left)

    def _read(self, node, key_node) -> None:
        key = literal_string(key_node) if key_node is not None else None
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
            if key is None or is_credential_name(key):
                help = (f"take it as an input: `{param}: Secret = Input(description=\"…\")` (from cog), and read it "
                        f"with `{param}.get_secret_value()`")
            else:
                help = f"take it as an input of the entry function: `{param}: str = Input(description=\"…\")` (from cog)"
        self.report(node, message, help=help)

    VALID = [
        Case("import os\nos.environ['TOKENIZERS_PARALLELISM'] = 'false'\n\ndef run(prompt: str) -> str:\n"
             "    env = {**os.environ, 'LC_ALL': 'C'}\n    tmp = os.environ.get('TMPDIR', '/tmp')\n    del os.environ['X']\n"
             "    return os.getenv('PATH') + tmp\n"),
        Case("import os\nos.environ.setdefault('HF_HUB_OFFLINE', '1')\nos.environ['OMP_NUM_THREADS'] = '1'\n\n"
             "def run(prompt: str) -> str:\n    return prompt\n", note="setting the environment is not reading it"),
    ]
    INVALID = [
        Case("import os\n\ndef run(prompt: str) -> str:\n    key = os.environ['OPENAI_API_KEY']\n"
             "    other = os.environ.get('X', '')\n    y = os.environ.setdefault('Y', '1')\n    return os.getenv('REPLICATE_API_TOKEN')\n",
             expect=[(4, 11, 4, 39, "reads the environment variable `OPENAI_API_KEY`"),
                     (5, 13, 5, 36, "reads the environment variable `X`"),
                     (6, 9, 6, 40, "reads the environment variable `Y`"),
                     (7, 12, 7, 44, "reads the environment variable `REPLICATE_API_TOKEN`")]),
        Case("from os import environ as env, getenv\nimport os as o\nTOKEN = getenv('HF_TOKEN')\n\ndef run(prompt: str) -> str:\n"
             "    if 'DEBUG' in env:\n        return o.environ.pop('Z')\n    return env['A']\n",
             expect=[(3, 9, 3, 27, "reads the environment variable `HF_TOKEN`"),
                     (6, 8, 6, 22, "reads the environment variable `DEBUG`"),
                     (7, 16, 7, 34, "reads the environment variable `Z`"),
                     (8, 12, 8, 20, "reads the environment variable `A`")]),
        Case({"main.py": "import helpers\n\ndef run(prompt: str) -> str:\n    return prompt\n",
              "helpers.py": "import os\nKEY = os.environ['KEY']\n"},
             expect=[("helpers.py", 2, 7, 2, 24, "reads the environment variable `KEY`")]),
    ]
