"""PL301 entry-variadic-parameters: The entry takes `*args`, `**kwargs` or keyword-only parameters."""

from __future__ import annotations

from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import EntryRule


class VariadicParameters(EntryRule):
    """The entry takes `*args`, `**kwargs` or keyword-only parameters.

    ## What it does
    Reports `*args`, `**kwargs` and keyword-only parameters (those after a bare `*`) on the
    entry function, or on the `predict()` method of a class entry.

    ## Why is this bad?
    The runtime turns each named parameter into an input and calls the function with them.
    It refuses anything else when the model loads: `run() must not have *args`,
    `run() must not have **kwargs`, `run() must not have keyword-only args`.

    ## Example
    ```python
    def run(prompt: str, *, seed: int = Input(default=0)) -> str:
        ...
    ```

    ## Use instead
    ```python
    def run(prompt: str, seed: int = Input(default=0)) -> str:
        ...
    ```
    """

    code = "PL301"
    name = "entry-variadic-parameters"

    def check_entry(self, entry) -> None:
        import libcst as cst

        f = entry.func_name
        params = entry.function.params
        star = params.star_arg
        if isinstance(star, cst.Param):
            self.report(
                star, f"`{f}()` takes `*{star.name.value}`: inputs are passed by name only (`{f}() must not have *args`)",
                help=f"remove `*{star.name.value}` and declare each input as its own annotated parameter")
        if params.star_kwarg is not None:
            name = params.star_kwarg.name.value
            self.report(
                params.star_kwarg,
                f"`{f}()` takes `**{name}`: the runtime needs every input declared (`{f}() must not have **kwargs`)",
                help=f"remove `**{name}` and declare each input as its own annotated parameter")
        if params.kwonly_params and isinstance(star, cst.ParamStar):
            names = ", ".join(f"`{p.name.value}`" for p in params.kwonly_params)
            self.report(
                star, f"`{f}()` has keyword-only parameters ({names}) (`{f}() must not have keyword-only args`)",
                help="remove the bare `*` so that they are ordinary parameters")

    VALID = [
        Case("from cog import Input\n\ndef run(prompt: str, seed: int = Input(default=0)) -> str:\n    return prompt\n"),
        Case("def helper(*args, **kwargs):\n    pass\n\ndef run(prompt: str) -> str:\n    return prompt\n"),
    ]
    INVALID = [
        Case("def run(prompt: str, *images) -> str:\n    return prompt\n",
             expect=[(1, 22, 1, 29, "`run()` takes `*images`")]),
        Case("def run(prompt: str, **options) -> str:\n    return prompt\n",
             expect=[(1, 22, 1, 31, "`run()` takes `**options`")]),
        Case("from cog import Input\n\ndef run(prompt: str, *, seed: int = Input(default=0)) -> str:\n    return prompt\n",
             expect=[(3, 22, 3, 25, "`run()` has keyword-only parameters")]),
        Case("def run(\n    prompt: str,\n    *extra: str,\n    n: int,\n) -> str:\n    return prompt\n",
             expect=[(3, 5, 3, 11, "`run()` takes `*extra`")],
             note="keyword-only parameters after *args: one diagnostic, for *args"),
        Case("async def run(*args, **kwargs) -> str:\n    return ''\n",
             expect=[(1, 15, 1, 20, "`run()` takes `*args`"),
                     (1, 22, 1, 30, "`run()` takes `**kwargs`")]),
        Case({"cog.yaml": 'predict: "main.py:Predictor"\n',
              "main.py": "from cog import BasePredictor\n\nclass Predictor(BasePredictor):\n"
                         "    def predict(self, **kw) -> str:\n        return ''\n"},
             expect=[(4, 23, 4, 27, "`predict()` takes `**kw`")]),
    ]
