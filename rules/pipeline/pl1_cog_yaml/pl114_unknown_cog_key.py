"""PL114 unknown-cog-key: A cog.yaml key that cog does not know, or one the pipelines runtime ignores."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule
from pipelint.model import yamlnodes

# Pipelines are pushed by cog 0.15–0.16: their JSON schema (``additionalProperties: false``) is
# the data (pipelint.model.cog_data.config_keys / config_key_types, derived from cog's sources).
PUSHING_COG = "0.16"
SECTIONS = ("", "build", "concurrency")

IGNORED = {
    ("train",): "pipeline models cannot be trained",
    ("environment",): "the pipelines runtime ignores it; pass secrets as `cog.Secret` inputs",
    ("build", "pre_install"): "the pipelines runtime has no build step",
    ("build", "cudnn"): "pipeline models run on CPU",
}
_JSON_TYPES = {"tag:yaml.org,2002:str": "string", "tag:yaml.org,2002:bool": "boolean",
               "tag:yaml.org,2002:int": "integer", "tag:yaml.org,2002:float": "number",
               "tag:yaml.org,2002:null": "null"}
_STANDARD_TAGS = {*_JSON_TYPES, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


def json_type(node) -> str:
    """The JSON schema type cog's validator sees for a YAML node."""
    if yamlnodes.is_mapping(node):
        return "object"
    if yamlnodes.is_sequence(node):
        return "array"
    return _JSON_TYPES.get(getattr(node, "tag", ""), "string")


def type_admitted(given: str, expected) -> bool:
    return given in expected or (given == "integer" and "number" in expected)


