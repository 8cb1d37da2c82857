"""PL310 unknown-input-argument."""

from __future__ import annotations

from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class UnknownInputArgument(EntryRule):
    """An `Input()` keyword that does not exist, or a positional argument to `Input()`.

    ## What it does
    Reports keywords other than `default`, `description`, `ge`, `le`, `min_length`,
    `max_length`, `regex`, `choices` and `deprecated` (such as `accept`, `default_factory`
    or a misspelling), and arguments passed to `Input()` without a keyword.

    ## Why is this bad?
    `Input()` raises when the module is imported
    (`Input() got an unexpected keyword argument 'accept'`), so the model does not load;
    `accept` and `default_factory` exist only in other cog versions. cog's schema generator
    ignores positional arguments, so `Input("x")` silently becomes a required input.

    ## Example
    ```python
    def run(image: Path = Input(descripton="An image", accept="image/*")) -> str:
        ...
    ```

    ## Use instead
    ```python
    def run(image: Path = Input(description="An image")) -> str:
        ...
    ```
    """

    code = "PL310"
    name = "unknown-input-argument"

    def check_entry(self, entry) -> None:
        from pipelint.analysis.inputs import INPUT_FIELDS

        for p in entry.inputs:
            call = p.input
            if call is None:
                continue
            for arg in call.unknown:
                kw = arg.keyword.value
                message = f"`Input()` has no keyword `{kw}` (`Input() got an unexpected keyword argument '{kw}'`)"
                if kw == "default_factory":
                    help_ = "give a literal `default=` (for a list: `default=[]`)"
                else:
                    import difflib  # (and heapq): only for a name that is misspelt
                    close = difflib.get_close_matches(kw, INPUT_FIELDS, n=1)
                    help_ = f"did you mean `{close[0]}`?" if close else "`Input()` takes " + ", ".join(INPUT_FIELDS)
                self.report(arg.keyword, message, help=help_)
            if call.positional:
                names = INPUT_FIELDS
                suggested = ", ".join(
                    f"{names[i] if i < len(names) else '?'}={entry.code(a.value)}" for i, a in enumerate(call.positional))
                self.report(call.positional[0], f"`Input()` is given positional arguments: cog's schema generator "
                            f"ignores them, so input `{p.name}` loses its default and becomes required",
                            help=f"pass them by keyword: `{entry.code(call.node.func)}({suggested})`")

    VALID = [
        Case("from cog import Input\n\n\ndef run(a: str = Input(default='x', description='d', deprecated=True)) -> str:\n"
             "    return a\n"),
        Case("from cog import Input\n\nOPTS = {'default': 1}\n\n\ndef run(a: int = Input(**OPTS)) -> str:\n    return ''\n"),
    ]
    INVALID = [
        Case("from cog import Input, Path\n\n\ndef run(image: Path = Input(descripton='An image', accept='image/*')) -> str:\n"
             "    return ''\n",
             expect=[(4, 29, 4, 39, "`Input()` has no keyword `descripton`"),
                     (4, 52, 4, 58, "`Input()` has no keyword `accept`")]),
        Case("from cog import Input\n\n\ndef run(tags: list[str] = Input(default_factory=list)) -> str:\n    return ''\n",
             expect=[(4, 33, 4, 48, "`Input()` has no keyword `default_factory`")]),
        Case("from cog import Input as In\n\n\ndef run(\n    prompt: str = In('a cat', 'What to draw'),\n) -> str:\n"
             "    return prompt\n", expect=[(5, 22, 5, 29, "`Input()` is given positional arguments")]),
    ]
