"""PL002 invalid-cog-yaml: cog.yaml is not valid YAML, or its top level is not a mapping."""

from __future__ import annotations

from pipelint.core.diagnostics import Position
from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes


class InvalidCogYaml(Rule):
    """cog.yaml is not valid YAML, or its top level is not a mapping.

    ## What it does
    Reports a cog.yaml that does not parse, is empty, has more than one document, repeats a
    key, or whose top level (or `build` section) is not a mapping.

    ## Why is this bad?
    cog reads cog.yaml before anything else: `cog push` stops with a parse error, and with
    a broken cog.yaml no other check of the model can run.

    ## Example
    ```yaml
    predict: "main.py:run
    ```

    ## Use instead
    ```yaml
    predict: "main.py:run"
    ```
    """

    code = "PL002"
    targets = ("pipeline", "cog")
    suppressible = False
    blocks_file = True
    name = "invalid-cog-yaml"
    files = ("cog.yaml",)

    def check(self) -> None:
        doc, f = self.project.cog, self.project.cog_file
        if doc is None:
            return
        help_ = 'cog.yaml must be a YAML mapping such as `predict: "main.py:run"`'
        if doc.error:
            p = doc.error_position or Position(1, 1)
            if doc.error == yamlnodes.NESTED_TOO_DEEPLY:  # valid YAML, but more than pipelint can read
                self.report_at(f.path, p, Position(p.line, p.column + 1), f"cog.yaml {doc.error}",
                               help="cog.yaml needs only a few levels: `build:`, its keys, and lists")
                return
            self.report_at(f.path, p, Position(p.line, p.column + 1), f"cog.yaml is not valid YAML: {doc.error}", help=help_)
            return
        if doc.root is None:
            self.report_at(f.path, Position(1, 1), Position(1, 1), "cog.yaml is empty", help=help_)
            return
        if not yamlnodes.is_mapping(doc.root):
            kind = "a list" if yamlnodes.is_sequence(doc.root) else "a single value"
            self.report_yaml(doc.root, f"cog.yaml must be a mapping of keys to values, not {kind}", help=help_)
            return
        for key, first in doc.duplicate_keys:
            self.report_yaml(
                key, f"duplicate key `{key.value}` (first defined on line {first.start_mark.line + 1}); "
                "cog rejects it (`mapping key already defined`)",
                help=f"keep one `{key.value}` entry",
            )
        build = self.project.cog_get("build")
        if build is not None and not yamlnodes.is_null(build[1]) and not yamlnodes.is_mapping(build[1]):
            self.report_yaml(build[1], "`build` must be a mapping", help="write `build:` followed by indented keys")

    VALID = [Case({"cog.yaml": 'predict: "main.py:run"\n'})]
    INVALID = [
        Case({"cog.yaml": 'predict: "main.py:run\n'}, expect=[("cog.yaml", 2, 1, 2, 2, "cog.yaml is not valid YAML")]),
        Case({"cog.yaml": ""}, expect=[("cog.yaml", 1, 1, 1, 1, "cog.yaml is empty")]),
        Case({"cog.yaml": "- predict\n"},
             expect=[("cog.yaml", 1, 1, 2, 1, "cog.yaml must be a mapping of keys to values, not a list")]),
        Case({"cog.yaml": 'predict: "main.py:run"\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 2, 1, 2, 8, "duplicate key `predict` (first defined on line 1)")]),
    ]
