"""Configuration files: ``[tool.pipelint]`` in pyproject.toml, or ``pipelint.toml`` /
``.pipelint.toml`` with the same keys at the top level, as ruff reads its own.

The file that governs a model folder is the closest one found walking up from the folder
(in each folder ``.pipelint.toml``, then ``pipelint.toml``, then a ``pyproject.toml`` that has
a ``[tool.pipelint]`` table). ``--config FILE`` names one for every model, ``--isolated``
ignores them all. Paths in a file (``runtime-requirements``, ``exclude`` patterns with a
``/``, ``per-file-ignores`` globs) are relative to the folder of that file.

Command-line flags are a layer on top of the file, resolved as ruff does: ``--select``
replaces the file's selection, ``--extend-select`` and ``--ignore`` adjust it.

Every mistake in a file (an unknown key, an unknown rule code, a wrong type, a missing
``runtime-requirements`` file) is a ``ConfigError``: exit code 2, with a "did you mean".
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pipelint.core.records import Record
from pipelint.core.settings import OUTPUT_FORMATS, Settings, SettingsError, check_selectors

CONFIG_NAMES = (".pipelint.toml", "pipelint.toml", "pyproject.toml")
SEVERITIES = ("error", "warning", "info")
LIST_KEYS = ("select", "extend-select", "ignore", "exclude", "extend-exclude")
KNOWN_KEYS = (*LIST_KEYS, "per-file-ignores", "runtime-requirements", "severity", "target", "cog-version",
              "docs-url", "output-format")


class ConfigError(SettingsError):
    """A mistake in a configuration file (exit code 2)."""


class CliOverrides(Record, frozen=True):
    """What the command line says about settings; it wins over any configuration file."""

    select: tuple[str, ...] | None
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    exclude: tuple[str, ...] | None
    extend_exclude: tuple[str, ...]
    config: Path | None  # --config FILE
    runtime_requirements: Path | None  # --runtime-requirements FILE
    docs_url: str | None  # --docs-url URL
    isolated: bool  # --isolated
    target: str | None  # --target
    cog_version: str | None  # --cog-version
    cwd: Path  # CLI exclude patterns are relative to it

    def __init__(
        self,
        select: tuple[str, ...] | None = None,
        extend_select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        exclude: tuple[str, ...] | None = None,
        extend_exclude: tuple[str, ...] = (),
        config: Path | None = None,
        runtime_requirements: Path | None = None,
        docs_url: str | None = None,
        isolated: bool = False,
        target: str | None = None,
        cog_version: str | None = None,
        cwd: Path | None = None,
    ) -> None:
        object.__setattr__(self, "select", select)
        object.__setattr__(self, "extend_select", extend_select)
        object.__setattr__(self, "ignore", ignore)
        object.__setattr__(self, "exclude", exclude)
        object.__setattr__(self, "extend_exclude", extend_exclude)
        object.__setattr__(self, "config", config)
        object.__setattr__(self, "runtime_requirements", runtime_requirements)
        object.__setattr__(self, "docs_url", docs_url)
        object.__setattr__(self, "isolated", isolated)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "cog_version", cog_version)
        object.__setattr__(self, "cwd", Path.cwd() if cwd is None else cwd)


class ConfigFile(Record):
    """One parsed and validated configuration file (the keys it set, nothing more)."""

    path: Path
    values: dict
    stamp: tuple[int, int] | None  # (mtime, size) when read

    def __init__(self, path: Path, values: dict, stamp: tuple[int, int] | None = None) -> None:
        self.path = path
        self.values = values
        self.stamp = stamp

    @property
    def folder(self) -> Path:
        return self.path.parent


# Parsed files keyed by path, with the (mtime, size) they were read at: a long-running
# language server sees edits; the CLI reads each file once.
_parsed: dict[Path, tuple[tuple[int, int], dict | None]] = {}
_loaded: dict[tuple, ConfigFile] = {}
_settings: dict[tuple, Settings] = {}


def _toml_loads(text: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    return tomllib.loads(text)


def _read_toml(path: Path) -> dict | None:
    """The pipelint table of ``path`` (None for a pyproject.toml without one)."""
    try:
        st = path.stat()
        key = (st.st_mtime_ns, st.st_size)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    hit = _parsed.get(path)
    if hit is not None and hit[0] == key:
        return hit[1]
    try:
        text = path.read_bytes().decode("utf-8")
        data = _toml_loads(text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: is not UTF-8 text") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError is a ValueError
        raise ConfigError(f"{path}: is not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("pipelint") if isinstance(tool, dict) else None
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: `tool.pipelint` must be a table")
    else:
        table = data
    _parsed[path] = (key, table)
    return table


def find_config_file(folder: Path) -> Path | None:
    """The configuration file closest to ``folder`` (walking up), or None."""
    folder = folder.resolve()
    for d in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = d / name
            try:
                if not candidate.is_file():
                    continue
            except OSError:
                continue
            if name != "pyproject.toml" or _read_toml(candidate) is not None:
                return candidate
    return None


def is_config_file(path: Path) -> bool:
    """Whether ``path`` is a file pipelint would read settings from."""
    if path.name in (".pipelint.toml", "pipelint.toml"):
        return True
    if path.name != "pyproject.toml":
        return False
    try:
        return _read_toml(path.resolve()) is not None
    except ConfigError:
        return True  # a broken one may be ours: linting will say so


def load_config(path: Path) -> ConfigFile:
    """Parse and validate one configuration file."""
    path = path.resolve()
    table = _read_toml(path)
    stamp = _parsed[path][0]
    hit = _loaded.get((path, stamp))
    if hit is not None:
        return hit
    where = "[tool.pipelint]" if path.name == "pyproject.toml" else "the top level"
    values = dict(table or {})
    for key in values:
        if key not in KNOWN_KEYS:
            raise ConfigError(f"{path}: unknown key `{key}` in {where}{_did_you_mean(key, KNOWN_KEYS, '`')}")
    # Importing every rule costs ~20 ms: only a file that names rule codes pays for checking them.
    names_codes = any(k in values for k in ("select", "extend-select", "ignore", "per-file-ignores", "severity"))
    codes = _all_codes() if names_codes else set()
    for key in LIST_KEYS:
        if key in values:
            values[key] = _string_list(path, key, values[key])
    for key in ("select", "extend-select", "ignore"):
        if key in values:
            values[key] = [_selector(s) for s in values[key]]
            _check_codes(path, key, values[key], codes)
    if "per-file-ignores" in values:
        table = values["per-file-ignores"]
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: `per-file-ignores` must be a table of glob = [codes]")
        pfi = {}
        for glob, selectors in table.items():
            selectors = [_selector(s) for s in _string_list(path, f'per-file-ignores."{glob}"', selectors)]
            _check_codes(path, f'per-file-ignores."{glob}"', selectors, codes)
            pfi[glob] = selectors
        values["per-file-ignores"] = pfi
    if "severity" in values:
        values["severity"] = _severities(path, values["severity"], codes)
    if "runtime-requirements" in values:
        values["runtime-requirements"] = _runtime_requirements(path, values["runtime-requirements"])
    if "target" in values:
        values["target"] = check_target(values["target"], f"{path}: `target`")
    if "cog-version" in values:
        values["cog-version"] = check_cog_version(values["cog-version"], f"{path}: `cog-version`")
    if "docs-url" in values and (not isinstance(values["docs-url"], str) or not values["docs-url"].strip()):
        raise ConfigError(f"{path}: `docs-url` must be a URL, the base of each rule's page "
                          "(e.g. \"https://example.org/pipelint/rules/\")")
    if "output-format" in values:
        fmt = values["output-format"]
        if not isinstance(fmt, str) or fmt not in OUTPUT_FORMATS:
            shown = fmt if isinstance(fmt, str) else repr(fmt)
            hint = _did_you_mean(shown, OUTPUT_FORMATS, '"') if isinstance(fmt, str) else ""
            raise ConfigError(f"{path}: `output-format` must be one of "
                              f"{', '.join(repr(f) for f in OUTPUT_FORMATS)}, not {shown!r}{hint}")
    config = _loaded[(path, stamp)] = ConfigFile(path, values, stamp)
    return config


def settings_for_model(folder: Path, cli_overrides: CliOverrides | None = None) -> Settings:
    """The settings that apply to one model folder: its configuration file, then the CLI.

    The result is shared by every model governed by the same file (treat it as read-only).
    """
    o = cli_overrides or CliOverrides()
    if o.isolated:
        config = None
    elif o.config is not None:
        config = load_config(o.config)
    else:
        path = find_config_file(Path(folder))
        config = load_config(path) if path is not None else None
    key = (config.path if config else None, config.stamp if config else None, o)
    hit = _settings.get(key)
    if hit is None:
        hit = _settings[key] = _build(config, o)
    return hit


def _build(config: ConfigFile | None, o: CliOverrides) -> Settings:
    v = config.values if config is not None else {}
    base = config.folder if config is not None else None
    settings = Settings(
        select=v.get("select"),
        extend_select=v.get("extend-select", []) + list(o.extend_select),
        ignore=v.get("ignore", []) + list(o.ignore),
        per_file_ignores=dict(v.get("per-file-ignores", {})),
        severity=dict(v.get("severity", {})),
        exclude=[_anchor(p, o.cwd) for p in o.exclude] if o.exclude is not None
        else [_anchor(p, base) for p in v.get("exclude", [])],
        extend_exclude=[_anchor(p, base) for p in v.get("extend-exclude", [])]
        + [_anchor(p, o.cwd) for p in o.extend_exclude],
        runtime_requirements=o.runtime_requirements or v.get("runtime-requirements"),
        docs_url=o.docs_url or (v["docs-url"].strip() if "docs-url" in v else None),
        output_format=v.get("output-format"),
        config_file=config.path if config is not None else None,
        target=o.target or v.get("target", "auto"),
        cog_version=o.cog_version or v.get("cog-version"),
    )
    if o.select is not None:
        settings.select, settings.extend_select, settings.ignore = list(o.select), list(o.extend_select), list(o.ignore)
    elif config is not None and (o.extend_select or o.ignore):
        # The file's selection is the base that --extend-select / --ignore then adjust: a CLI
        # --ignore PL1 turns off a PL114 the file selected, which one merged list could not say.
        from pipelint.engine.registry import rule_index

        file_layer = Settings(select=v.get("select"), extend_select=v.get("extend-select", []),
                              ignore=v.get("ignore", []))
        settings.base_codes = tuple(sorted(file_layer.enabled_codes(rule_index())))
        settings.select, settings.extend_select, settings.ignore = None, list(o.extend_select), list(o.ignore)
    return settings


def check_target(value, where: str) -> str:
    from pipelint.analysis.target import CHOICES

    if value not in CHOICES:
        raise ConfigError(f"{where} must be one of {', '.join(map(repr, CHOICES))}, not {value!r}"
                          f"{_did_you_mean(str(value), CHOICES, chr(39))}")
    return value


def check_cog_version(value, where: str) -> str:
    """A cog release pipelint has data for, written MAJOR.MINOR (a patch is accepted and kept)."""
    from pipelint.model.cog_data import known_cog_versions

    text = str(value).strip()
    known = known_cog_versions()
    if ".".join(text.split(".")[:2]) not in known:
        raise ConfigError(f"{where}: pipelint knows cog {', '.join(known)}, not {value!r} "
                          f"(a newer cog may need a newer pipelint)")
    return text


def clear_cache() -> None:
    _parsed.clear()
    _loaded.clear()
    _settings.clear()


# ---- validation helpers ------------------------------------------------------------------
def _all_codes() -> set[str]:
    from pipelint.engine.registry import rule_index

    return {r.code for r in rule_index()}


def _did_you_mean(word: str, choices, quote: str = "") -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {quote}{close[0]}{quote}?)" if close else ""


def _string_list(path: Path, key: str, value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ConfigError(f"{path}: `{key}` must be a list of strings, e.g. [\"CODE\"]")
    return list(value)


def _selector(s: str) -> str:
    from pipelint.engine.registry import resolve_selector

    return resolve_selector(s)


def _check_codes(path: Path, key: str, selectors: list[str], codes: set[str]) -> None:
    try:
        check_selectors(selectors, codes)
    except SettingsError as exc:
        raise ConfigError(f"{path}: `{key}`: {exc}") from None


def _severities(path: Path, table, codes: set[str]) -> dict[str, str]:
    """``{selector: level}`` expanded to ``{code: level}``; a more specific selector wins."""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: `severity` must be a table such as `CODE = \"error\"`")
    chosen: dict[str, tuple[int, str]] = {}
    for raw, level in table.items():
        sel = _selector(raw)
        _check_codes(path, "severity", [sel], codes)
        if not isinstance(level, str) or level.lower() not in SEVERITIES:
            shown = level if isinstance(level, str) else repr(level)
            hint = _did_you_mean(shown.lower(), SEVERITIES, '"') if isinstance(level, str) else ""
            raise ConfigError(f"{path}: `severity.{raw}` must be one of \"error\", \"warning\", \"info\", "
                              f"not {shown!r}{hint}")
        spec = 0 if sel == "ALL" else len(sel)
        for code in codes:
            if (sel == "ALL" or code.startswith(sel)) and spec >= chosen.get(code, (-1, ""))[0]:
                chosen[code] = (spec, level.lower())
    return {code: level for code, (_, level) in sorted(chosen.items())}


def _runtime_requirements(path: Path, value) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: `runtime-requirements` must be a path to a requirements file")
    from pipelint.core.paths import resolve_path

    target = resolve_path(path.parent / value)  # a looping link or a NUL byte must not raise
    try:
        is_file = target.is_file()
    except (OSError, ValueError):
        is_file = False
    if not is_file:
        raise ConfigError(f"{path}: `runtime-requirements`: no such file: {target}")
    from pipelint.model.runtime import RuntimeDataError, load

    try:
        load(target)  # read once here, so that a bad list is one clear error, not one per rule
    except RuntimeDataError as exc:
        raise ConfigError(f"{path}: `runtime-requirements`: {exc}") from None
    return target


def _anchor(pattern: str, base: Path | None) -> str:
    """A pattern with a ``/`` is relative to ``base``; a bare name matches at any depth (as ruff)."""
    if base is None or "/" not in pattern.rstrip("/") or os.path.isabs(pattern):
        return pattern.rstrip("/")
    return (base / pattern.rstrip("/")).as_posix()
