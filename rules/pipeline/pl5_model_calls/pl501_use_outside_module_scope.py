"""PL501 use-outside-module-scope: `replicate.use()` inside a function, method, lambda or class body."""

from __future__ import annotations

from pipelint.analysis.calls import could_be_use, is_literal, name_assignments
from pipelint.core.diagnostics import Edit, Position
from pipelint.engine.rule import Case
from pipelint.engine.rule_bases import ModelRule
from pipelint.model.imports import dotted

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
             expect=[(5, 11, 5, 47, "`replicate.use(...)` is called inside function `run`: cog's dependency "
                                    "analysis fails the build (`Invalid scope at line 5: replicate.use(...) must "
                                    "be in global scope`)")],
             fixed=HEADER + "llm = replicate.use('openai/gpt-4.1-nano')\n\n\ndef run(prompt: str) -> str:\n    return str(llm(prompt=prompt))\n"),
        Case("import asyncio\nimport replicate\n\nasync def run() -> str:\n"
             "    flux_dev = replicate.use(\"black-forest-labs/flux-dev\", use_async=True)\n"
             "    outputs = await flux_dev(prompt=\"a cat\")\n    return str(outputs)\n",
             expect=[(5, 16, 5, 75, "`replicate.use(...)` is called inside function `run`: cog's dependency "
                                    "analysis fails the build (`Invalid scope at line 5: replicate.use(...) must "
                                    "be in global scope`)")],
             fixed="import asyncio\nimport replicate\n\nflux_dev = replicate.use(\"black-forest-labs/flux-dev\", use_async=True)\n\n"
                   "async def run() -> str:\n    outputs = await flux_dev(prompt=\"a cat\")\n    return str(outputs)\n"),
        Case("from replicate import use as u\nflux = u('a/b')\n\nclass Helper:\n    model = u('c/d')\n\n"
             "    def go(self, m=u('e/f')):\n        return (lambda: u('g/h'))\n\ndef run(prompt: str) -> str:\n    return prompt\n",
             expect=[(5, 13, 5, 21, "`u(...)` is called inside class body `Helper`: cog's dependency analysis "
                                    "fails the build (`Invalid scope at line 5: replicate.use(...) must be in "
                                    "global scope`)"),
                     (7, 20, 7, 28, "`u(...)` is called inside function `go`: cog's dependency analysis fails the "
                                    "build (`Invalid scope at line 7: replicate.use(...) must be in global scope`)"),
                     (8, 25, 8, 33, "`u(...)` is called inside a lambda: cog's dependency analysis fails the "
                                    "build (`Invalid scope at line 8: replicate.use(...) must be in global scope`)")]),
        Case("import replicate\n\ndef run(prompt: str) -> str:\n    flux = replicate.use('a/b')\n    return prompt\n\nflux = 1\n",
             expect=[(4, 12, 4, 32, "`replicate.use(...)` is called inside function `run`: cog's dependency "
                                    "analysis fails the build (`Invalid scope at line 4: replicate.use(...) must "
                                    "be in global scope`)")], note="the name is taken at module level: no fix"),
        Case({"main.py": "import helpers\n\ndef run(prompt: str) -> str:\n    return helpers.go(prompt)\n",
              "helpers.py": "def go(prompt):\n    import replicate\n    m = replicate.use('a/b')\n    return m(prompt=prompt)\n"},
             expect=[("helpers.py", 3, 9, 3, 29, "`replicate.use(...)` is called inside function `go`: cog's "
                                                 "dependency analysis fails the build (`Invalid scope at line 3: "
                                                 "replicate.use(...) must be in global scope`)")]),
    ]


def hoist_edits(module, use) -> list | None:
    """Edits moving ``NAME = use("owner/name", …)`` from a function to module scope, or None when
    that could change what the code does.

    Only when: the assignment is a statement of its own directly in a function body that keeps
    other statements; every argument is a literal; NAME has no other binding in the function and
    none at module level; and what the call names (``replicate``, ``use``) is imported at module
    level before the place the assignment moves to.
    """
    import libcst as cst
    from libcst.metadata import ClassScope, GlobalScope

    fn, line, target = use.enclosing_def, use.statement, use.target
    if use.scope != "function" or fn is None or line is None or target is None:
        return None
    if not isinstance(fn.body, cst.IndentedBlock) or len(fn.body.body) < 2 or not any(s is line for s in fn.body.body):
        return None
    if use.ref is None or len(use.positional) != 1 or not all(is_literal(a.value) for a in use.options.values()) \
            or any(a.star for a in use.node.args):
        return None
    name = target.value
    scope = module.meta("scope", target)
    if scope is None or len(scope.assignments[name]) != 1:
        return None
    parent = scope.parent
    while parent is not None and not isinstance(parent, GlobalScope):
        if not isinstance(parent, ClassScope) and parent.assignments[name]:
            return None
        parent = parent.parent
    if parent is None or parent.assignments[name]:
        return None  # the name is taken at module level

    body = list(module.tree.body)
    index = next((i for i, s in enumerate(body) if s is use.top_statement), None)
    if index is None:
        return None
    anchor = None  # insert after the last import or model assignment before the function
    for stmt in body[:index]:
        if isinstance(stmt, cst.SimpleStatementLine) and any(
                isinstance(s, (cst.Import, cst.ImportFrom)) or _is_use_assignment(s) for s in stmt.body):
            anchor = stmt
    root = use.node.func
    while isinstance(root, cst.Attribute):
        root = root.value
    if not isinstance(root, cst.Name):
        return None
    insert_line = module.range(anchor)[1].line + 1 if anchor is not None else module.range(use.top_statement)[0].line
    for assignment in name_assignments(module, root):
        node = getattr(assignment, "node", None)
        if not isinstance(assignment.scope, GlobalScope) or not isinstance(node, (cst.Import, cst.ImportFrom)) \
                or module.range(node)[0].line >= insert_line:
            return None
    if not name_assignments(module, root):
        return None

    statement = module.code_for(line.body[0]).strip()
    start, end = module.range(line)
    remove = Edit(module.source.path, Position(start.line, 1), Position(end.line + 1, 1), "")
    if anchor is None:
        text = f"{statement}\n\n\n"
    elif any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in anchor.body):
        text = f"\n{statement}\n"
    else:
        text = f"{statement}\n"
    insert = Edit(module.source.path, Position(insert_line, 1), Position(insert_line, 1), text)
    return [insert, remove]


def _is_use_assignment(small) -> bool:
    import libcst as cst

    return isinstance(small, cst.Assign) and isinstance(small.value, cst.Call) and could_be_use(small.value.func) \
        and dotted(small.value.func).rpartition(".")[2] in ("use",)
