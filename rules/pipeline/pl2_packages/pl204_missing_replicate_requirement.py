"""PL204 missing-replicate-requirement: requirements.txt is missing, or does not list `replicate`."""

from __future__ import annotations

from pipelint.core.diagnostics import Edit, Position, Severity
from pipelint.engine.rule import Case, Rule
from pipelint.model.requirements import REPLICATE_LINE, REPLICATE_REQUIREMENT

_MAIN = "import replicate\n\n\ndef run(prompt: str) -> str:\n    return str(replicate.run('a/b', input={}))\n"
_MAIN_USE = "from replicate import use\n\nllm = use('a/b')\n\n\ndef run(prompt: str) -> str:\n    return str(llm(prompt=prompt))\n"


class MissingReplicateRequirement(Rule):
    """requirements.txt is missing, or does not list `replicate`.

    ## What it does
    Reports a model that imports `replicate` (or calls `use()`) whose requirements file does
    not exist, or does not require `replicate` (files included with `-r` count). A model that
    never imports `replicate` needs no replicate line.

    ## Why is this bad?
    The runtime has `replicate` on Replicate, but local runs (`cog predict`) install only what
    requirements.txt lists: without it, `import replicate` fails on your machine.

    ## Example
    ```text
    requests
    ```

    ## Use instead
    ```text
    requests
    replicate>=1.1.0b1,<2.0.0a1
    ```

    ## Fix safety
    The fix adds `replicate>=1.1.0b1,<2.0.0a1`, creating requirements.txt when it is missing;
    then the same fix sets `build.python_requirements: requirements.txt` in cog.yaml, without
    which cog never reads the file.
    It is safe: the runtime ignores the file, and locally it installs the client the runtime
    has. No fix is offered when cog.yaml names a requirements file that does not exist (PL113).
    """

    code = "PL204"
    name = "missing-replicate-requirement"
    severity = Severity.WARNING
    files = ("cog.yaml", "requirements.txt")
    fix_availability = "sometimes"

    def check(self) -> None:
        p = self.project
        if p.cog_file is None or p.cog_file.text is None:
            return
        from pipelint.analysis.calls import imports_replicate

        if not imports_replicate(p):
            return  # the model never imports replicate: local runs do not need it
        if p.requirements_file is None:
            if p.cog_get("build", "python_requirements") is not None:
                return  # cog.yaml names a file that is not there: PL113 says so
            path = p.path(p.requirements_rel)
            anchor = p.cog_get("build") or p.cog_get("predict")
            from pipelint.edits import yamledit

            edit = Edit(path, Position(1, 1), Position(1, 1), REPLICATE_REQUIREMENT + "\n")
            # cog reads only the requirements file cog.yaml names: the same fix names the new one
            named = yamledit.name_requirements_file(p, p.requirements_rel)
            message = "there is no requirements.txt: local runs do not install `replicate`"
            kw = dict(help=f"create requirements.txt with `{REPLICATE_REQUIREMENT}` and name it in cog.yaml "
                           f"(`build.python_requirements: {p.requirements_rel}`)",
                      fix=self.fix(f"Create requirements.txt with `{REPLICATE_REQUIREMENT}` and name it in cog.yaml",
                                   edit, named)
                      if named is not None else None)
            if anchor is not None:
                self.report_yaml(anchor[0], message, **kw)
            else:
                self.report_at(p.cog_file.path, Position(1, 1), Position(1, 1), message, **kw)
            return
        if p.requirements_file.text is None:
            return  # unreadable: PL003
        from pipelint.model.requirements import with_includes

        for _, reqs in with_includes(p):
            if reqs.find("replicate") or any(REPLICATE_LINE.match(line.text) for line in reqs.lines):
                return
        source = p.requirements_file
        text = source.text
        end = _end_of(text)
        prefix = "" if not text or text.endswith(("\n", "\r")) else "\n"
        self.report_at(source.path, Position(1, 1), Position(1, 1),
                       f"{source.rel} does not list `replicate`: local runs cannot `import replicate`",
                       help=f"add `{REPLICATE_REQUIREMENT}`",
                       fix=self.fix(f"Add `{REPLICATE_REQUIREMENT}`",
                                    Edit(source.path, end, end, prefix + REPLICATE_REQUIREMENT + "\n")))

    VALID = [Case({}), Case({"requirements.txt": "-r base.txt\n", "base.txt": "replicate>=1.1.0b1,<2.0.0a1\n"}),
             Case({"requirements.txt": "requests\n"}, note="the model never imports replicate"),
             Case({"requirements.txt": None}, note="the model never imports replicate")]
    INVALID = [
        Case({"requirements.txt": "requests\npillow", "main.py": _MAIN},
             expect=[("requirements.txt", 1, 1, 1, 1, "requirements.txt does not list `replicate`")],
             fixed={"requirements.txt": f"requests\npillow\n{REPLICATE_REQUIREMENT}\n"}),
        Case({"requirements.txt": "", "main.py": _MAIN_USE,
              "cog.yaml": 'build:\n  python_version: "3.13"\npredict: "main.py:run"\n'},
             expect=[("requirements.txt", 1, 1, 1, 1, "requirements.txt does not list `replicate`")],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n"}),
        Case({"requirements.txt": None, "main.py": _MAIN,
              "cog.yaml": 'build:\n  python_version: "3.13"\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 1, 1, 1, 6, "there is no requirements.txt")],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n",
                    "cog.yaml": 'build:\n  python_version: "3.13"\n  python_requirements: requirements.txt\n'
                                'predict: "main.py:run"\n'},
             note="the created file is named in cog.yaml, or cog would never read it"),
        Case({"requirements.txt": None, "main.py": _MAIN,
              "cog.yaml": 'build:\n  python_version: "3.13"\n  system_packages:\n    - ffmpeg\n\n# the entry\n'
                          'predict: "main.py:run"\n'},
             expect=[("cog.yaml", 1, 1, 1, 6, "there is no requirements.txt")],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n",
                    "cog.yaml": 'build:\n  python_version: "3.13"\n  system_packages:\n    - ffmpeg\n'
                                '  python_requirements: requirements.txt\n\n# the entry\npredict: "main.py:run"\n'}),
        Case({"requirements.txt": None, "main.py": _MAIN, "cog.yaml": 'predict: "main.py:run"\n'},
             expect=[("cog.yaml", 1, 1, 1, 8, "there is no requirements.txt")],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n",
                    "cog.yaml": 'predict: "main.py:run"\nbuild:\n  python_requirements: requirements.txt\n'},
             note="no `build` section: one is added"),
        Case({"requirements.txt": None, "main.py": _MAIN,
              "cog.yaml": 'build: {python_version: "3.13"}\npredict: "main.py:run"\n'},
             expect=[("cog.yaml", 1, 1, 1, 6, "there is no requirements.txt")],
             fixed={"requirements.txt": f"{REPLICATE_REQUIREMENT}\n",
                    "cog.yaml": 'build: {python_version: "3.13", python_requirements: requirements.txt}\n'
                                'predict: "main.py:run"\n'}),
    ]


def _end_of(text: str) -> Position:
    from pipelint.core.source import line_offsets

    starts = line_offsets(text)
    return Position(len(starts), len(text) - starts[-1] + 1)
