"""What rules of several families build on: base classes for rules about the entry, about model
calls and about the imports that run when the model loads, and small reporting helpers.

They read the analysis modules (``pipelint.analysis.entry``, ``pipelint.analysis.calls``, ``pipelint.model.imports``)
and decide nothing themselves: each rule's file says when it fires and what it says.
"""

from __future__ import annotations

import re

from pipelint.analysis.visitors import MarkedBlocks
from pipelint.engine.rule import Rule
from pipelint.model.imports import dotted
from pipelint.model.literals import evaluated


def qualified_names(rule: Rule, node) -> set[str]:
    """The qualified names of ``node`` as strings (the rule declares the ``qualified_name`` metadata)."""
    return {q.name for q in (rule.get_metadata("qualified_name", node) or ())}


class EntryRule(Rule):
    """A rule about the entry's signature: ``check_entry(entry)`` runs when there is one to inspect."""

    files = ("python",)
    metadata = ("qualified_name", "scope", "position")  # what pipelint.analysis.entry builds the entry from

    def check(self) -> None:
        from pipelint.analysis.entry import checked_entry

        entry = checked_entry(self.project)
        if entry is not None:
            self.check_entry(entry)

    def check_entry(self, entry) -> None:
        raise NotImplementedError


class ModelRule(Rule):
    """A rule about calling other models: ``each_module()`` gives every module with its
    ``use()`` facts (``pipelint.analysis.calls``)."""

    files = ("python",)
    metadata = ("qualified_name", "scope")

    def each_module(self):
        from pipelint.analysis import calls as models

        for module in self.project.modules:
            if module.tree is not None:
                yield module, models.facts(module, self.project)


DYNAMIC_IMPORTS = {"importlib.import_module", "builtins.__import__"}
_DYNAMIC_TEXT = re.compile(r"import_module|__import__")


class LoadTimeImportVisitor(MarkedBlocks, Rule):
    """Finds the imports that run when the model loads, and calls ``on_import`` for each.

    An import inside ``try:`` whose handlers catch ImportError (or anything broader) may fail:
    it is guarded. So is one under ``if TYPE_CHECKING:`` or ``if __name__ == "__main__":``,
    which never runs on Replicate.
    """

    files = ("python",)
    modules = "all"
    metadata = ("qualified_name",)

    @classmethod
    def metadata_for(cls, project, module) -> tuple[str, ...]:
        # Qualified names only tell dynamic imports apart; a module that never spells one
        # does not need them (they cost more than the rest of the rule).
        return cls.metadata if _DYNAMIC_TEXT.search(module.source.text or "") else ()

    def on_import(self, node, module: str, level: int, guarded: bool) -> None:
        raise NotImplementedError

    # -- guards ------------------------------------------------------------------------------
    def visit_Try(self, node) -> None:
        from pipelint.analysis.guards import try_guards_imports

        if try_guards_imports(node):
            self.mark(node.body)

    visit_TryStar = visit_Try

    def visit_With(self, node) -> None:
        from pipelint.analysis.guards import with_suppresses_import_error

        if with_suppresses_import_error(node):
            self.mark(node.body)

    def visit_If(self, node) -> None:
        import libcst as cst

        from pipelint.analysis.guards import version_test

        if never_runs_on_load(node.test):
            self.mark(node.body)
            return
        value = version_test(node.test)
        if value is False:
            self.mark(node.body)
        elif value is True:  # the else/elif branches never run
            rest = node.orelse
            while rest is not None:
                self.mark(rest.body)
                rest = rest.orelse if isinstance(rest, cst.If) else None

    # -- imports -----------------------------------------------------------------------------
    def visit_Import(self, node) -> None:
        for alias in node.names:
            self.on_import(alias.name, dotted(alias.name), 0, self.in_marked)

    def visit_ImportFrom(self, node) -> None:
        level = len(node.relative)
        where = node if level else node.module
        self.on_import(where, dotted(node.module) if node.module is not None else "", level, self.in_marked)

    def visit_Call(self, node) -> None:
        import libcst as cst

        if not node.args or not isinstance(node.args[0].value, cst.SimpleString) or node.args[0].keyword:
            return
        # Decided once per module: ``setdefault(key, expensive())`` would re-run the whole-file
        # regex on every call (O(calls × size)).
        spells = self.__dict__.get("_spells_dynamic")
        if spells is None:
            spells = self.__dict__["_spells_dynamic"] = bool(self.metadata_for(self.project, self.module))
        if not spells:
            return  # the module never spells a dynamic import (aliases are spelt in their import)
        names = self.get_metadata("qualified_name", node.func) or set()
        if not any(q.name in DYNAMIC_IMPORTS for q in names):
            return
        target = evaluated(node.args[0].value)
        if isinstance(target, str) and target and not target.startswith("."):
            self.on_import(node.args[0].value, target, 0, self.in_marked)


def never_runs_on_load(test) -> bool:
    """``TYPE_CHECKING`` or ``__name__ == "__main__"``: false when the runtime imports the module."""
    from pipelint.analysis.calls import is_main_guard

    return dotted(test).rpartition(".")[2] == "TYPE_CHECKING" or is_main_guard(test)
