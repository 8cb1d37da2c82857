"""PL308 invalid-choices."""

from __future__ import annotations

from pipelint.analysis.entry import constrained_inputs, input_repr
from pipelint.analysis.inputs import keyword_given
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class InvalidChoices(EntryRule):
    """`Input(choices=...)` that the runtime refuses, or whose default is not a choice.

    ## What it does
    Reports `choices` on an input that is not a `str` or `int`, fewer than two choices,
    choices that are not all of the input's type, `choices` together with `ge`/`le` or
    `min_length`/`max_length`, and a literal default that is not one of the choices.

    ## Why is this bad?
    The runtime refuses the model when it loads: `incompatible input type for choices`,
    `choices=['a'] must have >= 2 elements`, `not all choices have the same type as input`,
    `choices and ge/le are mutually exclusive`. A default outside the choices fails cog's
    schema validation (`Model schema is invalid`) and can never be sent by a caller.

    ## Example
    ```python
    def run(size: int = Input(default=3, choices=[1, "2"], ge=1)) -> str:
        ...
    ```

    ## Use instead
    ```python
    def run(size: int = Input(default=1, choices=[1, 2])) -> str:
        ...
    ```
    """

    code = "PL308"
    name = "invalid-choices"

    def check_entry(self, entry) -> None:
        from pipelint.analysis.inputs import MISSING, UNKNOWN

        for p, _kind, elem in constrained_inputs(entry):
            call = p.input
            if not keyword_given(call, "choices"):
                continue
            arg = call.args["choices"]
            where = input_repr(entry, p)
            if not (elem.kind == "scalar" and elem.name in ("str", "int")):
                self.report(arg.arg, f"`choices` cannot constrain input `{p.name}` of type `{entry.text(p.type)}` "
                            f"(`incompatible input type for choices: {where}`)",
                            help="choices apply to `str` and `int` inputs only")
                continue
            for keywords, label in ((("ge", "le"), "ge/le"), (("min_length", "max_length"), "min_length/max_length")):
                given = [k for k in keywords if keyword_given(call, k)]
                if given:
                    self.report(call.args[given[0]].arg, f"`choices` with `{'`/`'.join(given)}` on input `{p.name}` "
                                f"(`choices and {label} are mutually exclusive: {where}`)",
                                help=f"keep `choices` and drop `{'`/`'.join(given)}`")
            values = arg.value
            if values is UNKNOWN or not isinstance(values, (list, tuple)):
                continue
            if len(values) < 2:
                self.report(arg.value_node, f"input `{p.name}` has fewer than two choices "
                            f"(`choices={list(values)!r} must have >= 2 elements: {where}`)",
                            help="give at least two choices, or drop `choices` and use a `default`")
                continue
            python_type = str if elem.name == "str" else int
            wrong = [i for i, v in enumerate(values) if type(v) is not python_type]
            if wrong:
                node = arg.value_node.elements[wrong[0]].value
                self.report(node, f"choice {values[wrong[0]]!r} of input `{p.name}` is not of type `{elem.name}` "
                            f"(`not all choices have the same type as input: {where}`)",
                            help=f"make every choice a `{elem.name}` literal")
                continue
            default = p.default_literal
            if default in (MISSING, UNKNOWN) or default is None:
                continue
            outside = [d for d in (default if isinstance(default, list) else [default]) if d not in values]
            if outside:
                node = call.args["default"].value_node
                self.report(node, f"the default {outside[0]!r} of input `{p.name}` is not one of its choices; cog's "
                            "schema check fails (`Model schema is invalid`)",
                            help=f"use one of {', '.join(repr(v) for v in values)} as the default")

    VALID = [
        Case("from cog import Input\n\n\ndef run(\n    style: str = Input(default='photo', choices=['photo', 'sketch']),\n"
             "    n: int = Input(default=1, choices=[1, 2, 4]),\n    tags: list[str] = Input(default=['a'], choices=['a', 'b']),\n"
             ") -> str:\n    return style\n"),
        Case("from cog import Input\n\nSTYLES = ['a']\n\n\ndef run(style: str = Input(choices=STYLES)) -> str:\n    return style\n"),
    ]
    INVALID = [
        Case("from cog import Input\n\n\ndef run(flag: bool = Input(choices=[True, False])) -> str:\n    return ''\n",
             expect=[(4, 28, 4, 49, "`choices` cannot constrain input `flag` of type `bool`")]),
        Case("from cog import Input\n\n\ndef run(s: str = Input(choices=['a'])) -> str:\n    return s\n",
             expect=[(4, 32, 4, 37, "input `s` has fewer than two choices")]),
        Case("from cog import Input\n\n\ndef run(s: str = Input(choices=['a', 2])) -> str:\n    return s\n",
             expect=[(4, 38, 4, 39, "choice 2 of input `s` is not of type `str`")]),
        Case("from cog import Input\n\n\ndef run(n: int = Input(default=1, choices=[1, 2], ge=1)) -> str:\n    return ''\n",
             expect=[(4, 51, 4, 55, "`choices` with `ge` on input `n`")]),
        Case("from typing import Optional\nimport cog\n\n\ndef run(\n    size: Optional[str] = cog.Input(\n        default='xl',\n"
             "        choices=['s', 'm'],\n    ),\n) -> str:\n    return ''\n",
             expect=[(7, 17, 7, 21, "the default 'xl' of input `size` is not one of its choices")]),
        Case("from cog import Input\n\n\ndef run(n: int = Input(choices=[1, True])) -> str:\n    return ''\n",
             expect=[(4, 36, 4, 40, "choice True of input `n` is not of type `int`")]),
    ]
