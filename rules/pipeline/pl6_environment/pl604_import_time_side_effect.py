"""PL604 import-time-side-effect."""

from __future__ import annotations

import re

from pipelint.analysis.visitors import MarkedBlocks
from pipelint.engine.rule import Case, Rule
from pipelint.engine.rule_bases import qualified_names

# ---- import-time side effects ---------------------------------------------------------------
_EVENT_LOOP_RUNNERS = {"asyncio.run", "anyio.run", "trio.run"}
_EXITS = {"sys.exit", "builtins.exit", "builtins.quit", "os._exit"}

# What a module must spell for this rule to find anything in it (aliases are spelt in imports).
_SIDE_EFFECT_TEXT = re.compile(r"asyncio|anyio|trio|run_until_complete|run_forever|\bexit\b|\bquit\b|_exit|\binput\b")


class ImportTimeSideEffect(MarkedBlocks, Rule):
    """Code that runs the pipeline, or stops the process, when the module is imported.

    ## What it does
    Reports, at module level (outside functions and outside `if __name__ == "__main__":`):
    `asyncio.run(...)` (also `anyio.run`, `trio.run`, `loop.run_until_complete(...)`), a call of
    the entry function itself, `input()`, and an unconditional `sys.exit()`/`exit()`/`quit()`/
    `os._exit()` (one under an `if` is a guard, such as a Python version check).

    ## Why is this bad?
    The runtime imports the entry module to find the entry function, then calls it for each
    prediction. Code like the guide's `asyncio.run(run())` runs the whole pipeline during that
    import, with no inputs, every time the model loads (and bills the models it calls);
    `input()` waits for a terminal that does not exist, and an exit stops the load.

    ## Example
    ```python
    async def run() -> str:
        ...

    asyncio.run(run())
    ```

    ## Use instead
    ```python
    async def run() -> str:
        ...

    if __name__ == "__main__":
        asyncio.run(run())
    ```
    """

    code = "PL604"
    name = "import-time-side-effect"
    files = ("python",)
    modules = "all"
    metadata = ("qualified_name",)

    @classmethod
    def applies_to(cls, project, module) -> bool:
        text = module.source.text or ""
        if _SIDE_EFFECT_TEXT.search(text):
            return True
        ref = project.predict  # the entry function called from its own module
        return (module is project.entry_module and ref is not None and ref.name is not None
                and len(re.findall(rf"\b{re.escape(ref.name)}\s*\(", text)) > 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lambdas = 0
        self._inside_runner = 0
        self._unconditional = False  # in a statement of the module body itself, not under if/try/for/with

    def visit_SimpleStatementLine(self, node) -> None:
        self._unconditional = any(node is stmt for stmt in self.module.tree.body)

    def leave_SimpleStatementLine(self, node) -> None:
        self._unconditional = False

    def visit_FunctionDef(self, node) -> None:
        self.mark(node.body)

    def visit_If(self, node) -> None:
        from pipelint.analysis.calls import is_main_guard

        if is_main_guard(node.test):
            self.mark(node.body)

    def visit_Lambda(self, node) -> None:
        self._lambdas += 1

    def leave_Lambda(self, node) -> None:
        self._lambdas -= 1

    @property
    def _deferred(self) -> bool:
        return self.in_marked or self._lambdas > 0

    def visit_Call(self, node) -> None:
        import libcst as cst

        if self._deferred:
            return
        names = qualified_names(self, node.func)
        code = self.module.code_for(node.func)
        runs_loop = names & _EVENT_LOOP_RUNNERS or (
            isinstance(node.func, cst.Attribute) and node.func.attr.value in ("run_until_complete", "run_forever"))
        if runs_loop:
            if not self._inside_runner:
                self.report(node, f"`{code}(...)` runs at import time: the runtime imports the module to find the "
                                  f"entry function, so this runs the pipeline on every load, with no inputs",
                            help="delete it (the runtime calls the entry function itself), or put it under "
                                 "`if __name__ == \"__main__\":` for local runs")
            self._inside_runner += 1
        elif names & _EXITS and self._unconditional:  # a conditional exit is a guard (`if sys.version_info < …`)
            self.report(node, f"`{code}()` at import time stops the process: the model never loads",
                        help="raise an exception inside the entry function instead")
        elif "builtins.input" in names:
            self.report(node, "`input()` at import time waits for a terminal that does not exist on Replicate "
                              "(`EOFError: EOF when reading a line`)", help="take the value as an input of the entry function")
        elif self._calls_entry(node, names) and not self._inside_runner:
            self.report(node, f"the entry function `{code}` is called at import time: the pipeline runs on every load, "
                              f"with no inputs, and bills the models it calls",
                        help="delete the call (the runtime calls the entry function itself), or put it under "
                             "`if __name__ == \"__main__\":` for local runs")

    def leave_Call(self, node) -> None:
        import libcst as cst

        if self._deferred:
            return
        names = qualified_names(self, node.func)
        if names & _EVENT_LOOP_RUNNERS or (
                isinstance(node.func, cst.Attribute) and node.func.attr.value in ("run_until_complete", "run_forever")):
            self._inside_runner -= 1

    def _calls_entry(self, node, names: set[str]) -> bool:
        import libcst as cst

        ref = self.project.predict
        return (self.module is self.project.entry_module and ref is not None and ref.name is not None
                and isinstance(node.func, cst.Name) and node.func.value == ref.name and ref.name in names)

    VALID = [
        Case("import asyncio\n\nasync def run(prompt: str) -> str:\n    await asyncio.sleep(0)\n    return prompt\n\n"
             "def helper():\n    asyncio.run(run('x'))\n\nif __name__ == '__main__':\n    print(asyncio.run(run('hi')))\n"
             "    print(run)\n"),
        Case("import sys\nprint('loading', file=sys.stderr)\nrun_count = len(sys.argv)\nif sys.version_info < (3, 10):\n"
             "    sys.exit('too old')\n\ndef run(prompt: str) -> str:\n    sys.exit(1)\n"),
    ]
    INVALID = [
        Case("import asyncio\nimport replicate\n\nasync def run() -> str:\n    return 'x'\n\nasyncio.run(run())\n",
             expect=[(7, 1, 7, 19, "`asyncio.run(...)` runs at import time")]),
        Case("import sys\n\ndef run(prompt: str) -> str:\n    return prompt\n\nprint(run(prompt='test'))\n"
             "name = input('name? ')\nsys.exit(0)\n",
             expect=[(6, 7, 6, 25, "the entry function `run` is called at import time"),
                     (7, 8, 7, 23, "`input()` at import time waits for a terminal that does not exist on Replicate"),
                     (8, 1, 8, 12, "`sys.exit()` at import time stops the process")]),
        Case("import asyncio\n\nasync def run(prompt: str) -> str:\n    return prompt\n\n"
             "loop = asyncio.new_event_loop()\nloop.run_until_complete(run('x'))\n",
             expect=[(7, 1, 7, 34, "`loop.run_until_complete(...)` runs at import time")]),
    ]
