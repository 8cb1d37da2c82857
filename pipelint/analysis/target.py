"""Which rule set a model folder is judged by: a Replicate pipeline, or an ordinary cog model.

``auto`` decides per folder, from the code alone: a **pipeline** calls other models through
``replicate.use()`` (any spelling: ``import replicate as r; r.use``, ``from replicate import use``,
an alias, a re-export) or ``cog.use``, or imports the legacy ``cog.ext.pipelines``; everything
else is an ordinary **cog** model. The entry module and the local modules it imports are read.
The decision carries its reason, so a user can see why and how to change it.
"""

from __future__ import annotations

import re

from pipelint.core.records import Record

PIPELINE = "pipeline"
COG = "cog"
TARGETS = (PIPELINE, COG)
CHOICES = ("auto", *TARGETS)
DESCRIPTION = {PIPELINE: "a Replicate pipeline", COG: "an ordinary cog model"}
_LEGACY = ("cog.ext.pipelines",)
ENTRY_KEYS = ("predict", "run", "train")  # the cog.yaml keys that name a model's code
# For a module that does not parse: the words a use() call cannot do without.
_USE_TEXT = re.compile(r"\b(?:replicate\s*\.\s*use|use)\s*\(|cog\.ext\.pipelines")


class TargetDecision(Record, frozen=True):
    target: str  # "pipeline" | "cog"
    reason: str  # why, in words: "`replicate.use()` is called in main.py"
    automatic: bool  # decided by `auto` (False: set by configuration or --target)

    def __init__(self, target: str, reason: str, automatic: bool) -> None:
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "automatic", automatic)

    def describe(self) -> str:
        how = "" if self.automatic else " (as configured)"
        return f"linted as {DESCRIPTION[self.target]}{how}: {self.reason}"

    def as_json(self) -> dict:
        return {"target": self.target, "reason": self.reason, "automatic": self.automatic}


def decide(project, requested: str = "auto") -> TargetDecision:
    if requested in TARGETS:
        return TargetDecision(requested, f"target = {requested!r} is set", automatic=False)
    seen: set = set()
    for key in ENTRY_KEYS:
        ref = project.ref(key)
        if ref is None or ref.path is None:
            continue
        for module in project.modules_from(project.module(ref.path)):
            if module.source.path in seen:
                continue
            seen.add(module.source.path)
            found = _pipeline_evidence(module, project)
            if found:
                return TargetDecision(PIPELINE, found, automatic=True)
    return TargetDecision(COG, "no `replicate.use()` call found", automatic=True)


def _pipeline_evidence(module, project=None) -> str | None:
    from pipelint.analysis.calls import facts
    from pipelint.model.imports import import_refs

    if module.tree is None:
        text = module.source.text or ""
        m = _USE_TEXT.search(text)
        if m is None:
            return None
        line = text.count("\n", 0, m.start()) + 1
        return f"`{m.group(0).rstrip('(').strip()}` is written in {module.rel}:{line}, which does not parse"
    model_facts = facts(module, project)
    if model_facts.uses:
        use = model_facts.uses[0]
        # The module, not the line: a position would cost libcst's position metadata on every lint.
        return f"`{use.spelling}()` is called in {module.rel}"
    if model_facts.cog_use_imports:
        return f"`use` is imported from cog in {module.rel}"
    text = module.source.text or ""
    if "pipelines" in text:
        for ref in import_refs(module.tree):
            if any(ref.module == m or ref.module.startswith(m + ".") for m in _LEGACY):
                return f"the legacy `{ref.module}` is imported in {module.rel}"
    return None
