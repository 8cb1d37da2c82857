"""PL305, PL306, PL312, PL314, PL315: the types and defaults of the entry's inputs."""

from __future__ import annotations

import re

from pipelint.core.diagnostics import Applicability, Severity
from pipelint.analysis.entry import EntryRule
from pipelint.engine.rule import Case


def optional_spelling(entry, inner_code: str):
    """How to write ``Optional[inner]`` in this file: (text, import edits)."""
    from pipelint.edits import pyedit

    if entry.types.uses_pep604:
        return f"{inner_code} | None", ()
    plan = pyedit.ensure_import(entry.module, "typing", "Optional")
    return f"{plan.name}[{inner_code}]", plan.edits


class DefaultNoneNotOptional(EntryRule):
    """An input defaults to `None` but its type is not Optional.

    ## What it does
    Reports `Input(default=None)` (or `= None`) on an input whose type is not
    `Optional[...]`.

    ## Why is this bad?
    The guide: "the type declaration for the input must also be optional". The pipelines
    runtime refuses it when it builds the schema (`error-prone usage of default=None`,
    `input with default=None must be Optional`); cog makes such an input required, so
    callers that leave it out get `Field required`. For a list, the empty default is `[]`.

    ## Example
    ```python
    def run(seed: int = Input(default=None)) -> str:
        ...
    ```

    ## Use instead
    ```python
    from typing import Optional

    def run(seed: Optional[int] = Input(default=None)) -> str:
        ...
    ```

    ## Fix safety
    The fix wraps the type in `Optional[...]` (importing it from `typing` if needed), or
    writes `T | None` when the file already spells unions that way. It is safe: the input
    already defaults to None. There is no fix for a list (`Optional[list[...]]` is itself
    unsupported: use `default=[]`) or for a type written in a string or through an alias.
    """

    code = "PL305"
    name = "default-none-not-optional"
    fix_availability = "sometimes"

    def check_entry(self, entry) -> None:
        from pipelint.analysis import annotations as T

        for p in entry.inputs:
            t = p.type
            if t is None or not p.defaults_to_none or t.kind in (T.OPTIONAL, T.NONE, T.UNKNOWN):
                continue
            if entry.input_type_finding(p) is not None:
                continue  # an unsupported type: PL306 says what to write instead
            text = entry.code(p.annotation)
            shown = entry.text(t)  # as the runtime names it: without the quotes of a string annotation
            if t.kind == T.LIST:
                self.report(p.annotation, f"list input `{p.name}` defaults to None "
                            "(`list input should use default=[] instead of default=None`)",
                            help="write `default=[]` for an empty list")
                continue
            fix = None
            written, edits = optional_spelling(entry, text)
            if t.written:
                fix = self.fix(f"Make `{p.name}` `{written}`", self.edit_node(p.annotation, written), *edits)
            self.report(p.annotation, f"input `{p.name}` defaults to None but its type `{shown}` is not Optional "
                        "(`error-prone usage of default=None`)",
                        help=f"write `{p.name}: {optional_spelling(entry, shown)[0]}`", fix=fix)

    VALID = [
        Case("from typing import Optional\nfrom cog import Input\n\n\n"
             "def run(seed: Optional[int] = Input(default=None)) -> str:\n    return str(seed)\n"),
        Case("from cog import Input, Path\n\n\ndef run(image: Path | None = Input(default=None)) -> str:\n    return ''\n"),
        Case("import typing as t\nfrom cog import Input\n\n\n"
             "def run(seed: t.Union[int, None] = Input(default=None)) -> str:\n    return ''\n"),
        Case("from typing import Optional\n\n\ndef run(seed: Optional[int] = None) -> str:\n    return ''\n"),
        Case("from cog import Input\n\n\ndef run(seed: 'int | None' = Input(default=None)) -> str:\n    return ''\n"),
        Case("from cog import Input\n\n\ndef run(seed: int = Input(default=0)) -> str:\n    return ''\n"),
    ]
    INVALID = [
        Case("from cog import Input\n\n\ndef run(seed: int = Input(default=None)) -> str:\n    return str(seed)\n",
             expect=[(4, 15)],
             fixed="from cog import Input\nfrom typing import Optional\n\n\n"
                   "def run(seed: Optional[int] = Input(default=None)) -> str:\n    return str(seed)\n"),
        Case('"""Model."""\nfrom typing import List\n\nfrom cog import Input as I, Path\n\n\n'
             "def run(\n    image: Path = I(default=None, description='An image'),\n) -> str:\n    return ''\n",
             expect=[(8, 12)],
             fixed='"""Model."""\nfrom typing import List, Optional\n\nfrom cog import Input as I, Path\n\n\n'
                   "def run(\n    image: Optional[Path] = I(default=None, description='An image'),\n) -> str:\n    return ''\n"),
        Case("import typing\nimport cog\n\n\ndef run(a: str | None = cog.Input(default=None), "
             "b: cog.Secret = cog.Input(default=None)) -> str:\n    return ''\n",
             expect=[(5, 53)],
             fixed="import typing\nimport cog\n\n\ndef run(a: str | None = cog.Input(default=None), "
                   "b: cog.Secret | None = cog.Input(default=None)) -> str:\n    return ''\n"),
        Case("import typing as t\n\n\ndef run(prompt: str = None) -> str:\n    return ''\n", expect=[(4, 17)],
             fixed="import typing as t\n\n\ndef run(prompt: t.Optional[str] = None) -> str:\n    return ''\n"),
        Case("from cog import Input\n\n\ndef run(tags: list[str] = Input(default=None)) -> str:\n    return ''\n",
             expect=[(4, 15)]),
        Case("from cog import Input\n\n\ndef run(seed: 'int' = Input(default=None)) -> str:\n    return ''\n",
             expect=[(4, 15)]),
    ]


