"""An import a fix adds goes where isort puts it: a file that passed `ruff check --select I` still does.

The ruff checks need ruff (installed in the dev venv); they skip when it is absent. ruff runs with
its defaults (`--isolated`), Python 3.13 (the runtime's standard library) and the model folder as
the working directory, so the folder's own modules are first-party, as pipelint sees them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_model

from pipelint.core.settings import Settings
from pipelint.edits.apply import apply_edits
from pipelint.engine.fixer import fix_model, write_changes
from pipelint.engine.registry import all_rules
from pipelint.engine.rule import DEFAULT_COG_YAML, DEFAULT_REQUIREMENTS
from pipelint.model.project import Project

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _ruff() -> str | None:
    here = Path(sys.executable).parent / "ruff"
    return str(here) if here.exists() else shutil.which("ruff")


RUFF = _ruff()
needs_ruff = pytest.mark.skipif(RUFF is None, reason="ruff is not installed")


def isort_clean(folder: Path, rel: str) -> bool:
    """Does ``folder/rel`` pass `ruff check --select I` (run in ``folder``)?"""
    done = subprocess.run([RUFF, "check", "--isolated", "--target-version", "py313", "--select", "I",
                           "--quiet", "--no-cache", rel], cwd=folder, capture_output=True, text=True, timeout=60)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode == 0


# (main.py, module, name, main.py after): each `before` passes isort, and so must `after`
PLACEMENT = [
    # a stdlib import joins the stdlib section, not the end of the block
    ("import os\n\nimport replicate\nfrom cog import Input\n\n\ndef run() -> str:\n    return ''\n",
     "typing", "Optional",
     "import os\nfrom typing import Optional\n\nimport replicate\nfrom cog import Input\n\n\n"
     "def run() -> str:\n    return ''\n"),
    # no stdlib section yet: a new one, above the third-party one
    ("import replicate\nfrom cog import Input\n\n\ndef run() -> str:\n    return ''\n", "typing", "Optional",
     "from typing import Optional\n\nimport replicate\nfrom cog import Input\n\n\ndef run() -> str:\n    return ''\n"),
    # a third-party import among the third-party ones, never with the stdlib
    ("import json\nimport os\n\nimport replicate\n\n\ndef run() -> str:\n    return ''\n", "cog", "Input",
     "import json\nimport os\n\nimport replicate\nfrom cog import Input\n\n\ndef run() -> str:\n    return ''\n"),
    # only stdlib: a new third-party section below it
    ("import os\n\n\ndef run() -> str:\n    return ''\n", "cog", "Input",
     "import os\n\nfrom cog import Input\n\n\ndef run() -> str:\n    return ''\n"),
    # stdlib and first-party (the folder's helpers.py): third-party goes between them
    ("import os\n\nimport helpers\n\n\ndef run() -> str:\n    return helpers.x\n", "cog", "Input",
     "import os\n\nfrom cog import Input\n\nimport helpers\n\n\ndef run() -> str:\n    return helpers.x\n"),
    # comments between the groups stay on the group they head
    ('"""A model."""\n\nfrom __future__ import annotations\n\n# standard library\nimport os\n\n'
     "# third party\nimport replicate\n\n# ours\nimport helpers\n\n\ndef run() -> str:\n    return ''\n",
     "typing", "Optional",
     '"""A model."""\n\nfrom __future__ import annotations\n\n# standard library\nimport os\nfrom typing import Optional\n\n'
     "# third party\nimport replicate\n\n# ours\nimport helpers\n\n\ndef run() -> str:\n    return ''\n"),
    ('"""A model."""\n\nfrom __future__ import annotations\n\n# third party\nimport replicate\n\n\n'
     "def run() -> str:\n    return ''\n", "typing", "Optional",
     '"""A model."""\n\nfrom __future__ import annotations\n\nfrom typing import Optional\n\n# third party\n'
     "import replicate\n\n\ndef run() -> str:\n    return ''\n"),
    # `__future__` stays first; the new section follows it
    ("from __future__ import annotations\n\n\ndef run() -> str:\n    return ''\n", "cog", "Input",
     "from __future__ import annotations\n\nfrom cog import Input\n\n\ndef run() -> str:\n    return ''\n"),
    # `import x` lines before `from x import y` lines in a section, each sorted
    ("import os\nimport sys\nfrom pathlib import Path\n\n\ndef run() -> str:\n    return ''\n", "typing", "Optional",
     "import os\nimport sys\nfrom pathlib import Path\nfrom typing import Optional\n\n\ndef run() -> str:\n    return ''\n"),
    ("import os\nfrom typing import Any\n\n\ndef run() -> str:\n    return ''\n", "dataclasses", "field",
     "import os\nfrom dataclasses import field\nfrom typing import Any\n\n\ndef run() -> str:\n    return ''\n"),
    # merged into the existing `from` import, in sorted place
    ("from cog import Path, Secret\n\n\ndef run() -> str:\n    return ''\n", "cog", "Input",
     "from cog import Input, Path, Secret\n\n\ndef run() -> str:\n    return ''\n"),
    ("from cog import BaseModel, Path\n\n\ndef run() -> str:\n    return ''\n", "cog", "Input",
     "from cog import BaseModel, Input, Path\n\n\ndef run() -> str:\n    return ''\n"),
    ("from typing import TYPE_CHECKING, Any\n\n\ndef run() -> str:\n    return ''\n", "typing", "Optional",
     "from typing import TYPE_CHECKING, Any, Optional\n\n\ndef run() -> str:\n    return ''\n"),
    ("from cog import Input, Path\n\n\ndef run() -> str:\n    return ''\n", "cog", "concurrent",
     "from cog import Input, Path, concurrent\n\n\ndef run() -> str:\n    return ''\n"),
    # parenthesised, one name a line: the new name on a line of its own
    ("from cog import (\n    Input,\n    Secret,\n)\n\n\ndef run() -> str:\n    return ''\n", "cog", "Path",
     "from cog import (\n    Input,\n    Path,\n    Secret,\n)\n\n\ndef run() -> str:\n    return ''\n"),
    # a line that grows past 88 characters is wrapped as isort wraps it
    ("from typing import Annotated, AsyncIterator, Callable, Iterator, List, Sequence, Union\n\n\n"
     "def run() -> str:\n    return ''\n", "typing", "Optional",
     "from typing import (\n    Annotated,\n    AsyncIterator,\n    Callable,\n    Iterator,\n    List,\n"
     "    Optional,\n    Sequence,\n    Union,\n)\n\n\ndef run() -> str:\n    return ''\n"),
    # an alias gets a statement of its own (`combine-as-imports = false`), sorted by its name
    ("from cog import Input, Path\n\nBaseModel = object\n\n\ndef run() -> str:\n    return ''\n", "cog", "BaseModel",
     "from cog import BaseModel as CogBaseModel\nfrom cog import Input, Path\n\nBaseModel = object\n\n\n"
     "def run() -> str:\n    return ''\n"),
    # an import only under `if TYPE_CHECKING:` is not at run time: a real one joins the top block
    ("from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from cog import Path\n\n\n"
     "def run() -> str:\n    return ''\n", "cog", "Input",
     "from typing import TYPE_CHECKING\n\nfrom cog import Input\n\nif TYPE_CHECKING:\n    from cog import Path\n\n\n"
     "def run() -> str:\n    return ''\n"),
    # no import yet: after the docstring, with the blank lines isort wants after a block
    ('"""A model."""\n\n\ndef run() -> str:\n    return \'\'\n', "cog", "Input",
     '"""A model."""\n\nfrom cog import Input\n\n\ndef run() -> str:\n    return \'\'\n'),
    ('"""A model."""\ndef run() -> str:\n    return \'\'\n', "cog", "Input",
     '"""A model."""\n\nfrom cog import Input\n\n\ndef run() -> str:\n    return \'\'\n'),
    ('"""A model."""\n\nX = 1\n', "cog", "Input", '"""A model."""\n\nfrom cog import Input\n\nX = 1\n'),
    ("def run() -> str:\n    return ''\n", "cog", "Input",
     "from cog import Input\n\n\ndef run() -> str:\n    return ''\n"),
]


@pytest.mark.parametrize("before,module,name,after", PLACEMENT)
def test_import_goes_where_isort_puts_it(tmp_path, before, module, name, after):
    from pipelint.edits import pyedit

    root = write_model(tmp_path / "model", {"cog.yaml": DEFAULT_COG_YAML, "requirements.txt": DEFAULT_REQUIREMENTS,
                                            "main.py": before, "helpers.py": "x = ''\n"})
    project = Project(root)  # held: a module knows the folder's modules while its project lives
    plan = pyedit.ensure_import(project.entry_module, module, name)
    assert apply_edits(before, list(plan.edits)) == after


@needs_ruff
@pytest.mark.parametrize("before,module,name,after", PLACEMENT)
def test_placement_cases_pass_isort(tmp_path, before, module, name, after):
    root = write_model(tmp_path / "model", {"main.py": before, "helpers.py": "x = ''\n"})
    assert isort_clean(root, "main.py"), f"the case's own `before` fails isort:\n{before}"
    (root / "main.py").write_text(after, encoding="utf-8")
    assert isort_clean(root, "main.py"), f"the text after the edit fails isort:\n{after}"


def test_sections():
    from pipelint.edits import pyedit

    root_files = {"cog.yaml": DEFAULT_COG_YAML, "requirements.txt": DEFAULT_REQUIREMENTS, "main.py": "x = 1\n",
                  "helpers/__init__.py": ""}
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        project = Project(write_model(Path(d) / "m", root_files))
        module = project.entry_module
        assert pyedit.import_section(module, "__future__") == pyedit.FUTURE
        assert pyedit.import_section(module, "typing") == pyedit.STDLIB
        assert pyedit.import_section(module, "tomllib") == pyedit.STDLIB
        assert pyedit.import_section(module, "cog") == pyedit.THIRD_PARTY
        assert pyedit.import_section(module, "helpers") == pyedit.FIRST_PARTY
        assert pyedit.import_section(module, "anything", level=1) == pyedit.LOCAL_FOLDER


def test_member_order_is_isorts():
    from pipelint.edits.pyedit import member_key

    names = ["cat", "Cat", "C", "b", "B2", "ab", "aB", "AB", "A_B", "a_", "a10", "a2", "_a", "__a", "Ab"]
    # what `ruff check --select I --fix` writes for `from x import <names>`
    assert sorted(names, key=member_key) == ["A_B", "AB", "B2", "Ab", "C", "Cat", "__a", "_a", "a2", "a10",
                                             "a_", "aB", "ab", "b", "cat"]


# ---- every fix that adds an import: rule examples and fixture folders -----------------------------

def _fix_cases():
    for rule in all_rules():
        for i, case in enumerate(rule.INVALID):
            if case.fixed is not None:
                yield pytest.param(rule, case, id=f"{rule.code}-invalid-{i}")


def _python_files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(root.rglob("*.py")) if p.is_file()}


def _check_fixed_files_still_pass(root: Path, settings: Settings) -> None:
    before = _python_files(root)
    clean = {rel for rel in before if isort_clean(root, rel)}
    outcome = fix_model(root, settings, unsafe=True)
    assert not outcome.internal_errors
    assert not write_changes(outcome)
    broken = []
    for rel in sorted(clean):
        after = (root / rel).read_text(encoding="utf-8", errors="replace") if (root / rel).exists() else None
        if after is not None and after != before[rel] and not isort_clean(root, rel):
            broken.append(f"--- {rel} before\n{before[rel]}--- after\n{after}")
    assert not broken, "the fix broke the import order:\n" + "\n".join(broken)


@needs_ruff
@pytest.mark.parametrize("rule,case", list(_fix_cases()))
def test_rule_fix_keeps_imports_sorted(rule, case, tmp_path):
    root = write_model(tmp_path / "model", case.model_files()).resolve()
    _check_fixed_files_still_pass(root, Settings(select=[rule.code], target=rule.targets[0],
                                                 cog_version=case.cog_version))


def _fixture_folders():
    for expected in sorted(FIXTURES.rglob("expected.txt")):
        folder = expected.parent
        if any(p.suffix == ".py" for p in folder.rglob("*.py")):
            yield pytest.param(folder, id=folder.relative_to(FIXTURES).as_posix())


@needs_ruff
@pytest.mark.parametrize("folder", list(_fixture_folders()))
def test_fixture_fixes_keep_imports_sorted(folder, tmp_path):
    root = tmp_path / "model"
    shutil.copytree(folder, root, symlinks=True)
    _check_fixed_files_still_pass(root.resolve(), Settings())
