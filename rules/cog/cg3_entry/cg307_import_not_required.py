"""CG307 import-not-required: A third-party import that no requirement provides."""

from __future__ import annotations

from pipelint.core.diagnostics import Severity
from pipelint.engine.rule import Case, Rule
from pipelint.model import cog_data

_YAML = 'build:\n  python_version: "3.12"\n  python_requirements: requirements.txt\nrun: "predict.py:run"\n'
_RUN = "\n\ndef run(prompt: str) -> str:\n    return prompt\n"


def _sdk_names(cog_version: str) -> set[str]:
    """The distributions the cog SDK of that release requires (installed in every image)."""
    return {_norm(req.name) for req in cog_data.sdk_requirements(cog_version)}


def _norm(name: str) -> str:
    from packaging.utils import canonicalize_name

    return canonicalize_name(name)


class ImportNotRequired(Rule):
    """A third-party import that no requirement of the model provides.

    ## What it does
    Reports an import, in the entry modules and the local modules they import, of a module that
    a known distribution provides (the import-name map is derived from real wheels' RECORD,
    `pipelint.model.cog_data.distributions_for_import`) when neither the requirements file
    (with its `-r` includes), `build.python_packages` nor a `python3-…` system package lists
    that distribution, nor any listed distribution brings it as a dependency. Modules the map
    does not know are never reported; local modules, the standard library, the cog SDK's own
    dependencies and imports guarded by `try: … except ImportError:` or `if TYPE_CHECKING:` are
    not either.

    What a requirement brings is its Requires-Dist, transitively, as pip installs it by default
    (extras left out; markers evaluated for Linux and the model's `python_version`), read from
    the real distributions' metadata (`pipelint.model.cog_data.installed_with`). When a listed
    distribution's own requirements are not in that data, an import of a distribution that
    anything requires (numpy, pillow, tqdm, …) is not reported: it may come from there.

    ## Why is this bad?
    `cog build` installs only what the model lists: the image builds, and the model fails at
    setup with `ModuleNotFoundError: No module named 'diffusers'`.

    ## Example
    ```python
    from diffusers import StableDiffusionPipeline  # requirements.txt lists only torch
    ```

    ## Use instead
    ```text
    # requirements.txt
    torch==2.5.1
    diffusers==0.31.0
    ```
    """

    code = "CG307"
    name = "import-not-required"
    severity = Severity.WARNING
    targets = ("cog",)
    cog_versions = ""
    files = ("python", "requirements.txt", "cog.yaml")

    def check(self) -> None:
        from pipelint.analysis.cog_entry import entry_modules
        from pipelint.analysis.load_imports import module_imports

        p = self.project
        provided = self._provided()
        from pipelint.model import yamlnodes

        python = p.cog_get("build", "python_version")
        python_version = yamlnodes.scalar(python[1]) if python is not None else None
        python_version = python_version if isinstance(python_version, str) else None
        installed = cog_data.installed_with(provided, python_version)
        # The SDK's own few dependencies are known; only what the model lists can bring unknown ones.
        sdk = cog_data.installed_with(_sdk_names(p.cog_version), python_version)
        installed = cog_data.Installed(installed.distributions | sdk.distributions, installed.unknown)
        stdlib = p.runtime.stdlib
        reported = set()
        for module in entry_modules(p):
            for imp in module_imports(module):
                if imp.level or imp.guarded or not imp.module:
                    continue
                top = imp.module.split(".")[0]
                if top in p.local_modules or top in stdlib or top in ("cog", "coglet"):
                    continue
                dists = cog_data.distributions_for_import(imp.module)
                if not dists or installed.distributions & set(dists):
                    continue
                # A listed distribution whose own requirements pipelint does not know may bring any
                # distribution that something requires; only the ones nothing requires are certain.
                if installed.unknown and set(dists) & cog_data.dependency_distributions():
                    continue
                if (module.source.path, top) in reported:
                    continue
                reported.add((module.source.path, top))
                which = " or ".join(f"`{d}`" for d in dists)
                subject = f"`{top}`" if dists == (_norm(top),) else f"`{top}` (from {which})"
                self.report(imp.node, f"{subject} is imported but no requirement lists it: the image builds, "
                                      f"and the model fails at setup (`ModuleNotFoundError: No module named '{top}'`)",
                            module=module, help=f"add `{dists[0]}` (pinned) to {p.requirements_rel}")

    def _provided(self) -> set[str]:
        from packaging.requirements import Requirement

        from pipelint.model import yamlnodes
        from pipelint.model.requirements import with_includes

        p = self.project
        out = set()
        for _, reqs in with_includes(p):
            for line in reqs.requirements:
                out.add(line.name)
        for key in ("python_packages", "system_packages"):
            hit = p.cog_get("build", key)
            if hit is None or not yamlnodes.is_sequence(hit[1]):
                continue
            for item in hit[1].value:
                value = yamlnodes.scalar(item)
                if not isinstance(value, str):
                    continue
                if key == "system_packages":
                    if value.startswith("python3-"):
                        out.add(_norm(value[len("python3-"):]))
                    continue
                try:
                    out.add(_norm(Requirement(value).name))
                except Exception:
                    continue
        return out

    VALID = [
        Case({"cog.yaml": _YAML, "main.py": None,
              "requirements.txt": "torch==2.5.1\nDiffusers==0.31.0\nopencv-python-headless\n",
              "predict.py": "import os, json\nimport torch\nimport diffusers.pipelines\nimport cv2\nimport yaml, requests\n"
                            "import numpy as np\nimport helpers\nimport some_unknown_module\n"
                            "try:\n    import xformers\nexcept ImportError:\n    xformers = None\n" + _RUN,
              "helpers.py": ""}),
        # diffusers' own Requires-Dist brings numpy, Pillow, huggingface-hub and safetensors.
        Case({"cog.yaml": _YAML, "main.py": None, "requirements.txt": "diffusers==0.31.0\n",
              "predict.py": "import numpy as np\nfrom PIL import Image\nimport huggingface_hub\nimport safetensors" + _RUN}),
        # What a private package requires is unknown: numpy (which many packages require) may come from it.
        Case({"cog.yaml": _YAML, "main.py": None, "requirements.txt": "our-private-toolkit==1.2\n",
              "predict.py": "import numpy as np" + _RUN}),
    ]
    INVALID = [
        Case({"cog.yaml": _YAML, "main.py": None, "requirements.txt": "torch==2.5.1\n",
              "predict.py": "import torch\nfrom diffusers import StableDiffusionPipeline" + _RUN},
             expect=[("predict.py", 2, 6, 2, 15, "`diffusers` is imported but no requirement lists it")]),
        Case({"cog.yaml": _YAML, "main.py": None, "requirements.txt": None,
              "predict.py": "import numpy as np" + _RUN},
             expect=[("predict.py", 1, 8, 1, 13, "(`ModuleNotFoundError: No module named 'numpy'`)")]),
        # requests' dependencies are known, and numpy is not among them.
        Case({"cog.yaml": _YAML, "main.py": None, "requirements.txt": "requests==2.32.3\n",
              "predict.py": "import requests\nimport numpy as np" + _RUN},
             expect=[("predict.py", 2, 8, 2, 13, "`numpy` is imported but no requirement lists it")]),
    ]
