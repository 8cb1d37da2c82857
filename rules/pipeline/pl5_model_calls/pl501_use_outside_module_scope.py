"""PL501 use-outside-module-scope: `replicate.use()` inside a function, method, lambda or class body."""

from __future__ import annotations

from pipelint.rule import Case
from pipelint.rule_bases import ModelRule

_SCOPE_WORDS = {"function": "function", "class": "class body", "lambda": "lambda"}

HEADER = "import replicate\n\n"
FLUX = 'flux = replicate.use("black-forest-labs/flux-schnell")\n'


class UseOutsideModuleScope(ModelRule):
    """`replicate.use()` inside a function, method, lambda or class body.

    ## What it does
    Reports a `use()` call (any spelling: `replicate.use`, `r.use`, `use`, `u`) that is not at
    module scope. Module-level `if`/`for`/`while`/`try`/`with` blocks are module scope; a
    function's decorators and default values are not (cog's analysis counts them as inside).

    ## Why is this bad?
    When the model is built, cog records the models a pipeline calls by reading the module-level
    `use()` calls, and fails on any other:
    `Invalid scope at line 5: replicate.use(...) must be in global scope`.

    ## Example
    ```python
    import replicate

    def run(prompt: str) -> str:
        llm = replicate.use("openai/gpt-4.1-nano")
        return llm(prompt=prompt)
    ```

    ## Use instead
    ```python
    import replicate

    llm = replicate.use("openai/gpt-4.1-nano")

    def run(prompt: str) -> str:
        return llm(prompt=prompt)
    ```

    ## Fix safety
    The fix moves `NAME = use("owner/name", …)` to module scope, after the imports. It is
    offered only when all the call's arguments are literals, NAME is bound nowhere else in the
    function nor at module level, what the call names is imported at module level, and the
    function keeps other statements; then it does not change what the code does.
    """

    code = "PL501"
    name = "use-outside-module-scope"
    fix_availability = "sometimes"

    def check(self) -> None:
        from pipelint.models import hoist_edits

        for module, facts in self.each_module():
            for use in facts.uses:
                if use.scope is None:
                    continue
                line = module.range(use.node)[0].line
                edits = hoist_edits(module, use)
                fix = self.fix(f"Move `{use.target.value} = {use.spelling}(…)` to module scope", *edits) if edits else None
                model = use.target.value if use.target is not None else "model"
                call = module.code_for(use.node)
                call = call if len(call) <= 80 and "\n" not in call else f'{use.spelling}("owner/name")'
                where = f"{_SCOPE_WORDS[use.scope]} `{use.scope_name}`" if use.scope_name else f"a {_SCOPE_WORDS[use.scope]}"
                self.report(use.node,
                            f"`{use.spelling}(...)` is called inside {where}: cog's "
                            f"dependency analysis fails the build (`Invalid scope at line {line}: "
                            f"replicate.use(...) must be in global scope`)",
                            module=module, fix=fix,
                            help=f"assign it once at module level (`{model} = {call}`) and call `{model}` from the function")

    VALID = [
        Case(HEADER + FLUX + "\ndef run(prompt: str) -> str:\n    return str(flux(prompt=prompt))\n"),
        Case("import os\nimport replicate as r\nif os.name == 'posix':\n    flux = r.use('a/b')\nelse:\n    flux = r.use('a/c')\n"
             "try:\n    llm = r.use('o/llm')\nexcept Exception:\n    llm = None\nfor ref in ['x/y']:\n    pass\n"
             "models = [r.use(x) for x in ('a/b',)]\n\ndef run(prompt: str) -> str:\n    return prompt\n"),
        Case("from replicate import use as u\nflux = u('a/b', use_async=True)\n\nasync def run(prompt: str) -> str:\n"
             "    return str(await flux(prompt=prompt))\n"),
        Case("import replicate\n\ndef run(prompt: str) -> str:\n    replicate.run('a/b', input={})\n    return prompt\n"),
    ]
    INVALID = [
        Case(HEADER + "\ndef run(prompt: str) -> str:\n    llm = replicate.use('openai/gpt-4.1-nano')\n    return str(llm(prompt=prompt))\n",
             expect=[(5, 11)],
             fixed=HEADER + "llm = replicate.use('openai/gpt-4.1-nano')\n\n\ndef run(prompt: str) -> str:\n    return str(llm(prompt=prompt))\n"),
        Case("import asyncio\nimport replicate\n\nasync def run() -> str:\n"
             "    flux_dev = replicate.use(\"black-forest-labs/flux-dev\", use_async=True)\n"
             "    outputs = await flux_dev(prompt=\"a cat\")\n    return str(outputs)\n",
             expect=[(5, 16)],
             fixed="import asyncio\nimport replicate\n\nflux_dev = replicate.use(\"black-forest-labs/flux-dev\", use_async=True)\n\n"
                   "async def run() -> str:\n    outputs = await flux_dev(prompt=\"a cat\")\n    return str(outputs)\n"),
        Case("from replicate import use as u\nflux = u('a/b')\n\nclass Helper:\n    model = u('c/d')\n\n"
             "    def go(self, m=u('e/f')):\n        return (lambda: u('g/h'))\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(5, 13), (7, 20), (8, 25)]),
        Case("import replicate\n\ndef run(prompt: str) -> str:\n    flux = replicate.use('a/b')\n    return prompt\n\nflux = 1\n",
             expect=[(4, 12)], note="the name is taken at module level: no fix"),
        Case({"main.py": "import helpers\n\ndef run(prompt: str) -> str:\n    return helpers.go(prompt)\n",
              "helpers.py": "def go(prompt):\n    import replicate\n    m = replicate.use('a/b')\n    return m(prompt=prompt)\n"},
             expect=[("helpers.py", 3, 9)]),
    ]