_HELP_TYPES = "use str, int, float, bool, cog.Path or cog.Secret, a `list[...]` of one, or an `Optional[...]` of one"


class UnsupportedInputType(EntryRule):
    """An input type the pipelines runtime does not accept.

    ## What it does
    Reports an input whose type is not one of: `str`, `int`, `float`, `bool`, `cog.Path`,
    `cog.Secret`, a `list[...]` of those, or an `Optional[...]` of those. That rules out
    `dict`, `Any`, unions of two real types, `Literal`, `tuple`, `set`, `datetime`, nested
    lists, `Optional[list[...]]` and custom classes.

    ## Why is this bad?
    The pinned pipelines runtime refuses the model when it loads:
    `invalid input field when: unsupported Cog type datetime`,
    `invalid input field xs: List cannot have nested type list`,
    `invalid input field tags: Optional cannot have nested type list`.

    ## Example
    ```python
    def run(options: dict, tags: Optional[list[str]] = Input(default=None)) -> str:
        ...
    ```

    ## Use instead
    ```python
    def run(options: str = Input(description="JSON"), tags: list[str] = Input(default=[])) -> str:
        ...
    ```
    """

    code = "PL306"
    name = "unsupported-input-type"

    def check_entry(self, entry) -> None:
        from pipelint.analysis import annotations as T

        for p in entry.inputs:
            finding = entry.input_type_finding(p)
            if finding is None:
                continue
            part = finding.part
            if finding.what == "optional-list":
                help_ = f"write `{p.name}: {entry.text(part)} = Input(default=[])`: an empty list says \"not given\""
            elif part.kind in (T.DICT, T.ANY):
                help_ = "take a JSON string (`str`) and parse it with `json.loads`"
            elif part.kind == T.UNION:
                help_ = "pick one type (`str` accepts anything and can be parsed)"
            elif part.kind == T.OTHER and part.name == "Literal":
                help_ = "use `str` (or `int`) with `Input(choices=[...])`"
            elif finding.what == "nested":
                help_ = "take a flat `list[...]` of str, int, float, bool, Path or Secret"
            else:
                help_ = _HELP_TYPES
            self.report(finding.node, f"input `{p.name}` has a type the runtime does not accept "
                        f"(`invalid input field {p.name}: {finding.detail}`)", help=help_)

    VALID = [
        Case("from typing import List, Optional\nfrom cog import Input, Path, Secret\n\n\n"
             "def run(\n    a: str,\n    b: int,\n    c: float,\n    d: bool,\n    e: Path,\n    f: Secret,\n"
             "    g: list[str],\n    h: List[Path],\n    i: Optional[int] = Input(default=None),\n"
             "    j: 'Optional[Path]' = Input(default=None),\n) -> str:\n    return a\n"),
        Case("import pathlib\n\n\ndef run(a: pathlib.Path) -> str:\n    return str(a)\n"),
        Case({"main.py": "from helpers import Thing\n\n\ndef run(a: Thing) -> str:\n    return str(a)\n",
              "helpers.py": "Thing = str\n"},
             note="a name from the model's own modules: not followed, so nothing is said"),
    ]
    INVALID = [
        Case("def run(options: dict) -> str:\n    return ''\n", expect=[(1, 18)]),
        Case("from typing import Any\n\n\ndef run(x: Any) -> str:\n    return ''\n", expect=[(4, 12)]),
        Case("from typing import Optional\nfrom cog import Input\n\n\n"
             "def run(tags: Optional[list[str]] = Input(default=None)) -> str:\n    return ''\n", expect=[(5, 24)]),
        Case("import datetime\n\n\ndef run(when: datetime.datetime) -> str:\n    return ''\n", expect=[(4, 15)]),
        Case("def run(xs: list[list[int]]) -> str:\n    return ''\n", expect=[(1, 18)]),
        Case("from typing import Literal\n\n\ndef run(mode: Literal['a', 'b']) -> str:\n    return mode\n",
             expect=[(4, 15)]),
        Case("def run(x: str | int) -> str:\n    return ''\n", expect=[(1, 12)]),
        Case("def run(x: tuple[int, int], y: set) -> str:\n    return ''\n", expect=[(1, 12), (1, 32)]),
        Case("from cog import BaseModel\n\n\nclass Options(BaseModel):\n    n: int\n\n\n"
             "def run(options: 'Options') -> str:\n    return ''\n", expect=[(8, 18)]),
        Case("import typing as t\n\nJson = t.Dict[str, t.Any]\n\n\ndef run(\n    payload: Json,\n) -> str:\n    return ''\n",
             expect=[(7, 14)]),
    ]


