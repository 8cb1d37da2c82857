"""CG104 root-run-commands: a root `run:` holding a list of shell commands (meant `build.run`)."""

from __future__ import annotations

from pipelint.core.diagnostics import Edit, Position
from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes

PREDICT = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"


def model(cog_yaml: str) -> dict:
    return {"cog.yaml": cog_yaml, "predict.py": PREDICT, "requirements.txt": "", "main.py": None}


class RootRunCommands(Rule):
    """A top-level `run:` holds a list of shell commands.

    ## What it does
    Reports a root `run:` whose value is a list: the commands were meant for `build.run`.

    ## Why is this bad?
    Since cog 0.20 the root `run:` is the model's entry (`"run.py:Runner"`), a string: cog cannot
    read the cog.yaml (`line N: cannot construct !!seq into string`).

    ## Example
    ```yaml
    build:
      python_version: "3.12"
    run:
      - curl -o /usr/local/bin/pget -L https://example.com/pget
    predict: "predict.py:Predictor"
    ```

    ## Use instead
    ```yaml
    build:
      python_version: "3.12"
      run:
        - curl -o /usr/local/bin/pget -L https://example.com/pget
    predict: "predict.py:Predictor"
    ```

    ## Fix safety
    The fix moves the list under `build` (block-style `build` without its own `run`): safe, the
    commands run where they were meant to.
    """

    code = "CG104"
    name = "root-run-commands"
    targets = ("cog",)
    cog_versions = ">=0.20"
    files = ("cog.yaml",)
    fix_availability = "sometimes"

    def check(self) -> None:
        p = self.project
        hit = p.cog_get("run")
        if hit is None or not yamlnodes.is_sequence(hit[1]):
            return
        key, value = hit
        self.report_yaml(value, "the top-level `run:` is the model's entry (`run: \"predict.py:Runner\"`), not a list "
                         f"of build commands: cog cannot read the cog.yaml (`line {value.start_mark.line + 1}: cannot "
                         "construct !!seq into string`)", help="move the commands under `build:` as `build.run`",
                         fix=self._move(key, value))

    def _move(self, key, value):
        p, f = self.project, self.project.cog_file
        build = p.cog_get("build")
        root = p.cog_root
        if build is None or not yamlnodes.is_mapping(build[1]) or build[1].flow_style or not build[1].value:
            return None
        if yamlnodes.get(build[1], "run") is not None or root.flow_style or key.start_mark.column != 0:
            return None
        text = f.text or ""
        lines = text.splitlines(keepends=True)
        first, last = key.start_mark.line, value.end_mark.line
        if last < len(lines) and not lines[last][: value.end_mark.column].strip():
            last -= 1
        if last >= len(lines) or yamlnodes.is_sequence(value) and value.flow_style and last != first:
            return None
        indent = " " * build[1].value[0][0].start_mark.column
        moved = "".join(indent + ln if ln.strip() else ln for ln in lines[first:last + 1])
        if not moved.endswith(("\n", "\r")):
            moved += f.newline
        end = build[1].end_mark
        bl = end.line if end.column == 0 else end.line + 1
        bend = bl
        while bend > 0 and not lines[bend - 1].strip():
            bend -= 1  # keep blank lines after build where they are
        delete = Edit(f.path, Position(first + 1, 1), Position(last + 2, 1), "")
        if first <= bend <= last + 1:
            return None
        insert = Edit(f.path, Position(bend + 1, 1), Position(bend + 1, 1), moved)
        return self.fix("Move the commands under `build:`", insert, delete)

    VALID = [Case(model('build:\n  python_version: "3.12"\n  run:\n    - echo hi\nrun: "predict.py:Runner"\n'))]
    INVALID = [
        Case(model('build:\n  python_version: "3.12"\n  gpu: true\n\nrun:\n  - curl -L https://example.com/x -o /x\n'
                   '  - chmod +x /x\npredict: "predict.py:Runner"\n'),
             expect=[("cog.yaml", 6, 3, 8, 1, "not a list of build commands")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.12"\n  gpu: true\n  run:\n    - curl -L '
                                'https://example.com/x -o /x\n    - chmod +x /x\n\npredict: "predict.py:Runner"\n'}),
        Case(model('predict: "predict.py:Runner"\nrun: [echo hi]\nbuild:\n  python_version: "3.12"\n'),
             expect=[("cog.yaml", 2, 6, 2, 15, "cannot construct !!seq into string")],
             fixed={"cog.yaml": 'predict: "predict.py:Runner"\nbuild:\n  python_version: "3.12"\n  run: [echo hi]\n'}),
    ]
