"""A rule's documentation, rendered from the rule itself: its docstring and its VALID/INVALID
examples. One renderer serves ``pipelint rule``, ``pipelint rule --all --output-format json``,
SARIF rule metadata and the generated pages in ``docs/rules/`` (scripts/generate_rule_docs.py).
"""

from __future__ import annotations

import inspect
from pathlib import Path

from pipelint.core import meta

FAMILIES = {
    "PL0": "reading the project",
    "PL1": "cog.yaml",
    "PL2": "packages and imports",
    "PL3": "the entry function and its inputs",
    "PL4": "outputs",
    "PL5": "calling other models",
    "PL6": "the runtime environment and secrets",
    "PL9": "pipelint's own comments",
}
_LANGUAGE = {".py": "python", ".yaml": "yaml", ".yml": "yaml", ".toml": "toml"}


def family(rule) -> str:
    return FAMILIES.get(rule.code[:3], rule.code[:3])


def fix_text(rule) -> str:
    """ruff's wording, plus whether ``--fix`` applies it (safe) or only ``--unsafe-fixes``."""
    if not rule.fix_availability:
        return "Fix is not available."
    applicability = rule.fix_applicability.value if rule.fix_applicability else "safe"
    flag = "`--fix`" if applicability == "safe" else "`--fix --unsafe-fixes`"
    return f"Fix is {rule.fix_availability} available ({applicability}: applied by {flag})."


def url(rule, docs_base: str | None = None) -> str:
    return f"{meta.docs_base(docs_base)}{rule.code}.md"


def page_path(rule) -> Path:
    """The rule's page as shipped (``docs/rules/CODE.md``; generated from the rule)."""
    return meta.docs_dir() / f"{rule.code}.md"


def page(rule) -> str:
    """What ``pipelint rule CODE`` prints: the shipped page, or the same page rendered from the
    rule when the pages are not there (a checkout that deleted docs/)."""
    try:
        return page_path(rule).read_text(encoding="utf-8")
    except OSError:
        return rule_markdown(rule)


def _fence(text: str, language: str) -> str:
    fence = "````" if "```" in text else "```"
    return f"{fence}{language}\n{text if text.endswith(chr(10)) else text + chr(10)}{fence}\n"


def _file_block(name: str, content) -> str:
    if content is None:
        return f"*No `{name}`.*\n"
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8")
            if "\x00" in text:
                raise UnicodeDecodeError("utf-8", content, 0, 1, "NUL")
        except UnicodeDecodeError:
            shown = repr(content[:60]) + ("…" if len(content) > 60 else "")
            return f"`{name}` holds these bytes (not UTF-8 text): `{shown}`\n"
        content = text
    if content == "":
        return f"`{name}` is empty.\n"
    return f"`{name}`:\n\n" + _fence(content, _LANGUAGE.get(Path(name).suffix, "text"))


def _case_files(case) -> dict:
    return {"main.py": case.files} if isinstance(case.files, str) else dict(case.files)


def _case_markdown(rule, case, invalid: bool) -> str:
    parts = []
    if case.note:
        parts.append(f"*{case.note.rstrip('.')}.*\n")
    files = _case_files(case)
    if not files:
        parts.append("The default model (below) unchanged.\n")
    for name, content in files.items():
        parts.append(_file_block(name, content))
    if invalid:
        expected = case.expected()
        if expected:
            where = ", ".join(f"`{f}:{line}:{col}`" for f, line, col in expected)
            parts.append(f"Reported at {where}.\n")
        fixed = case.expected_fixed()
        if fixed:
            unsafe = rule.fix_applicability is not None and rule.fix_applicability.value == "unsafe"
            parts.append(f"After `pipelint --fix{' --unsafe-fixes' if unsafe else ''}`:\n")
            for name, text in fixed.items():
                parts.append(_file_block(name, text))
    return "\n".join(parts)


def examples_markdown(rule, level: int = 2) -> str:
    """The rule's own test examples: every INVALID (reported) and VALID (clean) model."""
    if not rule.INVALID and not rule.VALID:
        return ""
    h = "#" * level
    from pipelint.engine.rule import DEFAULT_COG_YAML, DEFAULT_MAIN, DEFAULT_REQUIREMENTS

    out = [f"{h} Examples from the test suite\n",
           "Each example is a whole model: the files shown replace those of this minimal valid model "
           "(`pipelint`'s test suite checks every example on every run).\n",
           "<details><summary>The minimal model</summary>\n",
           _file_block("cog.yaml", DEFAULT_COG_YAML), _file_block("main.py", DEFAULT_MAIN),
           _file_block("requirements.txt", DEFAULT_REQUIREMENTS), "</details>\n"]
    for title, cases, invalid in (("Reported", rule.INVALID, True), ("Not reported", rule.VALID, False)):
        for i, case in enumerate(cases, 1):
            out.append(f"{h}# {title} ({i})\n")
            out.append(_case_markdown(rule, case, invalid))
    return "\n".join(out)


