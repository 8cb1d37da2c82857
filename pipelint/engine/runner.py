"""Runs the enabled rules over one project model and returns its sorted diagnostics."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path

from pipelint.analysis.target import COG, TargetDecision, decide
from pipelint.core.diagnostics import Diagnostic, Severity
from pipelint.core.records import Record
from pipelint.core.settings import Settings
from pipelint.engine.registry import load_rules, rule_index
from pipelint.model.project import Project, ProjectCache


class Cancelled(BaseException):
    """Raised out of ``lint()`` when its ``cancelled`` callable answers True at a check point.

    A BaseException, as asyncio's CancelledError: the guards that keep one rule's bug from
    stopping the lint (``except Exception``) let it through.
    """


class LintResult(Record, hidden=("cancelled",), uncompared=("cancelled",)):
    root: Path
    diagnostics: list[Diagnostic]
    internal_errors: list[str]
    project: Project | None
    target: TargetDecision | None  # which rule set judged the folder, and why
    # What suppression comments and per-file-ignores silenced (engine.suppression.Suppressed).
    suppressed: list
    # Asked between phases, rules and modules; True stops the lint (``Cancelled``).
    cancelled: Callable[[], bool] | None

    def __init__(
        self,
        root: Path,
        diagnostics: list[Diagnostic] | None = None,
        internal_errors: list[str] | None = None,
        project: Project | None = None,
        target: TargetDecision | None = None,
        suppressed: list | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self.root = root
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.internal_errors = [] if internal_errors is None else internal_errors
        self.project = project
        self.target = target
        self.suppressed = [] if suppressed is None else suppressed
        self.cancelled = cancelled

    def stop_if_cancelled(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled


def enabled_rules(settings: Settings):
    """The index rows (``registry.RuleEntry``) of the rules ``settings`` enable: nothing imported yet."""
    rules = rule_index()
    codes = settings.enabled_codes(rules)
    return [r for r in rules if r.code in codes]


def newest_cog_version() -> str:
    from pipelint.model.cog_data import newest_cog_version as newest

    return newest()


def _release(cog_version: str) -> str:
    """The release a ``cog-version`` line stands for (``"0.16"`` → ``"0.16.12"``, its newest release), so
    a rule for ``>=0.16.10`` applies to the 0.16 line; the line itself when it has no tagged release."""
    from packaging.version import InvalidVersion, Version

    from pipelint.model.cog_data import resolve_cog_release

    release = resolve_cog_release(cog_version)
    try:
        return str(Version(release)) if release else cog_version
    except InvalidVersion:  # the newest line is an untagged snapshot ("head")
        return cog_version


def for_target(rules, target: str, cog_version: str | None):
    """The rules (classes or index rows) that judge a folder of kind ``target`` built by ``cog_version``
    (None: the newest cog pipelint knows)."""
    rules = [r for r in rules if target in r.targets]
    if not any(r.cog_versions for r in rules):
        return rules  # no rule of this kind depends on the version: no release to resolve
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    version = Version(_release(cog_version or newest_cog_version()))
    return [r for r in rules if not r.cog_versions or SpecifierSet(r.cog_versions).contains(version, prereleases=True)]


def lint(root: Path, settings: Settings | None = None, overlays: dict | None = None, rules=None,
         cache: ProjectCache | None = None, cancelled: Callable[[], bool] | None = None) -> LintResult:
    """Lint one model folder. ``overlays`` are unsaved texts by path; ``cache`` keeps what an
    earlier lint of the folder parsed (reused where a file's text is unchanged); ``cancelled``
    is asked between phases, rules and modules, and True abandons the lint (raises
    ``Cancelled``: an editor whose buffer changed meanwhile wants the new state linted)."""
    settings = settings or Settings()
    project = Project(root, settings, overlays, cache)
    rules = enabled_rules(settings) if rules is None else rules
    result = LintResult(project.root, project=project, cancelled=cancelled)
    result.stop_if_cancelled()
    try:
        result.target = decide(project, settings.target)
    except Exception:  # a broken module must not stop the lint: judge it by the default rule set
        result.internal_errors.append(f"deciding the target of {project.root}: {traceback.format_exc()}")
        result.target = TargetDecision(COG, "the target could not be decided", automatic=True)
    # Only the modules of the rules that run are imported (index rows become classes here).
    rules = load_rules(for_target(rules, result.target.target, settings.cog_version))
    sink: list[Diagnostic] = []

    for rule_cls in rules:
        result.stop_if_cancelled()
        _guard(result, rule_cls, lambda r=rule_cls: r(project, None, sink).check())

    visitors = [r for r in rules if r.is_visitor()]
    if visitors:
        _guard(result, None, lambda: _visit_modules(project, visitors, sink, result))
    for rule_cls in rules:
        if rule_cls.overrides("after_traversal"):
            result.stop_if_cancelled()
            _guard(result, rule_cls, lambda r=rule_cls: r(project, None, sink).after_traversal())

    result.stop_if_cancelled()
    result.diagnostics = finalize(sink, settings, project, rules, result.suppressed)
    for d in result.diagnostics:
        d.target = result.target.target
    return result


def _visit_modules(project: Project, visitors, sink, result: LintResult) -> None:
    # libcst.visit_batched's hooks, in its order, without rebuilding every node (pipelint.model.walk)
    from pipelint.model.walk import walk_batched as visit_batched

    for module in project.modules:
        result.stop_if_cancelled()
        if module.tree is None:
            continue
        is_entry = module is project.entry_module
        instances = [cls(project, module, sink) for cls in visitors
                     if (cls.modules == "all" or is_entry) and cls.applies_to(project, module)]
        if not instances:
            continue
        module.resolve({m for r in instances for m in r.metadata_for(project, module)})
        result.stop_if_cancelled()
        try:
            visit_batched(module.tree, instances)
        except RecursionError:
            module.too_deep()
        except Exception:
            result.internal_errors.append(f"{module.rel}: {traceback.format_exc()}")


def _guard(result: LintResult, rule_cls, fn) -> None:
    try:
        fn()
    except RecursionError:
        # A rule's own recursion over a deeply nested tree: say the entry was not fully checked.
        entry = result.project.entry_module if result.project is not None else None
        if entry is not None:
            entry.too_deep()
    except Exception:
        where = rule_cls.code if rule_cls else "visitor rules"
        result.internal_errors.append(f"{where} on {result.root}: {traceback.format_exc()}")


def finalize(diags: list[Diagnostic], settings: Settings, project: Project, rules=None,
             suppressed: list | None = None) -> list[Diagnostic]:
    from pipelint.engine.suppression import suppress

    seen, out = set(), []
    for d in diags:
        if d.code in settings.severity:
            d.severity = Severity(settings.severity[d.code])
        if settings.docs_url:
            d.docs_base = settings.docs_url
        key = (d.code, str(d.path), d.start, d.end, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    # per-file-ignores, `# pipelint: ignore[...]`, then the rules that judge those comments
    out = suppress(out, project, settings, rules, suppressed)
    for d in out:  # the comment rules' own findings link where the others do
        if settings.docs_url:
            d.docs_base = settings.docs_url
    out.sort(key=Diagnostic.sort_key)
    if suppressed:
        suppressed.sort(key=lambda s: s.diagnostic.sort_key())
    return out
