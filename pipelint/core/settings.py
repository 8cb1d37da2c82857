"""Effective settings of a run: which rules, at which severity, with which runtime data.

Built from CLI flags and (see ``pipelint.engine.config``) ``[tool.pipelint]`` tables. Kept free of
heavy imports: the CLI builds it before deciding whether libcst is needed at all.
"""

from __future__ import annotations

from pathlib import Path

from pipelint.core.records import Record

OUTPUT_FORMATS = ("full", "concise", "json", "github", "sarif", "junit")


class SettingsError(Exception):
    """A usage error in flags or configuration (exit code 2)."""


class Settings(Record):
    select: list[str] | None  # None: the rules enabled by default
    extend_select: list[str]
    ignore: list[str]
    per_file_ignores: dict[str, list[str]]
    severity: dict[str, str]  # code → error|warning|info
    exclude: list[str]
    extend_exclude: list[str]
    runtime_requirements: Path | None
    target: str  # "auto" | "pipeline" | "cog": which rule set (see pipelint.analysis.target)
    cog_version: str | None  # the cog that builds the model (None: the newest pipelint knows)
    docs_url: str | None  # the base of every diagnostic's link (None: pipelint.core.meta's default)
    output_format: str | None  # the configuration's `output-format` (the CLI flag wins)
    config_file: Path | None  # where these settings came from, if a file
    # With ``select`` None: the codes a configuration file enabled, which the CLI's
    # extend_select / ignore then adjust (None: the rules' defaults). See pipelint.engine.config.
    base_codes: tuple[str, ...] | None  # sorted: part of the result cache's key

    def __init__(
        self,
        select: list[str] | None = None,
        extend_select: list[str] | None = None,
        ignore: list[str] | None = None,
        per_file_ignores: dict[str, list[str]] | None = None,
        severity: dict[str, str] | None = None,
        exclude: list[str] | None = None,
        extend_exclude: list[str] | None = None,
        runtime_requirements: Path | None = None,
        target: str = "auto",
        cog_version: str | None = None,
        docs_url: str | None = None,
        output_format: str | None = None,
        config_file: Path | None = None,
        base_codes: tuple[str, ...] | None = None,
    ) -> None:
        self.select = select
        self.extend_select = [] if extend_select is None else extend_select
        self.ignore = [] if ignore is None else ignore
        self.per_file_ignores = {} if per_file_ignores is None else per_file_ignores
        self.severity = {} if severity is None else severity
        self.exclude = [] if exclude is None else exclude
        self.extend_exclude = [] if extend_exclude is None else extend_exclude
        self.runtime_requirements = runtime_requirements
        self.target = target
        self.cog_version = cog_version
        self.docs_url = docs_url
        self.output_format = output_format
        self.config_file = config_file
        self.base_codes = base_codes

    def enabled_codes(self, all_rules) -> set[str]:
        """Codes enabled: ``select`` (or the defaults) plus ``extend_select``, minus ``ignore``.

        A selector is a code, a prefix (``PL5``, ``PL50``) or ``ALL``; a more specific selector
        wins over a less specific one, as ruff resolves them.
        """
        codes = [r.code for r in all_rules]
        chosen: dict[str, tuple[int, bool]] = {}
        if self.select is None:
            for r in all_rules:
                on = r.default_enabled if self.base_codes is None else r.code in self.base_codes
                chosen[r.code] = (-1, on)
        base = self.select or []
        for sel, on in [(s, True) for s in base + self.extend_select] + [(s, False) for s in self.ignore]:
            spec = 0 if sel == "ALL" else len(sel)
            for code in codes:
                if sel == "ALL" or code.startswith(sel):
                    prev = chosen.get(code)
                    if prev is None or spec >= prev[0]:
                        chosen[code] = (spec, on)
        return {c for c, (_, on) in chosen.items() if on}


def check_selectors(selectors, all_codes) -> None:
    import difflib

    for sel in selectors:
        if sel == "ALL" or any(c.startswith(sel) for c in all_codes):
            continue
        # Letters typed for digits (PL1O6, PL10l) are the usual slip; difflib cannot rank them.
        digits = sel[:2] + sel[2:].translate(str.maketrans("OoIiLl", "001111"))
        if digits != sel and any(c.startswith(digits) for c in all_codes):
            close = [digits]
        else:
            close = difflib.get_close_matches(sel, sorted(all_codes), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise SettingsError(f"unknown rule selector {sel!r}{hint}")
