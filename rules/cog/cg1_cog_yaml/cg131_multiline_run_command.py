"""CG131 multiline-run-command: a `build.run` item whose command still holds a newline."""

from __future__ import annotations

import json
import re

from pipelint.core.diagnostics import Edit, Severity
from pipelint.engine.rule import Case, Rule

_PREDICT = "from cog import BasePredictor\n\n\nclass Predictor(BasePredictor):\n    def predict(self, x: str) -> str:\n        return x\n"
MESSAGE = ("One of the commands in 'run' contains a new line, which won't work. You need to create a new list "
           "item in YAML prefixed with '-' for each command.")
# A line that leaves state for the next one, or opens a compound command: splitting changes meaning.
_STATEFUL = re.compile(r"^(cd|pushd|popd|export|source|set|unset|alias|\.|[A-Za-z_][A-Za-z0-9_]*=\S*$)(\s|$)")
_COMPOUND = re.compile(r"(^|[;&|(\s])(if|then|else|elif|fi|for|while|until|do|done|case|esac|function)(\s|;|$)"
                       r"|[{}]|<<|[|&\\(]\s*$|^\s*[|&)]")


def _model(run: str) -> dict:
    return {"cog.yaml": 'build:\n  python_version: "3.11"\n  run:\n' + run + 'predict: "predict.py:Predictor"\n',
            "predict.py": _PREDICT, "requirements.txt": "", "main.py": None}


def split_command(text: str) -> list[str] | None:
    """The one-line commands a multi-line command splits into without changing what it does, or None."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    if len(lines) < 2:
        return None
    for i, line in enumerate(lines):
        if _COMPOUND.search(line) or line.count('"') % 2 or line.count("'") % 2:
            return None
        if i < len(lines) - 1 and _STATEFUL.match(line):
            return None
    return lines


def yaml_item(line: str) -> str:
    """``line`` as a YAML sequence item's scalar: plain when YAML reads it back unchanged, else
    single-quoted, else double-quoted."""
    import yaml

    try:
        if yaml.safe_load(f"- {line}\n") == [line]:
            return line
    except yaml.YAMLError:
        pass
    if "'" not in line and line.isprintable():
        return f"'{line}'"
    return json.dumps(line, ensure_ascii=False)


class MultilineRunCommand(Rule):
    """A `build.run` item whose command still holds a newline.

    ## What it does
    Reports a `build.run` item (a string, or the `command` of a `{command, mounts}` item) whose
    value, as YAML reads it, has more than one line: typically a `|` block holding several
    commands. A one-line `- |` block is fine, and so is a `>` block (YAML folds it into one line).

    ## Why is this bad?
    cog writes each item as one `RUN` line of its Dockerfile and refuses the build:
    `One of the commands in 'run' contains a new line, which won't work. You need to create a
    new list item in YAML prefixed with '-' for each command.`

    ## Example
    ```yaml
    build:
      run:
        - |
          pip install flash-attn --no-build-isolation
          curl -o /usr/local/bin/pget -L https://github.com/replicate/pget/releases/download/v0.8.2/pget_linux_x86_64
    ```

    ## Use instead
    ```yaml
    build:
      run:
        - pip install flash-attn --no-build-isolation
        - curl -o /usr/local/bin/pget -L https://github.com/replicate/pget/releases/download/v0.8.2/pget_linux_x86_64
    ```

    ## Fix safety
    The fix writes one item per line, in a block sequence only, and only when the lines are
    independent commands: no line continuation, compound command (`if`/`for`/`{ … }`), here
    document or unbalanced quote, and no line before the last that leaves state for the next
    one (`cd`, `export`, `source`, a variable assignment), since each item runs in its own shell.
    """

    code = "CG131"
    name = "multiline-run-command"
    severity = Severity.ERROR
    targets = ("cog",)
    cog_versions = ""
    files = ("cog.yaml",)
    fix_availability = "sometimes"

    def check(self) -> None:
        from pipelint.analysis import cog_build

        p = self.project
        for cmd in cog_build.run_commands(p):
            if cmd.text is None or "\n" not in cmd.text.strip("\n") and "\r" not in cmd.text.strip("\r\n"):
                continue
            fix = None
            parts = split_command(cmd.text)
            if parts is not None and cmd.item is cmd.node and not cmd.sequence.flow_style:
                fix = self._split_fix(cmd.node, parts)
            raw = cog_build.node_source(p.cog_file, cmd.node)
            start, end = cog_build.substring_range(p.cog_file, cmd.node, 0, len(raw.rstrip()))
            self.report_at(p.cog_file.path, start, end, f"this `build.run` command has several lines: cog refuses the build "
                             f"(`{MESSAGE}`)", help="write one `- ` item per command", fix=fix)

    def _split_fix(self, node, parts: list[str]):
        from pipelint.analysis import cog_build
        from pipelint.model import yamlnodes

        f = self.project.cog_file
        text = f.text or ""
        a = f.offset(node.start_mark.line + 1, node.start_mark.column + 1)
        line_start = text.rfind("\n", 0, a) + 1
        before = text[line_start:a]
        dash = before.rstrip()
        if not dash.endswith("-") or dash[:-1].strip():
            return None
        indent = " " * (len(dash) - 1)
        raw = cog_build.node_source(f, node)
        new = ("\n" + indent + "- ").join(yaml_item(x) for x in parts)
        _, end = cog_build.substring_range(f, node, 0, len(raw.rstrip()))
        return self.fix("Split the command into one item per line", Edit(f.path, yamlnodes.start(node), end, new))

    VALID = [
        Case(_model("    - |\n      pip install flash-attn --no-build-isolation\n")),
        Case(_model("    - >\n      pip install flash-attn\n      --no-build-isolation\n")),
        Case(_model("    - apt-get update\n    - pip install -U pip\n")),
    ]
    INVALID = [
        Case(_model("    - |\n      pip install flash-attn --no-build-isolation\n"
                    "      curl -o /usr/local/bin/pget -L https://example.com/pget && chmod +x /usr/local/bin/pget\n"
                    "    - echo done\n"),
             expect=[("cog.yaml", 4, 7, 6, 94, "cog refuses the build")],
             fixed={"cog.yaml": 'build:\n  python_version: "3.11"\n  run:\n'
                                "    - pip install flash-attn --no-build-isolation\n"
                                "    - curl -o /usr/local/bin/pget -L https://example.com/pget && chmod +x /usr/local/bin/pget\n"
                                '    - echo done\npredict: "predict.py:Predictor"\n'}),
        Case(_model("    - |\n      cd /tmp\n      git clone https://github.com/x/y\n"),
             expect=[("cog.yaml", 4, 7, 6, 39, "several lines")], note="cd carries over: no fix"),
        Case(_model('    - command: "pip install a\\npip install b"\n      mounts:\n        - type: secret\n'
                    '          id: netrc\n          target: /root/.netrc\n'),
             expect=[("cog.yaml", 4, 16, 4, 46, "several lines")]),
    ]
