"""PL312 plain-default: An input with a plain Python default instead of `Input(default=...)`."""

from __future__ import annotations

from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


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
        from pipelint.analysis.inputs import UNKNOWN
        from pipelint.edits import pyedit

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
             expect=[(4, 31, 4, 32, "input `n` has a plain default")],
             fixed="from cog import Input\n\n\ndef run(prompt: str, n: int = Input(default=3)) -> str:\n    return prompt\n"),
        Case('"""Model."""\nfrom cog import Path\n\n\ndef run(\n    scale: float = -1.5,\n    mode: str = "fast",\n) -> str:\n'
             "    return mode\n",
             expect=[(6, 20, 6, 24, "input `scale` has a plain default"),
                     (7, 17, 7, 23, "input `mode` has a plain default")],
             fixed='"""Model."""\nfrom cog import Input, Path\n\n\ndef run(\n    scale: float = Input(default=-1.5),\n'
                   '    mode: str = Input(default="fast"),\n) -> str:\n    return mode\n'),
        Case("import cog\n\n\ndef run(tags: list[str] = ['a', 'b']) -> str:\n    return ''\n",
             expect=[(4, 27, 4, 37, "input `tags` has a plain default")],
             fixed="import cog\n\n\ndef run(tags: list[str] = cog.Input(default=['a', 'b'])) -> str:\n    return ''\n"),
        Case('"""Model."""\n\nfrom __future__ import division\n\nInput = 3\n\n\ndef run(n: int = 4) -> str:\n    return ""\n',
             expect=[(8, 18, 8, 19, "input `n` has a plain default")],
             fixed='"""Model."""\n\nfrom __future__ import division\n\nfrom cog import Input as CogInput\n\nInput = 3\n\n\n'
                   'def run(n: int = CogInput(default=4)) -> str:\n    return ""\n'),
    ]
