"""CG103 wrong-yaml-type: a known cog.yaml key holding a value of the wrong YAML type."""

from __future__ import annotations

from pipelint.engine.rule import Case, Rule
from pipelint.model import cog_data, yamlnodes

PREDICT = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"
GO_TYPES = {"string": "string", "number": "string", "boolean": "bool", "integer": "int", "object": "a mapping"}
_NULL, _BOOL, _INT, _FLOAT = ("tag:yaml.org,2002:" + t for t in ("null", "bool", "int", "float"))


def model(cog_yaml: str) -> dict:
    return {"cog.yaml": cog_yaml, "predict.py": PREDICT, "requirements.txt": "", "main.py": None}


def _tag(node) -> str:
    if yamlnodes.is_sequence(node):
        return "!!seq"
    if yamlnodes.is_mapping(node):
        return "!!map"
    return "!!" + node.tag.rsplit(":", 1)[-1] if node.tag.startswith("tag:yaml.org,2002:") else "!!str"


def _fits(node, types: tuple[str, ...]) -> bool:
    """Whether cog's Go decoder (go-yaml v4 into the typed struct) accepts the node for a key of
    these JSON-schema types: a string field takes any scalar (its raw text), a list any sequence."""
    if yamlnodes.is_null(node):
        return True
    if yamlnodes.is_sequence(node):
        return "array" in types
    if yamlnodes.is_mapping(node):
        return "object" in types
    if "string" in types or "number" in types:
        return True
    if "boolean" in types:
        return node.tag == _BOOL
    if "integer" in types:
        return node.tag == _INT
    return "array" not in types and "object" not in types


def _expected(types: tuple[str, ...], item_types: tuple[str, ...] | None) -> str:
    if "array" in types:
        return f"[]{GO_TYPES.get(item_types[0], 'string')}" if item_types and len(item_types) == 1 else "a list"
    for t in types:
        if t in GO_TYPES:
            return GO_TYPES[t]
    return "/".join(types)


class WrongYamlType(Rule):
    """A known cog.yaml key holds a value of the wrong YAML type.

    ## What it does
    Reports a key of the target cog's schema whose value cog's YAML decoder cannot put into its
    config: a list for `python_requirements`, a mapping for `train`, a string for
    `system_packages`, a non-string item in a string list, a string for `gpu`.

    ## Why is this bad?
    cog stops before building: `failed to parse cog.yaml: invalid YAML: yaml: construct errors:`
    / `line N: cannot construct !!seq into string` (the line of the value).

    ## Example
    ```yaml
    build:
      python_version: "3.12"
      system_packages: ffmpeg
    ```

    ## Use instead
    ```yaml
    build:
      python_version: "3.12"
      system_packages:
        - ffmpeg
    ```
    """

    code = "CG103"
    name = "wrong-yaml-type"
    targets = ("cog",)
    cog_versions = ">=0.17"
    files = ("cog.yaml",)

    def check(self) -> None:
        root = self.project.cog_root
        if root is None:
            return
        version = self.project.cog_version
        self._mapping(root, "", version)

    def _mapping(self, mapping, section: str, version: str) -> None:
        known = cog_data.config_keys(version, section)
        if not known:
            return
        for key, value in yamlnodes.items(mapping):
            if not yamlnodes.is_scalar(key) or key.value not in known:
                continue
            path = f"{section}.{key.value}" if section else key.value
            if path == "run" and yamlnodes.is_sequence(value):
                continue  # a list of shell commands at the root: CG104
            fact = cog_data.config_key_fact(version, path)
            if not fact:
                continue
            types, items = tuple(fact["types"]), tuple(fact.get("item_types", ())) or None
            if not _fits(value, types):
                self._report(value, path, _expected(types, items))
                continue
            if yamlnodes.is_mapping(value) and path in cog_data.config_sections(version):
                self._mapping(value, path, version)
            elif yamlnodes.is_sequence(value) and items:
                for item in value.value:
                    if not _fits(item, items):
                        self._report(item, f"{path}[]", _expected(items, None))

    def _report(self, node, path: str, expected: str) -> None:
        tag = _tag(node)
        quoted = f"cannot construct {tag} into {expected}" if not expected.startswith("a ") else \
            f"cannot construct {tag} into …"
        human = {"[]string": "a list of strings", "bool": "true or false", "int": "an integer"}.get(
            expected, expected if expected.startswith("a ") else "a " + expected)
        self.report_yaml(node, f"`{path}` must be {human}, "
                         f"not {tag}: cog cannot read the cog.yaml (`line {node.start_mark.line + 1}: {quoted}`)",
                         help=_HELP.get(path.rstrip("[]"), "see https://cog.run/yaml for the key's type"))

    VALID = [Case(model('build:\n  python_version: 3.12\n  gpu: true\n  system_packages:\n    - ffmpeg\n'
                        '  run:\n    - echo hi\n    - command: pip install x\nrun: "predict.py:Runner"\n'))]
    INVALID = [
        Case(model('build:\n  python_version: "3.12"\n  python_requirements:\n    - torch==2.5.1\n'
                   'run: "predict.py:Runner"\n'),
             expect=[("cog.yaml", 4, 5, 5, 1, "`build.python_requirements` must be a string, not !!seq")]),
        Case(model('build:\n  python_version: "3.12"\n  system_packages: ffmpeg\nrun: "predict.py:Runner"\n'),
             expect=[("cog.yaml", 3, 20, 3, 26, "cannot construct !!str into []string")]),
        Case(model('build: {python_version: "3.12", gpu: "yes please"}\nrun: "predict.py:Runner"\n'),
             expect=[("cog.yaml", 1, 38, 1, 50, "`build.gpu` must be true or false")]),
        Case(model('build:\n  python_version: "3.12"\nrun: "predict.py:Runner"\ntrain:\n  file: train.py\n'),
             expect=[("cog.yaml", 5, 3, 6, 1, "`train` must be a string, not !!map")]),
        Case(model('build:\n  python_version: "3.12"\n  system_packages:\n    - {name: ffmpeg}\n'
                   'run: "predict.py:Runner"\n'),
             expect=[("cog.yaml", 4, 7, 4, 21, "`build.system_packages[]` must be a string")]),
    ]


_HELP = {
    "build.python_requirements": "name the requirements file (`python_requirements: requirements.txt`) "
                                 "and list the packages in it",
    "build.system_packages": "write one `- package` item per line",
    "build.python_packages": "write one `- package==version` item per line",
    "build.gpu": "write `gpu: true` or `gpu: false`",
    "train": 'write `train: "train.py:train"`',
    "predict": 'write `predict: "predict.py:Predictor"`',
    "run": 'write `run: "predict.py:Runner"`',
}
