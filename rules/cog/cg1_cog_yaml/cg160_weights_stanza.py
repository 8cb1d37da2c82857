"""CG160 weights-stanza: a `weights` entry cog's configuration check refuses."""

from __future__ import annotations

import posixpath
import re

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule

_RUN = "from cog import BaseRunner\n\n\nclass Runner(BaseRunner):\n    def run(self, x: str) -> str:\n        return x\n"
# replicate/cog@6110c912:pkg/config/validate.go weightNameRegex (OCI-safe tag segment).
_NAME = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")


def _model(cog_yaml: str) -> dict:
    return {"cog.yaml": 'build:\n  python_version: "3.12"\nrun: "run.py:Runner"\n' + cog_yaml, "run.py": _RUN,
            "requirements.txt": "", "main.py": None}


class WeightsStanza(Rule):
    """A `weights` entry that cog's configuration check refuses.

    ## What it does
    Reports, in cog.yaml's `weights` list (managed weights, cog 0.19.3 and newer): a missing or
    non-OCI-safe `name`, a name used twice, a missing `source`, an empty, negated (`!…`) or
    backslashed `include`/`exclude` pattern, a missing or relative `target`, a target at `/`,
    used twice or nested inside another one, and weights without `model:` (or with `image:`).

    ## Why is this bad?
    `cog build` and `cog push` stop at the configuration check with cog's message, for example
    `invalid weights[0].name "SDXL": must contain only lowercase alphanumeric characters,
    hyphens, dots, or underscores`, `target must be an absolute path`,
    `target overlaps with "/src/weights"; weight targets must be disjoint` or
    `weights require 'model', not 'image' — rename 'image' to 'model'`.

    ## Example
    ```yaml
    image: r8.im/acme/sdxl
    weights:
      - name: SDXL
        target: weights/sdxl
        source:
          uri: hf://stabilityai/stable-diffusion-xl-base-1.0
          include: ["!*.bin"]
    ```

    ## Use instead
    ```yaml
    model: acme/sdxl
    weights:
      - name: sdxl
        target: /src/weights/sdxl
        source:
          uri: hf://stabilityai/stable-diffusion-xl-base-1.0
          exclude: ["*.bin"]
    ```
    """

    code = "CG160"
    name = "weights-stanza"
    severity = Severity.ERROR
    targets = ("cog",)
    cog_versions = ">=0.19.3"
    files = ("cog.yaml",)

    def check(self) -> None:
        from pipelint.model import yamlnodes as Y

        p = self.project
        hit = p.cog_get("weights")
        if hit is None or not Y.is_sequence(hit[1]) or not hit[1].value:
            return

        def text(node) -> str:
            v = Y.scalar(node) if node is not None else None
            return v if isinstance(v, str) else ("" if v is None else str(v))

        model, image = p.cog_get("model"), p.cog_get("image")
        if not (model and text(model[1])):
            if image and text(image[1]):
                self.report_yaml(image[0], "weights require `model`, not `image` (`weights require 'model', not "
                                 "'image' — rename 'image' to 'model'`)", help="rename `image` to `model`")
            else:
                self.report_yaml(hit[0], "weights require `model` in cog.yaml", help="add `model: OWNER/NAME`")
        names: set[str] = set()
        targets: list[str] = []
        for i, item in enumerate(hit[1].value):
            where = f"weights[{i}]"
            if not Y.is_mapping(item):
                continue  # a type error: CG103's finding
            name = Y.get(item, "name")
            if name is None or not text(name[1]):
                self.report_yaml(item, f"`{where}.name` is required")
            elif not _NAME.match(text(name[1])):
                self.report_yaml(name[1], f"invalid `{where}.name` \"{text(name[1])}\": must contain only lowercase "
                                 "alphanumeric characters, hyphens, dots, or underscores (e.g. \"my-model-weights\")")
            elif text(name[1]) in names:
                self.report_yaml(name[1], f"`{where}.name` \"{text(name[1])}\": duplicate weight name")
            else:
                names.add(text(name[1]))
            self._source(item, where, text)
            target = Y.get(item, "target")
            if target is None or not text(target[1]):
                self.report_yaml(item, f"`{where}.target` is required")
                continue
            t = text(target[1])
            if not t.startswith("/"):
                self.report_yaml(target[1], f"`{where}.target` \"{t}\": target must be an absolute path",
                                 help="weights are mounted in the container, e.g. under `/src/weights`")
            cleaned = posixpath.normpath(t) if t.startswith("/") else posixpath.normpath("/" + t)
            if cleaned in ("/", "//"):
                self.report_yaml(target[1], f"`{where}.target` \"{t}\": target must not be the container root \"/\"")
            if cleaned in targets:
                self.report_yaml(target[1], f"`{where}.target` \"{t}\": duplicate weight target")
                continue
            for prev in targets:
                if cleaned.startswith(prev.rstrip("/") + "/") or prev.startswith(cleaned.rstrip("/") + "/"):
                    self.report_yaml(target[1], f"`{where}.target` \"{t}\": target overlaps with \"{prev}\"; weight "
                                     "targets must be disjoint")
                    break
            targets.append(cleaned)

    def _source(self, item, where: str, text) -> None:
        from pipelint.model import yamlnodes as Y

        src = Y.get(item, "source")
        value = src[1] if src is not None else None
        entries = [value] if Y.is_mapping(value) else list(value.value) if Y.is_sequence(value) else []
        if not entries:
            self.report_yaml(src[0] if src is not None else item, f"`{where}.source` is required",
                             help="give `source: {uri: …}`")
            return
        for entry in entries:
            for key in ("include", "exclude"):
                got = Y.get(entry, key)
                if got is None or not Y.is_sequence(got[1]):
                    continue
                for pat in got[1].value:
                    if not Y.is_scalar(pat):
                        continue
                    s = text(pat).strip()
                    if not s:
                        self.report_yaml(pat, f"`{where}.source.{key}`: pattern must not be empty")
                        continue
                    if s.startswith("!"):
                        self.report_yaml(pat, f"`{where}.source.{key}` \"{s}\": negation patterns (starting with '!') "
                                         "are not supported", help="list it under `exclude` instead" if key == "include"
                                         else "remove the `!`")
                    if "\\" in s:
                        self.report_yaml(pat, f"`{where}.source.{key}` \"{s}\": patterns must use forward slashes, "
                                         "not backslashes")

    VALID = [
        Case(_model("model: acme/sdxl\nweights:\n  - name: sdxl-base\n    target: /src/weights/base\n"
                    "    source:\n      uri: hf://stabilityai/stable-diffusion-xl-base-1.0\n      exclude: [\"*.bin\"]\n"
                    "  - name: vae\n    target: /src/weights/vae\n    source:\n      - uri: hf://madebyollin/sdxl-vae-fp16-fix\n")),
    ]
    INVALID = [
        Case(_model("image: r8.im/acme/sdxl\nweights:\n  - name: SDXL\n    target: weights/sdxl\n"
                    "    source:\n      uri: hf://stabilityai/sdxl\n      include: [\"!*.bin\", \"unet\\\\x.safetensors\", \"\"]\n"),
             expect=[("cog.yaml", 4, 1, 4, 6, "weights require `model`, not `image`"),
                     ("cog.yaml", 6, 11, 6, 15, "must contain only lowercase"),
                     ("cog.yaml", 7, 13, 7, 25, "target must be an absolute path"),
                     ("cog.yaml", 10, 17, 10, 25, "negation patterns"),
                     ("cog.yaml", 10, 27, 10, 48, "forward slashes"),
                     ("cog.yaml", 10, 50, 10, 52, "pattern must not be empty")]),
        Case(_model("model: acme/sdxl\nweights:\n  - name: a\n    target: /src/weights\n    source: {uri: hf://x/a}\n"
                    "  - name: a\n    target: /src/weights/b\n    source: []\n  - name: c\n    target: /src/weights/\n"
                    "    source: {uri: hf://x/c}\n"),
             expect=[("cog.yaml", 9, 11, 9, 12, "duplicate weight name"),
                     ("cog.yaml", 10, 13, 10, 27, "target overlaps with \"/src/weights\""),
                     ("cog.yaml", 11, 5, 11, 11, "`weights[1].source` is required"),
                     ("cog.yaml", 13, 13, 13, 26, "duplicate weight target")]),
    ]