class PlainDefault(EntryRule):
    """An input with a plain Python default instead of `Input(default=...)`.

    ## What it does
    Reports an entry parameter whose default is a plain value (`n: int = 3`) rather than
    an `Input()` call.

    ## Why is this bad?
    The pinned pipelines runtime treats every default as an `Input()` and crashes while
    loading the model (`'int' object has no attribute 'default'`). A default of `None` on an
    Optional type is the exception: the runtime reads it as "no default".

    ## Example
    ```python
    def run(prompt: str, steps: int = 4) -> str:
        ...
    ```

    ## Use instead
    ```python
    from cog import Input

    def run(prompt: str, steps: int = Input(default=4)) -> str:
        ...
    ```

    ## Fix safety
    The fix wraps the default in `Input(default=...)`, importing `Input` from cog (or using
    the file's own spelling of it). The default value does not change.
    """

    code = "PL312"
    name = "plain-default"
    fix_availability = "always"

    def check_entry(self, entry) -> None:
        from pipelint.edits import pyedit
        from pipelint.analysis.inputs import UNKNOWN

        for p in entry.inputs:
            if not p.plain_default or p.defaults_to_none:
                continue
            code = entry.code(p.default)
            value = p.default_literal
            crash = f"'{type(value).__name__}' object has no attribute 'default'" if value is not UNKNOWN else \
                "object has no attribute 'default'"
            plan = pyedit.ensure_import(entry.module, "cog", "Input")
            new = f"{plan.name}(default={code})"
            self.report(p.default, f"input `{p.name}` has a plain default; the runtime reads every default as an "
                        f"`Input()` and fails (`{crash}`)", help=f"write `{p.name}: ... = {new}`",
                        fix=self.fix(f"Wrap the default in `{plan.name}(default=...)`", self.edit_node(p.default, new),
                                     *plan.edits))

    VALID = [
        Case("from cog import Input\n\n\ndef run(n: int = Input(default=3)) -> str:\n    return ''\n"),
        Case("from typing import Optional\n\n\ndef run(n: Optional[int] = None) -> str:\n    return ''\n"),
        Case("from helpers import Input\n\n\ndef run(n: int = Input(default=3)) -> str:\n    return ''\n"),
    ]
    INVALID = [
        Case("from cog import Input\n\n\ndef run(prompt: str, n: int = 3) -> str:\n    return prompt\n",
             expect=[(4, 31)],
             fixed="from cog import Input\n\n\ndef run(prompt: str, n: int = Input(default=3)) -> str:\n    return prompt\n"),
        Case('"""Model."""\nfrom cog import Path\n\n\ndef run(\n    scale: float = -1.5,\n    mode: str = "fast",\n) -> str:\n'
             "    return mode\n", expect=[(6, 20), (7, 17)],
             fixed='"""Model."""\nfrom cog import Path, Input\n\n\ndef run(\n    scale: float = Input(default=-1.5),\n'
                   '    mode: str = Input(default="fast"),\n) -> str:\n    return mode\n'),
        Case("import cog\n\n\ndef run(tags: list[str] = ['a', 'b']) -> str:\n    return ''\n", expect=[(4, 27)],
             fixed="import cog\n\n\ndef run(tags: list[str] = cog.Input(default=['a', 'b'])) -> str:\n    return ''\n"),
        Case('"""Model."""\n\nfrom __future__ import division\n\nInput = 3\n\n\ndef run(n: int = 4) -> str:\n    return ""\n',
             expect=[(8, 18)],
             fixed='"""Model."""\n\nfrom __future__ import division\nfrom cog import Input as CogInput\n\nInput = 3\n\n\n'
                   'def run(n: int = CogInput(default=4)) -> str:\n    return ""\n'),
    ]