class UnknownKey(Rule):
    """A cog.yaml key that cog does not know or whose value has the wrong type, or one the pipelines runtime ignores.

    ## What it does
    Checks cog.yaml against the configuration schema of the cog that pushes pipelines (0.15.x /
    0.16.x; `cog-version` picks another): an unknown key at the top level, in `build` or in
    `concurrency` is an error, with the closest known key (`build.fast`, `tests` are known), and
    so is a value of the wrong type (`gpu: "true"`, a list where a string belongs), each with
    cog's own message. Keys cog knows but a pipeline model does not use (`environment`,
    `train`, `build.pre_install`, `build.cudnn`) are a warning. `image` is the model `cog push`
    pushes to: it is never reported. A `run:` key next to `predict:` is reported too: cog
    rejects having both.

    ## Why is this bad?
    cog's schema has `additionalProperties: false`: it refuses the file (`Additional property
    <key> is not allowed`, `build.gpu must be a boolean`, after `There is a problem in your
    cog.yaml file.`), and a
    key the runtime ignores suggests behaviour the model will not have.

    ## Example
    ```yaml
    build:
      python_verison: "3.13"
    environment:
      - API_KEY=abc
    ```

    ## Use instead
    ```yaml
    build:
      python_version: "3.13"
    ```
    and a `cog.Secret` input for the key.
    """

    code = "PL114"
    name = "unknown-cog-key"
    files = ("cog.yaml",)

    def check(self) -> None:
        from pipelint.model import cog_data

        p = self.project
        root = p.cog_root
        if root is None:
            return
        version = p.settings.cog_version or PUSHING_COG
        if cog_data.config_keys(version, "") is None:
            version = PUSHING_COG
        self._version = version
        for section in SECTIONS:
            node = root if not section else (p.cog_get(section) or (None, None))[1]
            known = cog_data.config_keys(version, section)
            if node is None or not yamlnodes.is_mapping(node) or known is None:
                continue
            self._check_mapping(node, tuple(section.split(".")) if section else (), known)
        run = p.cog_get("run")
        if run is not None and p.cog_get("predict") is not None and "run" in (cog_data.config_keys(version, "") or ()):
            self.report_yaml(run[0], "both `run:` and `predict:` are set (`invalid run: only one of run or predict can be set`)",
                             help="remove `run:`; the pipelines runtime reads only `predict:`")

    def _check_mapping(self, mapping, path: tuple, known: set) -> None:
        for key, value in yamlnodes.items(mapping):
            if not yamlnodes.is_scalar(key):
                continue
            name = key.value
            dotted = ".".join((*path, name))
            if name not in known:
                if not path and name == "run" and self.project.cog_get("predict") is None:
                    continue  # `run:` instead of `predict:`: PL101 says so, with its fix
                import difflib  # (and heapq): only for a name that is misspelt
                close = difflib.get_close_matches(name, sorted(known), n=1)
                self.report_yaml(key, f"unknown key `{dotted}` (`Additional property {name} is not allowed`)",
                                 help=f"did you mean `{close[0]}`?" if close else "remove it")
                continue
            if self._wrong_type(dotted, value):
                continue
            if (*path, name) in IGNORED:
                self.report_yaml(key, f"`{dotted}` has no effect on a pipeline model: {IGNORED[(*path, name)]}",
                                 help="remove it", severity=Severity.WARNING)

    def _wrong_type(self, dotted: str, value) -> bool:
        """Report a value (or a list item) whose type the schema does not allow."""
        from pipelint.model import cog_data

        expected = cog_data.config_key_types(self._version, dotted)
        if not expected or value is None or getattr(value, "tag", "") not in _STANDARD_TAGS:
            return False  # a node with a tag of its own: PL002 reports it
        given = json_type(value)
        if not type_admitted(given, expected):
            self.report_yaml(value, f"`{dotted}` must be {' or '.join(expected)}, not {given} "
                                    f"(`{cog_type_message(dotted, expected)}`)",
                             help=_type_help(expected, value))
            return True
        items = cog_data.config_item_types(self._version, dotted)
        if given == "array" and items:
            for i, item in enumerate(value.value):
                got = json_type(item)
                if getattr(item, "tag", "") not in _STANDARD_TAGS:
                    continue
                if not type_admitted(got, items):
                    self.report_yaml(item, f"`{dotted}` items must be {' or '.join(items)}, not {got} "
                                           f"(`{cog_type_message(f'{dotted}.{i}', items)}`)",
                                     help=_type_help(items, item))
                    return True
        return False

    VALID = [Case({"cog.yaml": 'build:\n  python_version: "3.13"\n  gpu: false\n  cog_runtime: true\n'
                               '  python_requirements: requirements.txt\npredict: "main.py:run"\n'}),
             Case({"cog.yaml": 'build:\n  python_version: 3.13\n  fast: true\n  python_requirements: requirements.txt\n'
                               'image: r8.im/acme/pipeline\npredict: "main.py:run"\n'},
                  note="`build.fast` is known to cog 0.16; `image` is the model `cog push` pushes to")]
    INVALID = [
        Case({"cog.yaml": 'build:\n  python_verison: "3.13"\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 2, 3, 2, 17, "unknown key `build.python_verison`")]),
        Case({"cog.yaml": 'build:\n  gpu: "true"\n  system_packages: ffmpeg\npredict: ["main.py:run"]\n'},
             expect=[("cog.yaml", 2, 8, 2, 14, "`build.gpu` must be boolean, not string (`build.gpu must be a "
                                               "boolean`)"),
                     ("cog.yaml", 3, 20, 3, 26, "(`build.system_packages must be a list or null`)"),
                     ("cog.yaml", 4, 10, 4, 25, "(`predict must be a string`)")]),
        Case({"cog.yaml": 'predict: "main.py:run"\nmodel: r8.im/a/b\nbuild:\n  sdk_version: "0.16.0"\n'},
             expect=[("cog.yaml", 2, 1, 2, 6, "unknown key `model` (`Additional property model is not allowed`)"),
                     ("cog.yaml", 4, 3, 4, 14, "unknown key `build.sdk_version`")]),
        Case({"cog.yaml": 'predict: "main.py:run"\nrun: "main.py:run"\n'},
             expect=[("cog.yaml", 2, 1, 2, 4, "unknown key `run` (`Additional property run is not allowed`)")],
             note="cog 0.16 has no `run:`; a newer cog (`cog-version`) says both are set"),
    ]


def _type_help(expected, node) -> str:
    if "boolean" in expected and yamlnodes.is_scalar(node) and str(node.value).lower() in ("true", "false"):
        return f"write `{str(node.value).lower()}` without quotes"
    if "array" in expected and yamlnodes.is_scalar(node):
        return f"write a list: `[{node.value}]`"
    if "string" in expected:
        return "write a quoted string"
    return f"write a value of type {' or '.join(expected)}"


def cog_type_message(field: str, types) -> str:
    """What cog 0.15/0.16 say about a wrongly typed value (pkg/config/validator.go, getDescription and
    humanReadableType): ``build.gpu must be a boolean``, ``build.system_packages must be a list or null``."""
    human = [{"object": "mapping", "array": "list"}.get(t, t) for t in types]
    words = human[0] if len(human) == 1 else f"{', '.join(human[:-1])} or {human[-1]}"
    return f"{field} must be a {words}"
