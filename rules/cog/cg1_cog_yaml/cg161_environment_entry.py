"""CG161 environment-entry: an `environment` entry cog refuses (malformed, reserved or repeated)."""

from __future__ import annotations

import re

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_RUN = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"
_Y = 'build:\n  python_version: "3.12"\nrun: "run.py:Runner"\nenvironment:\n'
# cog's JSON schema for each item (pkg/config/data/config_schema_v1.0.json).
_ITEM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=.*$", re.DOTALL)


def _model(env: str) -> dict:
    return {"cog.yaml": _Y + env, "run.py": _RUN, "requirements.txt": "", "main.py": None}


class EnvironmentEntry(Rule):
    """An `environment` entry cog refuses: not `NAME=value`, a reserved name, or a name set twice.

    ## What it does
    Reports an item of cog.yaml's `environment` list that is not a string of the form
    `NAME=value` (NAME: letters, digits and `_`, not starting with a digit), that sets a name cog
    reserves for itself, or that sets a name an earlier item already set.

    ## Why is this bad?
    cog refuses to build: `environment variable "HF_HUB_ENABLE_HF_TRANSFER" is not allowed:
    reserved for internal use`,
    `environment variable "…" is not in the KEY=VALUE format`,
    `environment variable "…" is already defined`. The reserved names are those cog and
    Replicate set themselves: `PATH`, `LD_LIBRARY_PATH`, `PYTHONPATH`, `VIRTUAL_ENV`,
    `PYTHONUNBUFFERED`, `LIBRARY_PATH`, `HF_ENDPOINT`, `HF_HUB_ENABLE_HF_TRANSFER` and every name
    starting with `R8_`, `REPLICATE_`, `CUDA_`, `NVIDIA_`, `NV_`, `PGET_` or `KUBERNETES_`.

    ## Example
    ```yaml
    environment:
      - HF_HUB_ENABLE_HF_TRANSFER=1
      - TORCH_HOME /src/weights
    ```

    ## Use instead
    ```yaml
    environment:
      - TORCH_HOME=/src/weights
    ```
    and set reserved variables in `setup()` (`os.environ[...]`) if the model really needs them.
    """

    code = "CG161"
    name = "environment-entry"
    severity = Severity.ERROR
    targets = ("cog",)
    cog_versions = ""
    files = ("cog.yaml",)

    def check(self) -> None:
        from pipelint.model import cog_data, yamlnodes

        p = self.project
        version = p.cog_version
        known = cog_data.config_keys(version)
        if known is not None and "environment" not in known:
            return  # an unknown key there: CG101's finding
        hit = p.cog_get("environment")
        if hit is None or not yamlnodes.is_sequence(hit[1]):
            return
        seen: set[str] = set()
        for item in hit[1].value:
            value = yamlnodes.scalar(item)
            if not isinstance(value, str) or not yamlnodes.is_scalar(item):
                continue  # a non-string item is a YAML type error (CG103)
            name, eq, _ = value.partition("=")
            if not eq or not name:
                self.report_yaml(item, f"`{value}` is not `NAME=value`: cog refuses it (`environment variable "
                                 f"\"{value}\" is not in the KEY=VALUE format`)", help="write `NAME=value`")
                continue
            if not _ITEM.match(value):
                self.report_yaml(item, f"`{name}` is not a valid variable name (letters, digits and `_`, not "
                                 "starting with a digit): cog's schema refuses it", help="rename the variable")
                continue
            pattern = cog_data.reserved_environment_pattern(name, version)
            if pattern is not None:
                why = f"names matching `{pattern}` are" if pattern.endswith("*") else "it is"
                self.report_yaml(item, f"`{name}` is reserved by cog ({why} set by cog or Replicate): "
                                 f"`environment variable \"{name}\" is not allowed: reserved for internal use`",
                                 help="remove it; set it in `setup()` if the model needs it")
            elif name in seen:
                self.report_yaml(item, f"`{name}` is set twice: `environment variable \"{name}\" is already defined`",
                                 help="keep one of them")
            seen.add(name)

    VALID = [Case(_model("  - TORCH_HOME=/src/weights\n  - HF_HOME=/src/hf\n  - EMPTY=\n"))]
    INVALID = [
        Case(_model("  - HF_HUB_ENABLE_HF_TRANSFER=1\n  - CUDA_VISIBLE_DEVICES=0\n"),
             expect=[("cog.yaml", 5, 5, 5, 32, "`HF_HUB_ENABLE_HF_TRANSFER` is reserved by cog (it is"),
                     ("cog.yaml", 6, 5, 6, 27, "names matching `CUDA_*` are")]),
        Case(_model("  - TORCH_HOME /src/weights\n  - 1ST=x\n  - A=1\n  - A=2\n"),
             expect=[("cog.yaml", 5, 5, 5, 28, "is not `NAME=value`"),
                     ("cog.yaml", 6, 5, 6, 10, "`1ST` is not a valid variable name"),
                     ("cog.yaml", 8, 5, 8, 8, "`A` is set twice")]),
    ]
