"""``pipelint --show-settings PATH``: the settings that apply to PATH, and where they come from
(ruff's ``--show-settings``). Printed as TOML-like ``key = value`` lines, flags already applied."""

from __future__ import annotations

import json
import sys
from pathlib import Path

EXIT_CLEAN = 0


def _value(v) -> str:
    if isinstance(v, Path):
        v = str(v)
    return json.dumps(v, ensure_ascii=False) if not isinstance(v, (list, dict)) or v else json.dumps(v)


def show_settings(args, path: Path, settings_for) -> int:
    from pipelint.app.cache import cache_dir
    from pipelint.app.discovery import enclosing_model
    from pipelint.core import meta
    from pipelint.engine.registry import rule_index

    target = Path(path).resolve() if Path(path).exists() else Path(path)
    model = enclosing_model(target) if target.exists() else None
    s = settings_for(model or target)
    rules = rule_index()
    enabled = sorted(s.enabled_codes(rules))
    lines = [
        f"# Resolved settings for: {path}",
        f"# Model folder: {model if model is not None else 'none (no cog.yaml at or above it)'}",
        f"# Settings file: {s.config_file or 'none (defaults and flags only)'}",
        f"# pipelint {meta.version()} ({'checkout ' + str(meta.CHECKOUT) if meta.from_checkout() else 'installed'})",
        f"config-file = {_value(s.config_file) if s.config_file else 'none'}",
        f"select = {_value(s.select) if s.select is not None else 'default'}",
        f"extend-select = {_value(s.extend_select)}",
        f"ignore = {_value(s.ignore)}",
        f"enabled-rules = {_value(enabled)}  # {len(enabled)} of {len(rules)}",
        f"per-file-ignores = {_value(s.per_file_ignores)}",
        f"severity = {_value(s.severity)}",
        f"exclude = {_value(s.exclude)}",
        f"extend-exclude = {_value(s.extend_exclude)}",
        f"runtime-requirements = {_value(s.runtime_requirements) if s.runtime_requirements else 'shipped'}",
        f"docs-url = {_value(meta.docs_base(s.docs_url))}{'' if s.docs_url else '  # default'}",
        f"output-format = {_value(args.output_format or 'full')}",
        f"cache-dir = {_value(str(cache_dir(args.cache_dir, s))) if not args.no_cache else 'none (--no-cache)'}",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_CLEAN
