"""pipelint.analysis.guards / load_imports: what guards an import and what never runs on Python 3.13.

The same verdicts are checked against Python 3.13 running each case in
tests/differential/test_coglet_guards.py (opt-in); these are the offline spot checks.
"""

from __future__ import annotations

import pytest


def _imports(tmp_path, text):
    from pipelint.analysis.load_imports import module_imports
    from pipelint.model.project import Project

    (tmp_path / "main.py").write_text(text, encoding="utf-8")
    module = Project(tmp_path).module(tmp_path / "main.py")
    return {imp.module: (imp.guarded, imp.name_guarded) for imp in module_imports(module)}


@pytest.mark.parametrize("text, guarded", [
    ("import sys\ntry:\n    import x\nexcept ImportError:\n    sys.exit(1)\n", (False, False)),
    ("try:\n    import x\nexcept ImportError:\n    exit(1)\n", (False, False)),
    ("try:\n    import x\nexcept ImportError:\n    def f():\n        raise SystemExit\n", (True, True)),
    ("try:\n    import x\nexcept ModuleNotFoundError:\n    pass\n", (True, False)),
    ("from contextlib import suppress\nwith suppress(ModuleNotFoundError):\n    import x\n", (True, False)),
    ("from contextlib import suppress\nwith suppress(ImportError):\n    import x\n", (True, True)),
    ("import sys\nif (3, 8) <= sys.version_info < (3, 13):\n    import x\n", (True, True)),
    ("import sys\nif (3, 8) <= sys.version_info < (3, 14):\n    import x\n", (False, False)),
    ("import sys\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING or sys.version_info < (3, 12):\n    import x\n",
     (True, True)),
    ("from typing import TYPE_CHECKING\nif not TYPE_CHECKING:\n    import x\n", (False, False)),
    ("if False:\n    import x\n", (True, True)),
    ("if 0:\n    import x\n", (True, True)),
    ("if True:\n    pass\nelse:\n    import x\n", (True, True)),
    ("import sys\nif sys.version_info >= (3, 13, 1):\n    import x\n", (False, False)),
    ("while False:\n    import x\n", (True, True)),
    ("for _ in ():\n    import x\n", (True, True)),
    ("for _ in (1,):\n    import x\n", (False, False)),
    ("while False:\n    pass\nelse:\n    import x\n", (False, False)),
])
def test_guard_verdicts(tmp_path, text, guarded):
    assert _imports(tmp_path, text)["x"] == guarded
