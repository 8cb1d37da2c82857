"""PL504 invalid-use-options: `use()` options other than `hint`, `streaming` and `use_async`."""

from __future__ import annotations

from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import ModelRule

HEADER = "import replicate\n\n"


class InvalidUseOptions(ModelRule):
    """`use()` options other than `hint`, `streaming` and `use_async`.

    ## What it does
    Reports an unknown keyword passed to `use()` (`stream=True`, `timeout=60`), a literal
    `streaming`/`use_async` value that is not `True` or `False`, and more than one positional
    argument.

    ## Why is this bad?
    `use(ref, *, hint=None, streaming=False, use_async=False)` takes nothing else: the model
    fails to load with `TypeError: use() got an unexpected keyword argument 'stream'`. A
    non-bool flag silently picks a mode by truthiness.

    ## Example
    ```python
    llm = replicate.use("openai/gpt-4.1-nano", stream=True)
    ```

    ## Use instead
    ```python
    llm = replicate.use("openai/gpt-4.1-nano", streaming=True)
    ```
    """

    code = "PL504"
    name = "invalid-use-options"

    def check(self) -> None:
        from pipelint.analysis.calls import USE_OPTIONS, is_literal
        from pipelint.analysis.inputs import literal_value

        for module, facts in self.each_module():
            for use in facts.uses:
                for extra in use.positional[1:]:
                    self.report(extra, f"`{use.spelling}()` takes the model reference as its only positional argument "
                                       f"(`TypeError: use() takes 1 positional argument but {len(use.positional)} were given`)",
                                module=module, help="pass options by keyword: `hint=`, `streaming=`, `use_async=`")
                for keyword, arg in use.options.items():
                    if keyword == "ref":
                        continue
                    if keyword not in USE_OPTIONS:
                        import difflib  # (and heapq): only for a name that is misspelt
                        close = difflib.get_close_matches(keyword, USE_OPTIONS, n=1, cutoff=0.5)
                        self.report(arg, f"`{keyword}=` is not an option of `use()`, which accepts only `hint`, `streaming` "
                                         f"and `use_async` (`TypeError: use() got an unexpected keyword argument '{keyword}'`)",
                                    module=module, help=f"did you mean `{close[0]}=`?" if close else "remove it")
                    elif keyword in ("streaming", "use_async") and is_literal(arg.value) \
                            and not isinstance(literal_value(arg.value), bool):
                        self.report(arg.value, f"`{keyword}=` takes True or False, not `{module.code_for(arg.value)}`",
                                    module=module, help=f"write `{keyword}=True` or leave it out")

    VALID = [Case(HEADER + "opts = {'streaming': True}\nm = replicate.use('o/m', **opts)\n\ndef run(prompt: str) -> str:\n    return prompt\n"),
             Case(HEADER + "llm = replicate.use('o/m', streaming=True, use_async=False, hint=None)\nSTREAM = True\n"
                  "x = replicate.use('o/n', streaming=STREAM)\n\ndef run(prompt: str) -> str:\n    return prompt\n")]
    INVALID = [
        Case(HEADER + "llm = replicate.use('o/m', stream=True)\nx = replicate.use('o/m', 'o/n')\ny = replicate.use('o/m', streaming='yes')\n"
             "z = replicate.use('o/m', use_async=1, timeout=5)\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(3, 28, 3, 39, "`stream=` is not an option of `use()`, which accepts only `hint`, "
                                    "`streaming` and `use_async`"),
                     (4, 26, 4, 31, "`replicate.use()` takes the model reference as its only positional argument"),
                     (5, 36, 5, 41, "`streaming=` takes True or False, not `'yes'`"),
                     (6, 36, 6, 37, "`use_async=` takes True or False, not `1`"),
                     (6, 39, 6, 48, "`timeout=` is not an option of `use()`, which accepts only `hint`, "
                                    "`streaming` and `use_async`")]),
    ]