def body(rule) -> str:
    """The docstring without its first paragraph (the summary), i.e. its ``##`` sections."""
    docs = rule.docs()
    parts = docs.split("\n\n", 1)
    return parts[1].strip() if len(parts) > 1 else ""


def source_path(rule) -> str:
    """The rule's file in the repository: ``rules/pipeline/pl5_model_calls/pl501_….py``."""
    import pipelint.rules

    path = Path(inspect.getsourcefile(rule)).resolve()
    for root in map(Path, pipelint.rules.__path__):
        if path.is_relative_to(root.resolve()):
            return "rules/" + path.relative_to(root.resolve()).as_posix()
    return f"rules/{path.name}"


def rule_markdown(rule) -> str:
    """The page ``docs/rules/CODE.md``: what ``pipelint rule CODE`` prints."""
    enabled = "yes" if rule.default_enabled else "no (enable it with `extend-select`)"
    table = (
        "| | |\n|---|---|\n"
        f"| Code | `{rule.code}` |\n"
        f"| Name | `{rule.name}` |\n"
        f"| Family | {rule.code[:3]}: {family(rule)} |\n"
        f"| Severity | {rule.severity.value} |\n"
        f"| Enabled by default | {enabled} |\n"
        f"| Fix | {fix_text(rule)} |\n"
        f"| Source | [`{source_path(rule)}`](../../{source_path(rule)}) |\n"
    )
    suppress = (f"Suppress it on one line with `# pipelint: ignore[{rule.code}]`, or for a file with "
                f"`# pipelint: file-ignore[{rule.code}]` (the same comments work in cog.yaml and "
                "requirements.txt).\n")
    parts = [f"# {rule.code} {rule.name}\n", f"{rule.summary()}\n", table, body(rule) + "\n"]
    examples = examples_markdown(rule)
    if examples:
        parts.append(examples)
    parts.append("## Suppressing it\n")
    parts.append(suppress)
    return "\n".join(parts).rstrip("\n") + "\n"


def index_markdown(rules) -> str:
    """``docs/rules/README.md``: every rule in one table, by family."""
    lines = ["# pipelint rules\n",
             "Generated by `scripts/generate_rule_docs.py` from the rules themselves (their docstrings "
             "and test examples); do not edit by hand. `pipelint rule CODE` prints the same page.\n",
             "Severity: **error** = the model fails to build, push or load on the pipelines runtime; "
             "**warning** = works but is wrong or fragile; **info** = advice. "
             "Fix: 🛠 safe (`--fix`), ⚠ unsafe (`--fix --unsafe-fixes`).\n"]
    current = None
    for r in rules:
        fam = r.code[:3]
        if fam != current:
            current = fam
            lines.append(f"\n## {fam}: {family(r)}\n")
            lines.append("| code | name | summary | severity | fix |")
            lines.append("|---|---|---|---|---|")
        fix = ""
        if r.fix_availability:
            fix = "⚠" if r.fix_applicability is not None and r.fix_applicability.value == "unsafe" else "🛠"
        severity = r.severity.value + ("" if r.default_enabled else " (off by default)")
        summary = r.summary().replace("|", "\\|")
        lines.append(f"| [{r.code}]({r.code}.md) | `{r.name}` | {summary} | {severity} | {fix} |")
    return "\n".join(lines) + "\n"


def rule_json(rule) -> dict:
    """ruff's keys (``code``, ``name``, ``linter``, ``summary``, ``explanation``, ``fix``) and ours."""
    def case_json(case, invalid):
        data = {"files": {k: (v if not isinstance(v, bytes) else repr(v)) for k, v in _case_files(case).items()}}
        if case.note:
            data["note"] = case.note
        if invalid and case.expected() is not None:
            data["reported_at"] = [{"file": f, "row": line, "column": col} for f, line, col in case.expected()]
        if invalid and case.expected_fixed() is not None:
            data["fixed"] = case.expected_fixed()
        return data

    return {
        "code": rule.code,
        "name": rule.name,
        "linter": family(rule),
        "summary": rule.summary(),
        "explanation": rule.docs(),
        "fix": {None: "Fix is not available", "always": "Fix is always available",
                "sometimes": "Fix is sometimes available"}[rule.fix_availability],
        "fix_applicability": (rule.fix_applicability.value if rule.fix_applicability else "safe")
        if rule.fix_availability else None,
        "severity": rule.severity.value,
        "default_enabled": rule.default_enabled,
        "files": list(rule.files),
        "url": url(rule),
        "examples": {"invalid": [case_json(c, True) for c in rule.INVALID],
                     "valid": [case_json(c, False) for c in rule.VALID]},
    }


def generate(docs_dir: Path) -> dict[Path, str]:
    """Every generated file under ``docs_dir`` and its content."""
    from pipelint.engine.registry import all_rules

    rules = all_rules()
    files = {docs_dir / f"{r.code}.md": rule_markdown(r) for r in rules}
    files[docs_dir / "README.md"] = index_markdown(rules)
    return files
