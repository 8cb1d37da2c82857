"""CG142 concurrency-max: the deprecated `concurrency.max` in cog.yaml."""

from __future__ import annotations

from pipelint.core.diagnostics import Applicability, Edit, Position, Severity
from pipelint.engine.rule import Case, Rule

_ASYNC = ("from cog import BaseRunner, Input\n\n\nclass Runner(BaseRunner):\n"
          "    async def run(self, prompt: str = Input(description=\"Prompt\")) -> str:\n        return prompt\n")


def _model(cog_yaml: str, run: str = _ASYNC) -> dict:
    return {"cog.yaml": cog_yaml, "run.py": run, "requirements.txt": "", "main.py": None}


_Y = 'build:\n  python_version: "3.12"\nrun: "run.py:Runner"\n'


class ConcurrencyMax(Rule):
    """`concurrency.max` (deprecated) in cog.yaml.

    ## What it does
    Reports the `max` key of the `concurrency` section.

    ## Why is this bad?
    Since cog 0.22 the concurrency of a model is declared on its `run` function with the
    `@cog.concurrent(max=N)` decorator; cog warns
    `deprecated field "concurrency.max": use "@cog.concurrent(max=...)" instead`.

    ## Example
    ```yaml
    concurrency:
      max: 8
    ```

    ## Use instead
    ```python
    import cog

    class Runner(cog.BaseRunner):
        @cog.concurrent(max=8)
        async def run(self, prompt: str) -> str: ...
    ```

    ## Fix safety
    Unsafe: the fix moves the number onto the entry's `async def run` (or `predict`) and removes
    `concurrency` from cog.yaml, a change across two files that older cog releases do not read.
    It is offered only when `run` is async, carries no `@cog.concurrent` yet, `max` is an integer
    and `concurrency` holds nothing else.
    """

    code = "CG142"
    name = "concurrency-max"
    severity = Severity.INFO
    targets = ("cog",)
    cog_versions = ">=0.22"
    files = ("cog.yaml", "python")
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check(self) -> None:
        from pipelint.model import yamlnodes

        hit = self.project.cog_get("concurrency")
        if hit is None or not yamlnodes.is_mapping(hit[1]):
            return
        got = yamlnodes.get(hit[1], "max")
        if got is None:
            return
        self.report_yaml(got[0], '`concurrency.max` is deprecated (`deprecated field "concurrency.max": use '
                         '"@cog.concurrent(max=...)" instead`)', help="decorate the async `run` with "
                         "`@cog.concurrent(max=N)`", fix=self._fix(hit, got))

    def _fix(self, section, got):
        from pipelint.analysis.cog_entry import cog_entry
        from pipelint.edits import pyedit, yamledit
        from pipelint.model import yamlnodes

        p = self.project
        value = yamlnodes.scalar(got[1])
        if not isinstance(value, int) or isinstance(value, bool) or value < 1 or len(yamlnodes.items(section[1])) != 1:
            return None
        e = cog_entry(p)
        if e is None or e.function is None or not e.is_async or e.concurrent is not None:
            return None
        module = e.module
        plan = pyedit.ensure_import(module, "cog", "concurrent")
        line = module.range(e.function.name)[0].line
        text = module.source.lines()[line - 1]
        indent = text[: len(text) - len(text.lstrip())]
        deco = Edit(module.source.path, Position(line, 1), Position(line, 1), f"{indent}@{plan.name}(max={value})\n")
        return self.fix(f"Move `concurrency.max` to `@cog.concurrent(max={value})` on `{e.func_name}()`",
                        yamledit.delete_entry(p.cog_file, p.cog_root, *section), deco, *plan.edits)

    VALID = [Case(_model(_Y))]
    INVALID = [
        Case(_model(_Y + "concurrency:\n  max: 8\n"),
             expect=[("cog.yaml", 5, 3, 5, 6, "`concurrency.max` is deprecated")],
             fixed={"cog.yaml": _Y,
                    "run.py": "from cog import BaseRunner, Input, concurrent\n\n\nclass Runner(BaseRunner):\n"
                              "    @concurrent(max=8)\n"
                              "    async def run(self, prompt: str = Input(description=\"Prompt\")) -> str:\n"
                              "        return prompt\n"}),
        Case(_model(_Y + "concurrency:\n  max: 8\n",
                    "import cog\n\n\nclass Runner(cog.BaseRunner):\n    def run(self, prompt: str) -> str:\n"
                    "        return prompt\n"),
             expect=[("cog.yaml", 5, 3, 5, 6, "deprecated")], note="a sync run: no fix"),
        Case(_model('build:\n  python_version: "3.12"\nconcurrency:\n  max: 4\nrun: "run.py:run"\n',
                    "import cog\n\n\n@cog.streaming\nasync def run(prompt: str) -> str:\n    return prompt\n"),
             expect=[("cog.yaml", 4, 3, 4, 6, "deprecated")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.12"\nrun: "run.py:run"\n',
                    "run.py": "import cog\n\n\n@cog.streaming\n@cog.concurrent(max=4)\nasync def run(prompt: str) -> str:\n"
                              "    return prompt\n"}),
    ]
