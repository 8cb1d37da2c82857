"""pipelint computes scopes and qualified names its own (faster) way: the answers must be
libcst's own, node for node, on every Python file of the fixtures."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from pipelint.model.project import Project

PY_FILES = sorted(FIXTURES.glob("**/*.py"))


def tree_nodes(tree) -> list:
    import libcst as cst

    found = []

    class Every(cst.CSTVisitor):
        def on_visit(self, node) -> bool:
            found.append(node)
            return True

    tree.visit(Every())
    return found


def module_of(path):
    project = Project(path.parent)
    return project.module(path)


@pytest.mark.parametrize("path", PY_FILES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_scopes_and_qualified_names_match_libcst_providers(path):
    import libcst.metadata as meta

    module = module_of(path)
    if module is None or module.tree is None:
        pytest.skip("not parsed (the fixture is about a syntax or reading error)")
    # libcst's own providers, on the very same nodes
    try:
        expected = meta.MetadataWrapper(module.tree, unsafe_skip_copy=True).resolve_many(
            [meta.ScopeProvider, meta.QualifiedNameProvider, meta.ExpressionContextProvider])
    except RecursionError:
        pytest.skip("too deep for libcst's own providers (pipelint reports PL003 there)")
    nodes = tree_nodes(module.tree)
    for node in nodes:
        assert module.meta("scope", node) is not None or expected[meta.ScopeProvider].get(node) is None
        assert module.meta("expression_context", node) == expected[meta.ExpressionContextProvider].get(node)
        want = expected[meta.QualifiedNameProvider].get(node)
        want = want() if type(want).__name__ == "LazyValue" else want
        got = module.meta("qualified_name", node)
        assert {(q.name, q.source) for q in got} == {(q.name, q.source) for q in (want or ())}, \
            (type(node).__name__, module.code_for(node))


def test_the_comparison_sees_qualified_names():
    """The test above would pass vacuously if nothing had a qualified name."""
    module = module_of(FIXTURES / "examples" / "flux-caption" / "main.py")
    names = {q.name for node in tree_nodes(module.tree) for q in module.meta("qualified_name", node)}
    assert {"replicate.use", "cog.Input", "cog.BaseModel", "typing.Optional"} <= names


CLEAN_MODELS = [FIXTURES / "examples" / "flux-caption", *sorted(p for p in (FIXTURES / "clean").iterdir() if p.is_dir())]


@pytest.mark.parametrize("folder", CLEAN_MODELS, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_a_clean_model_costs_no_positions_or_parents(folder, monkeypatch):
    """Positions are computed for modules with something to report, parents never by default:
    on a clean model only the scope analysis runs (a rule that computes positions eagerly
    costs every model ~20 ms)."""
    import pipelint.model.python as python
    from pipelint.engine.config import settings_for_model
    from pipelint.engine.runner import lint

    computed = []
    real = python.PythonModule.resolve

    def recording(self, names):
        computed.extend(n for n in names if n not in self._metadata)
        return real(self, names)

    monkeypatch.setattr(python.PythonModule, "resolve", recording)
    result = lint(folder, settings_for_model(folder))
    assert result.diagnostics == [] and not result.internal_errors
    assert {"scope", "qualified_name"} & set(computed)  # not vacuous: metadata was computed, through this method
    assert not {"position", "parent"} & set(computed)
