"""PL001 syntax-error: Python syntax error in the entry module or a local module it imports."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule


class SyntaxErrorRule(Rule):
    """Python syntax error in the entry module or a local module it imports.

    ## What it does
    Reports a Python file of the model that does not parse, at the parser's line and column.

    ## Why is this bad?
    The runtime imports `main.py` when the model loads; a syntax error fails the load on
    Replicate after a slow push. pipelint keeps linting `cog.yaml` and `requirements.txt`.

    ## Example
    ```python
    def run(prompt: str) -> str
        return prompt
    ```

    ## Use instead
    ```python
    def run(prompt: str) -> str:
        return prompt
    ```
    """

    code = "PL001"
    targets = ("pipeline", "cog")
    suppressible = False
    blocks_file = True
    name = "syntax-error"
    files = ("python",)

    def check(self) -> None:
        for module in self.project.modules:
            err = module.parse_error
            if err is not None:
                self.report_at(
                    module.source.path, err.start, err.end,
                    f"syntax error: {err.message}",
                    help="fix the syntax; the runtime cannot import this module",
                )

    VALID = [Case("def run(prompt: str) -> str:\n    return prompt\n")]
    INVALID = [
        Case("def run(prompt: str) -> str\n    return prompt\n", expect=[(1, 28, 1, 29, "syntax error: expected ':'")]),
        Case("def run(prompt: str) -> str:\n    return (prompt\n",
             expect=[(2, 12, 2, 13, "syntax error: '(' was never closed")]),
        Case({"main.py": "import helpers\n\ndef run() -> str:\n    return helpers.x\n",
              "helpers.py": "x = = 1\n"}, expect=[("helpers.py", 1, 5, 1, 6, "syntax error: invalid syntax")]),
    ]