class Pep604Optional(EntryRule):
    """`X | None` on an input or Output field: the pinned runtime rejects that spelling.

    ## What it does
    Reports an input or Output field annotated `X | None` (PEP 604). Off by default.

    ## Why is this bad?
    The runtime the pipelines list pins (coglet 0.1.0a31) only understands `typing.Optional`
    and fails with `unsupported Cog type str | None`; later runtimes accept both spellings.
    The guide itself recommends `X | None`, so this is advice for models that must run on
    the pinned version.

    ## Example
    ```python
    def run(seed: int | None = Input(default=None)) -> str:
        ...
    ```

    ## Use instead
    ```python
    from typing import Optional

    def run(seed: Optional[int] = Input(default=None)) -> str:
        ...
    ```

    ## Fix safety
    The fix rewrites `X | None` as `Optional[X]`, importing `Optional` if needed. It is
    safe: both spellings mean the same type. Unions of more than one real type and
    annotations written in a string are left alone.
    """

    code = "PL314"
    name = "pep604-optional"
    severity = Severity.INFO
    default_enabled = False
    fix_availability = "sometimes"

    def check_entry(self, entry) -> None:
        from pipelint.analysis import annotations as T
        from pipelint.edits import pyedit

        # an input whose type is refused anyway (``list[str] | None``) is PL306's alone
        targets = [(f"input `{p.name}`", p.type) for p in entry.inputs
                   if p.type is not None and entry.input_type_finding(p) is None]
        for model in entry.output_models:
            targets += [(f"output field `{f.name}`", f.type) for f in model.fields]
        for what, t in targets:
            if t.kind != T.OPTIONAL or t.spelling != "pep604":
                continue
            inner = t.inner
            fix = None
            if t.written and inner.written and inner.kind != T.UNION:
                plan = pyedit.ensure_import(entry.module, "typing", "Optional")
                new = f"{plan.name}[{entry.code(inner.source)}]"
                fix = self.fix(f"Write `{new}`", self.edit_node(t.node, new), *plan.edits)
            shown = entry.text(t)
            self.report(t.node, f"{what} is spelt `{shown}`, which the pinned runtime rejects "
                        f"(`unsupported Cog type {shown}`)",
                        help=f"write `Optional[{entry.text(inner)}]`", fix=fix)

    VALID = [
        Case("from typing import Optional\nfrom cog import Input\n\n\n"
             "def run(seed: Optional[int] = Input(default=None)) -> str:\n    return ''\n"),
        Case("from cog import Input\n\n\ndef run(tags: list[str] | None = Input(default=None)) -> str:\n    return ''\n",
             note="unsupported anyway: PL306 says so"),
    ]
    INVALID = [
        Case("from cog import Input\n\n\ndef run(seed: int | None = Input(default=None)) -> str:\n    return ''\n",
             expect=[(4, 15)],
             fixed="from cog import Input\nfrom typing import Optional\n\n\n"
                   "def run(seed: Optional[int] = Input(default=None)) -> str:\n    return ''\n"),
        Case("import typing\nfrom cog import BaseModel, Input, Path\n\n\nclass Output(BaseModel):\n    image: None | Path\n\n\n"
             "def run(\n    seed: 'int | None' = Input(default=None),\n) -> Output:\n    return Output(image=None)\n",
             expect=[(6, 12), (10, 11)],
             fixed="import typing\nfrom cog import BaseModel, Input, Path\n\n\nclass Output(BaseModel):\n"
                   "    image: typing.Optional[Path]\n\n\n"
                   "def run(\n    seed: 'int | None' = Input(default=None),\n) -> Output:\n    return Output(image=None)\n"),
    ]


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
    password field) and code that passes the value on may need the `Secret` itself. It is
    offered only for a plain `str` (not `Optional[str]`) that the function never reassigns.
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
        edits += [self.edit_node(u, f"{p.name}.get_secret_value()") for u in uses]
        return self.fix(f"Make `{p.name}` a `{plan.name}`", *edits)

    VALID = [
        Case("from cog import Secret\n\n\ndef run(api_key: Secret, max_tokens: int, stop_token: str) -> str:\n"
             "    return api_key.get_secret_value()\n"),
        Case("def run(keyword: str, monkey: str, sort_key: str) -> str:\n    return keyword\n"),
    ]
    INVALID = [
        Case("import requests\n\n\ndef run(prompt: str, api_key: str) -> str:\n"
             "    headers = {'Authorization': f'Bearer {api_key}'}\n    return requests.post('https://x', headers=headers).text\n",
             expect=[(4, 31)],
             fixed="import requests\nfrom cog import Secret\n\n\ndef run(prompt: str, api_key: Secret) -> str:\n"
                   "    headers = {'Authorization': f'Bearer {api_key.get_secret_value()}'}\n"
                   "    return requests.post('https://x', headers=headers).text\n"),
        Case("from typing import Optional\nfrom cog import Input\n\n\n"
             "def run(hfToken: Optional[str] = Input(default=None)) -> str:\n    return hfToken or ''\n",
             expect=[(5, 18)]),
        Case("from cog import Input\n\n\ndef run(password: str = Input(description='pw')) -> str:\n"
             "    password = password.strip()\n    return password\n", expect=[(4, 19)],
             note="reassigned: no fix"),
    ]
