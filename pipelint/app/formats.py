"""Output for CI: GitHub workflow annotations, SARIF 2.1.0, JUnit XML, and ``--statistics``.

Each renderer takes the run's diagnostics and returns the whole text to write. Paths are shown
relative to the current directory (the workspace root in CI), as the terminal formats do.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from pipelint.app.report import display_path
from pipelint.core import meta
from pipelint.core.diagnostics import Diagnostic, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


# ---- GitHub Actions ------------------------------------------------------------------------
def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(diags: list[Diagnostic]) -> str:
    """Workflow commands: each diagnostic becomes an annotation on the file in the PR view."""
    out = []
    for d in diags:
        props = ",".join([
            f"file={_gh_property(display_path(d.path))}",
            f"line={d.start.line}", f"col={d.start.column}",
            f"endLine={d.end.line}", f"endColumn={d.end.column}",
            f"title={_gh_property(d.code)}",
        ])
        body = d.message + (f"\nhelp: {d.help}" if d.help else "") + f"\ndocs: {d.url}"
        out.append(f"::{_GITHUB_LEVEL[d.severity]} {props}::{_gh_data(body)}\n")
    return "".join(out)


# ---- SARIF ---------------------------------------------------------------------------------
def _artifact_location(path: Path, root: Path) -> dict:
    from urllib.parse import quote

    try:
        rel = Path(os.path.relpath(path, root))
    except ValueError:
        rel = None
    if rel is None or rel.parts[:1] == ("..",) or rel.is_absolute():
        return {"uri": path.resolve().as_uri()}
    return {"uri": quote(os.fsencode(rel.as_posix())), "uriBaseId": SRCROOT}


def _region(start, end) -> dict:
    return {"startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column}


def sarif_rule(rule, docs_base: str | None = None) -> dict:
    from pipelint.app.ruledocs import fix_text

    docs = rule.docs()
    what = rule.doc_section("What it does") or rule.summary()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": what},
        "help": {"text": docs, "markdown": docs},
        "helpUri": f"{meta.docs_base(docs_base)}{rule.code}.md",
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity], "enabled": rule.default_enabled},
        "properties": {"fix": fix_text(rule), "tags": [rule.code[:3]]},
    }


def render_sarif(diags: list[Diagnostic], rules_ran: set[str] | None = None, internal: list[str] = (),
                 root: Path | None = None, suppressed=(), docs_base: str | None = None) -> str:
    """SARIF 2.1.0: one run, the rules that ran (and any code reported), results with fixes.

    ``suppressed`` (``engine.suppression.Suppressed``: a diagnostic that a comment or a
    ``per-file-ignores`` entry silenced) become results with ``suppressions``, as SARIF asks, so
    that a code-scanning service shows them as dismissed rather than not at all.
    """
    from pipelint.engine.registry import load_rules, rule_index

    root = (root or Path.cwd()).resolve()
    wanted = set(rules_ran or ()) | {d.code for d in diags} | {s.diagnostic.code for s in suppressed}
    rules = load_rules([r for r in rule_index() if r.code in wanted])
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    entries = [(d, None) for d in diags] + [(s.diagnostic, s) for s in suppressed]
    for d, silenced in entries:
        result = {
            "ruleId": d.code,
            "level": _SARIF_LEVEL[d.severity],
            "message": {"text": d.message + (f" (help: {d.help})" if d.help else "")},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact_location(d.path, root),
                                                "region": _region(d.start, d.end)}}],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.target:
            result["properties"] = {"target": d.target}  # the kind of model folder it was judged as
        if d.fix is not None:
            by_file: dict[Path, list] = {}
            for e in d.fix.edits:
                by_file.setdefault(e.path, []).append(
                    {"deletedRegion": _region(e.start, e.end), "insertedContent": {"text": e.content}})
            result["fixes"] = [{
                "description": {"text": d.fix.message},
                "artifactChanges": [{"artifactLocation": _artifact_location(p, root), "replacements": reps}
                                    for p, reps in by_file.items()],
                "properties": {"applicability": d.fix.applicability.value},
            }]
        if silenced is not None:
            result["suppressions"] = [{"kind": silenced.kind, "justification": silenced.justification}]
        results.append(result)
    invocation = {"executionSuccessful": not internal}
    if internal:
        invocation["toolExecutionNotifications"] = [{"level": "error", "message": {"text": e}} for e in internal]
    version = meta.version()
    driver = {"name": "pipelint", "version": version, "semanticVersion": version,
              "rules": [sarif_rule(r, docs_base) for r in rules]}
    if meta.repository_url():
        driver["informationUri"] = meta.repository_url()
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "invocations": [invocation],
            "results": results,
        }],
    }
    return json.dumps(doc, indent=2) + "\n"


# ---- JUnit ---------------------------------------------------------------------------------
def render_junit(diags: list[Diagnostic], internal: list[str] = ()) -> str:
    """One test suite per file, one failing test case per error or warning (info passes)."""
    import xml.etree.ElementTree as ET

    suites = ET.Element("testsuites", name="pipelint")
    by_file: dict[str, list[Diagnostic]] = {}
    for d in diags:
        by_file.setdefault(display_path(d.path), []).append(d)
    total = failures = 0
    for path, items in by_file.items():
        failed = [d for d in items if d.severity != Severity.INFO]
        suite = ET.SubElement(suites, "testsuite", name=path, tests=str(len(items)),
                              failures=str(len(failed)), errors="0")
        for d in items:
            case = ET.SubElement(suite, "testcase", name=f"pipelint.{d.code}", classname=path,
                                 file=path, line=str(d.start.line))
            text = f"line {d.start.line}, col {d.start.column}, {d.message}" + (f"\nhelp: {d.help}" if d.help else "")
            if d.severity == Severity.INFO:
                ET.SubElement(case, "system-out").text = text
            else:
                failure = ET.SubElement(case, "failure", message=d.message, type=d.code)
                failure.text = text
        total += len(items)
        failures += len(failed)
    if internal:
        suite = ET.SubElement(suites, "testsuite", name="pipelint", tests=str(len(internal)),
                              failures="0", errors=str(len(internal)))
        for e in internal:
            case = ET.SubElement(suite, "testcase", name="internal error", classname="pipelint")
            ET.SubElement(case, "error", message="internal error").text = e
        total += len(internal)
    if total == 0:
        suite = ET.SubElement(suites, "testsuite", name="pipelint", tests="1", failures="0", errors="0")
        ET.SubElement(suite, "testcase", name="No errors found", classname="pipelint")
        total = 1
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    suites.set("errors", str(len(internal)))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


# ---- --statistics --------------------------------------------------------------------------
def statistics(diags: list[Diagnostic], unsafe_fixes: bool = False) -> list[dict]:
    """Count per rule, most frequent first (ruff's ``--statistics``), grouped by the kind of
    model folder (pipeline / cog) the findings were made in."""
    by_target = Counter(d.target for d in diags)
    if len(by_target) > 1:
        return [row for target in sorted(by_target)
                for row in statistics([d for d in diags if d.target == target], unsafe_fixes)]
    counts = Counter(d.code for d in diags)
    names = {d.code: d.name for d in diags}
    fixable = {d.code for d in diags if d.fix is not None and (unsafe_fixes or d.fix.applicability.value == "safe")}
    order = sorted(counts, key=lambda c: (-counts[c], c))
    target = next(iter(by_target), "")
    return [{"code": c, "name": names[c], "count": counts[c], "fixable": c in fixable, "target": target}
            for c in order]


def render_statistics(stats: list[dict]) -> str:
    if not stats:
        return ""
    count_width = len(str(max(s["count"] for s in stats)))
    code_width = max(len(s["code"]) for s in stats)
    any_fixable = any(s["fixable"] for s in stats)
    lines = []
    targets = [s.get("target") for s in stats]
    grouped = len(set(targets)) > 1
    for i, s in enumerate(stats):
        if grouped and (i == 0 or targets[i - 1] != s.get("target")):
            lines.append(f"{s.get('target') or 'unknown'}:\n")
        mark = ("[*] " if s["fixable"] else "[ ] ") if any_fixable else ""
        lines.append(f"{s['count']:>{count_width}}\t{s['code']:<{code_width}}\t{mark}{s['name']}\n")
    return "".join(lines)
