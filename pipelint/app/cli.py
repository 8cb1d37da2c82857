"""Command line: ``pipelint [check] [PATH ...]`` lints model folders; ``pipelint rule CODE``
explains a rule; ``pipelint lsp`` serves editors; ``pipelint clean`` removes the result cache.

Kept import-light: ``--version`` and ``--help`` load nothing beyond argparse, and libcst is
imported only when a Python file is actually parsed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipelint.core.settings import OUTPUT_FORMATS

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# Set by a plain lint whose every model was linted (or served) without an internal error: the
# warm path (app/fastpath.py) may then record this run's output for replay.
REPLAY_STATE: dict = {}
SUBCOMMANDS = ("check", "rule", "clean", "lsp")
NO_MODEL_WARNING = "warning: No model folder found under the given path(s) (a model folder has a cog.yaml)"

USAGE = """pipelint [check] [PATH ...] [options]
       pipelint rule CODE|NAME|PREFIX|--all
       pipelint lsp
       pipelint clean [PATH ...]"""
DESCRIPTION = """Lint Replicate pipeline models (cog.yaml, main.py, requirements.txt) statically.

commands:
  check       lint model folders (the default: `pipelint PATH` is `pipelint check PATH`)
  rule        explain a rule (`pipelint rule CODE`, or its name), list a family
              (`pipelint rule PL5`) or every rule (`pipelint rule --all`)
  lsp         run the language server over stdio (needs the `lsp` extra)
  clean       remove the result cache (.pipelint_cache)"""


def _pattern_list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, minus its ``import shutil`` (which loads bz2, lzma, …: ~4 ms of
    every run, asking for help or not) just to learn the terminal's width."""

    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
        if width is None:
            try:
                columns = int(os.environ.get("COLUMNS", "0")) or os.get_terminal_size(sys.__stdout__.fileno()).columns
            except (AttributeError, ValueError, OSError):
                columns = 80
            width = columns - 2  # as argparse does
        super().__init__(prog, indent_increment, max_help_position, width)


def _selector_list(value: str) -> list[str]:
    """Codes, prefixes, ``ALL`` or rule names, as typed: resolved against the rules later
    (``resolve_selectors``), so that parsing the flags imports no rule."""
    return [v.strip() for v in value.split(",") if v.strip()]


def resolve_selectors(selectors: list[str]) -> list[str]:
    """Rule names (``gpu-enabled``) become their codes; codes and prefixes are upper-cased."""
    if not selectors:
        return []
    from pipelint.engine.registry import resolve_selector

    return [resolve_selector(s) for s in selectors]


class _VersionAction(argparse.Action):
    """``--version`` / ``-V``: the version is read (from pyproject or the metadata) only when asked."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from pipelint.core.meta import version

        print(f"pipelint {version()}")
        parser.exit()


def build_check_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pipelint",
        usage=USAGE,
        formatter_class=_HelpFormatter,
        description=DESCRIPTION,
        epilog="Run `pipelint COMMAND --help` for a command's options (those above are `check`'s).",
    )
    p.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                   help="model folders, files inside them, or folders containing models (default: .); "
                        "`-` reads one file from standard input (with --stdin-filename)")
    p.add_argument("--output-format", choices=OUTPUT_FORMATS, default=None,
                   help="how to print diagnostics (default: the `output-format` setting, else full; "
                        "for CI: github, sarif, junit)")
    p.add_argument("--output-file", "-o", metavar="FILE", default=None,
                   help="write the output to FILE instead of standard output")
    p.add_argument("--statistics", action="store_true",
                   help="print how many diagnostics each rule reported instead of the diagnostics")
    p.add_argument("--select", type=_selector_list, default=None, metavar="RULES",
                   help="comma-separated codes, prefixes or rule names to enable (replaces the defaults), "
                        "e.g. a family prefix, a code and a name (see `pipelint rule --all`)")
    p.add_argument("--extend-select", type=_selector_list, default=[], metavar="RULES",
                   help="codes, prefixes or names to enable on top of the selection")
    p.add_argument("--ignore", type=_selector_list, default=[], metavar="RULES",
                   help="codes, prefixes or names to disable")
    p.add_argument("--config", metavar="FILE", default=None,
                   help="use this pyproject.toml / pipelint.toml for every model (default: the closest one "
                        "above each model folder)")
    p.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    p.add_argument("--exclude", type=_pattern_list, default=None, metavar="PATTERNS",
                   help="comma-separated globs of folders not to lint (replaces the configured exclude)")
    p.add_argument("--extend-exclude", type=_pattern_list, default=[], metavar="PATTERNS",
                   help="globs of folders not to lint, on top of the configured ones")
    p.add_argument("--runtime-requirements", metavar="FILE", default=None,
                   help="the pipelines runtime's package list to lint against (default: the list pipelint ships; "
                        "the live one is https://pipelines-runtime.replicate.delivery/requirements.txt)")
    p.add_argument("--target", choices=("auto", "pipeline", "cog"), default=None,
                   help="judge every model folder as a Replicate pipeline or an ordinary cog model "
                        "(default: auto, decided per folder: a pipeline calls replicate.use())")
    p.add_argument("--cog-version", metavar="VERSION", default=None,
                   help="the cog release that builds the models, e.g. 0.17 (default: the newest pipelint knows)")
    p.add_argument("--docs-url", metavar="URL", default=None,
                   help="the base of each diagnostic's link, URL + CODE.md (also: the `docs-url` setting; default: "
                        "the rule pages shipped with pipelint)")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when diagnostics are found")
    p.add_argument("--exit-non-zero-on-fix", action="store_true",
                   help="exit 1 when --fix changed or created a file, even if no diagnostic remains (pre-commit)")
    p.add_argument("--fix", action="store_true", help="apply safe fixes, then report what remains")
    p.add_argument("--fix-only", action="store_true",
                   help="apply safe fixes and report only what was fixed, not what remains (implies --fix)")
    p.add_argument("--unsafe-fixes", action="store_true",
                   help="also apply fixes that may change behaviour or the model's API (with --fix or --diff)")
    p.add_argument("--diff", action="store_true",
                   help="print the fixes as unified diffs and write nothing (exit 1 when there is a diff)")
    p.add_argument("--show-fixes", action="store_true", help="list the fixes that were applied")
    p.add_argument("--no-color", action="store_true", help="no colours (also: the NO_COLOR environment variable)")
    p.add_argument("-q", "--quiet", action="store_true", help="print diagnostics only, no summary")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    p.add_argument("--cache-dir", metavar="DIR", default=None,
                   help="where the result cache lives (also: PIPELINT_CACHE_DIR; default: .pipelint_cache "
                        "next to the config file, else in the linted folder)")
    p.add_argument("--stdin-filename", metavar="PATH", default=None,
                   help="lint standard input as the file PATH of its model folder (with `-` as the input); "
                        "with --fix, print the fixed text")
    p.add_argument("--watch", action="store_true",
                   help="lint again whenever a file changes (needs the `watch` extra: watchfiles)")
    p.add_argument("--add-noqa", action="store_true",
                   help="add a `# pipelint: ignore[CODE]` comment for every current diagnostic")
    p.add_argument("--show-settings", action="store_true",
                   help="print the settings that apply to the first PATH, and where they come from")
    p.add_argument("-V", "--version", action=_VersionAction, help="print pipelint's version")
    return p


def build_rule_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pipelint rule", description="Explain a rule, list a family, or list them all.",
                                formatter_class=_HelpFormatter)
    p.add_argument("code", nargs="?",
                   help="a rule code or name (its page), or a prefix such as PL5 (the family's rules)")
    p.add_argument("--all", action="store_true", help="every rule")
    p.add_argument("--output-format", choices=("text", "json"), default="text")
    return p


def main(argv: list[str] | None = None) -> int:
    as_program = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if as_program and not (argv and argv[0] == "lsp") and "--watch" not in argv:
        # A lint allocates millions of small objects (libcst nodes, metadata) and frees almost
        # none of them until exit: the cyclic collector's passes over them are pure overhead
        # (~10-25% of a cold run). Only for a one-shot program run: in-process callers, the
        # language server and --watch (long-lived) keep their GC.
        import gc

        gc.disable()
    _tolerant_streams()
    _quiet_about_user_code()
    try:
        if argv and argv[0] == "rule":
            return cmd_rule(build_rule_parser().parse_args(argv[1:]))
        if argv and argv[0] == "clean":
            return cmd_clean(argv[1:])
        if argv and argv[0] == "lsp":
            return cmd_lsp(argv[1:])
        if argv and argv[0] == "check":
            argv = argv[1:]
        return cmd_check(build_check_parser().parse_args(argv))
    except KeyboardInterrupt:
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
    finally:
        if as_program:
            # The process exits next: skip the collector's final pass over everything it
            # allocated (~5 ms, a tenth of a cached run). Not for in-process callers (tests).
            import gc

            gc.freeze()


def _tolerant_streams() -> None:
    """Print what cannot be encoded as escapes instead of crashing: a message may quote a lone
    surrogate from a cog.yaml escape (`"\\ud800"`) or a file name that is not valid UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            pass  # replaced by a test harness or an embedding application: leave it as it is


def _quiet_about_user_code() -> None:
    """Parsing and evaluating the user's literals makes Python warn about *their* code (`"\\d"`,
    `x is 1`); that belongs to their linter, not in pipelint's output."""
    import warnings

    warnings.filterwarnings("ignore", category=SyntaxWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning, message="invalid escape sequence")


def cmd_lsp(argv: list[str]) -> int:
    try:
        from pipelint.app import lsp
    except ImportError as exc:
        if exc.name and exc.name.split(".")[0] in ("pygls", "lsprotocol"):
            from pipelint.core.meta import install_command

            print("pipelint: error: `pipelint lsp` needs pygls and lsprotocol (the `lsp` extra); "
                  f"install them with:\n    {install_command('lsp')}", file=sys.stderr)
            return EXIT_ERROR
        raise
    return lsp.main(argv)


def _console(no_color: bool, file=None):
    from rich.console import Console

    no_color = no_color or bool(os.environ.get("NO_COLOR"))
    return Console(file=file or sys.stdout, no_color=no_color, highlight=False, emoji=False,
                   force_terminal=None if not no_color else False, width=None if (file or sys.stdout).isatty() else 200)


def cmd_check(args) -> int:
    if args.watch:
        from pipelint.app.watch import watch

        return watch(args, _check_once)
    return _check_once(args)


def _check_once(args) -> int:
    from pipelint.core.settings import SettingsError, check_selectors

    err = sys.stderr
    if args.fix_only:
        args.fix = True
    stdin = args.stdin_filename is not None or args.paths == ["-"]
    try:
        args.select = resolve_selectors(args.select) if args.select is not None else None
        args.extend_select = resolve_selectors(args.extend_select)
        args.ignore = resolve_selectors(args.ignore)
        selectors = (args.select or []) + args.extend_select + args.ignore
        if selectors:  # the codes come from the rule index: no rule is imported for this
            from pipelint.engine.registry import rule_index

            check_selectors(selectors, {r.code for r in rule_index()})
        if stdin:
            _check_stdin_args(args)
        settings_for = _settings_resolver(args)
        first = Path(args.stdin_filename) if stdin else Path(args.paths[0]) if args.paths else Path.cwd()
        # The run's own settings (output format, where the result cache lives): those of the first PATH.
        settings = settings_for(first)
        args.output_format = args.output_format or settings.output_format
        if args.statistics and (args.output_format or "full") not in ("full", "concise", "json"):
            print(f"pipelint: error: --statistics works with the full, concise or json output format, "
                  f"not {args.output_format}", file=err)
            return EXIT_ERROR
        if args.show_settings:
            from pipelint.app.show import show_settings

            return show_settings(args, first, settings_for)
        if stdin:
            from pipelint.app.stdin import check_stdin

            return check_stdin(args, settings_for, _emit)
        found = _discover(args.paths, settings_for)
        rules_ran = set()
        for model in found.models:  # every configuration error before any output
            model_settings = settings_for(model)
            if args.output_format == "sarif":  # only SARIF lists the rules that ran
                from pipelint.engine.registry import rule_index

                rules_ran |= model_settings.enabled_codes(rule_index())
    except SettingsError as exc:
        print(f"pipelint: error: {exc}", file=err)
        return EXIT_ERROR
    args.rules_ran = rules_ran
    args.docs_base = settings.docs_url

    if found.missing:
        for m in found.missing:
            print(f"pipelint: error: {m}: no such file or directory", file=err)
        return EXIT_ERROR

    if args.add_noqa:
        from pipelint.app.noqa import add_noqa

        return add_noqa(found.models, settings_for)
    if args.fix or args.diff:
        return _fix(args, found, settings_for)
    from pipelint.app.batch import lint_models

    diagnostics, internal, suppressed, targets = [], [], [], []
    sources: dict[Path, str | None] = {}
    for result in lint_models(found.models, settings_for, _result_cache(args, settings)):
        if result.target is not None and result.diagnostics:
            targets.append((result.root, result.target))
        diagnostics += result.diagnostics
        internal += result.internal_errors
        suppressed += result.suppressed
        sources.update(result.sources)
    diagnostics += [d for d in map(_no_model_diagnostic, found.empty) if d is not None]
    args.suppressed = suppressed
    args.targets = targets
    if not internal and not args.no_cache and not args.output_file:
        from pipelint.app.cache import cache_dir

        REPLAY_STATE.update(replayable=True, cache_dir=str(cache_dir(args.cache_dir, settings)))
    return _emit(args, diagnostics, internal, sources, checked=bool(found.models))


def _check_stdin_args(args) -> None:
    from pipelint.core.settings import SettingsError

    if args.stdin_filename is None:
        raise SettingsError("reading from standard input (`-`) needs --stdin-filename PATH: the file it stands for")
    if args.paths not in (["-"], ["."], []):
        raise SettingsError("--stdin-filename reads standard input: give `-` (or nothing) as the PATH")
    if args.watch or args.add_noqa:
        raise SettingsError("--stdin-filename cannot be combined with --watch or --add-noqa")


def _runtime_requirements(value: str | None) -> Path | None:
    """The ``--runtime-requirements`` file, checked to be readable now rather than in every rule."""
    if value is None:
        return None
    from pipelint.core.settings import SettingsError
    from pipelint.model.runtime import RuntimeDataError, load

    path = Path(value).expanduser().resolve()
    try:
        load(path)
    except RuntimeDataError as exc:
        raise SettingsError(f"--runtime-requirements: {exc}") from None
    return path


def _settings_resolver(args):
    """``settings_for(folder)``: the configuration file that governs the folder, under the CLI's flags."""
    from pipelint.core.settings import SettingsError
    from pipelint.engine.config import CliOverrides, check_cog_version, settings_for_model

    if args.config and args.isolated:
        raise SettingsError("--config and --isolated cannot be used together")
    overrides = CliOverrides(
        select=tuple(args.select) if args.select is not None else None,
        extend_select=tuple(args.extend_select), ignore=tuple(args.ignore),
        exclude=tuple(args.exclude) if args.exclude is not None else None,
        extend_exclude=tuple(args.extend_exclude),
        config=Path(args.config) if args.config else None, isolated=args.isolated,
        runtime_requirements=_runtime_requirements(args.runtime_requirements),
        target=args.target,
        cog_version=check_cog_version(args.cog_version, "--cog-version") if args.cog_version else None,
        docs_url=args.docs_url,
    )
    memo: dict[Path, object] = {}

    def settings_for(folder: Path):
        if folder not in memo:
            memo[folder] = settings_for_model(folder, overrides)
        return memo[folder]

    return settings_for


def _discover(paths: list[str], settings_for):
    """Model folders of every PATH, each walked with the excludes its own configuration sets."""
    from pipelint.app.discovery import Discovery, find_models

    found, seen = Discovery(), set()
    for raw in paths:
        s = settings_for(Path(raw))
        part = find_models([raw], s.exclude + s.extend_exclude)
        found.models += [m for m in part.models if not (m in seen or seen.add(m))]
        found.empty += part.empty
        found.missing += part.missing
    return found


def _fix(args, found, settings_for) -> int:
    """--fix / --diff: fix each model in memory, then write (or print the diff)."""
    from pipelint.app import report
    from pipelint.engine import fixer as fixes
    from pipelint.engine.runner import lint

    diagnostics, internal, applied, problems = [], [], [], []
    written: list = []  # FileChange of every file written (created or changed)
    sources: dict[Path, str | None] = {}
    any_diff = False
    for model in found.models:
        settings = settings_for(model)
        outcome = fixes.fix_model(model, settings, unsafe=args.unsafe_fixes)
        internal += outcome.internal_errors
        problems += outcome.refused
        if args.diff:
            for change in outcome.changes.values():
                any_diff = True
                sys.stdout.write(fixes.unified_diff(change, report.display_path(change.path)))
            applied += outcome.applied
            continue
        write_errors = fixes.write_changes(outcome)
        problems += write_errors
        written += [c for c in outcome.changes.values() if not any(e.startswith(f"{c.path}:") for e in write_errors)]
        if write_errors:
            # What is on disk is not what was fixed in memory: report from the disk.
            result = lint(model, settings)
            diagnostics += result.diagnostics
            sources.update({f.path: f.text for f in result.project.files_read})
            continue
        applied += outcome.applied
        diagnostics += outcome.remaining
        sources.update(outcome.sources)
    diagnostics += [d for d in map(_no_model_diagnostic, found.empty) if d is not None]
    for problem in problems:
        print(f"pipelint: error: {problem}", file=sys.stderr)
    if args.diff:
        if not args.quiet:
            n = len(applied)
            print(f"Would fix {n} issue{'s' if n != 1 else ''}." if n else "No fixes available.", file=sys.stderr)
        for e in internal:
            print(f"pipelint: internal error (please report it): {e}", file=sys.stderr)
        return EXIT_ERROR if internal else (EXIT_FINDINGS if any_diff or problems else EXIT_CLEAN)
    if not args.quiet:
        _print_written(written)
    if args.show_fixes and applied:
        _print_applied(applied)
    if args.fix_only:
        for e in internal:
            print(f"pipelint: internal error (please report it): {e}", file=sys.stderr)
        if not args.quiet:
            n = len(applied)
            print(f"Fixed {n} issue{'s' if n != 1 else ''}." if n else "No fixes applied.")
        code = EXIT_ERROR if internal else EXIT_CLEAN
    else:
        code = _emit(args, diagnostics, internal, sources, fixed=len(applied), checked=bool(found.models))
    if code == EXIT_CLEAN and (problems or (args.exit_non_zero_on_fix and written)):
        return EXIT_FINDINGS
    return code


def _print_written(written) -> None:
    """Which files the fixes changed and which they created, on stderr (stdout may be JSON): a
    created file is not tracked by git yet, and a pre-commit hook's fix must be added by hand."""
    from pipelint.app import report

    for change in sorted(written, key=lambda c: str(c.path)):
        if change.before is None:
            print(f"Created {report.display_path(change.path)} (a new file: add it to your commit)", file=sys.stderr)
        else:
            print(f"Changed {report.display_path(change.path)}", file=sys.stderr)


def _print_applied(applied) -> None:
    from collections import Counter

    from pipelint.app import report

    by_file: dict[str, Counter] = {}
    for d in applied:
        by_file.setdefault(report.display_path(d.path), Counter())[(d.code, d.name)] += 1
    print(f"Fixed {len(applied)} issue{'s' if len(applied) != 1 else ''}:")
    for path in sorted(by_file):
        print(f"- {path}:")
        for (code, name), n in sorted(by_file[path].items()):
            print(f"    {n} × {code} ({name})")


def _result_cache(args, settings):
    """The result cache of this run, or None with ``--no-cache`` (fixing never uses it)."""
    if args.no_cache:
        return None
    from pipelint.app.cache import ResultCache, cache_dir

    return ResultCache(cache_dir(args.cache_dir, settings))


def cmd_clean(argv: list[str]) -> int:
    from pipelint.app.cache import clean

    p = argparse.ArgumentParser(prog="pipelint clean",
                                description="Remove pipelint's result cache: the one a run here uses, and every "
                                            "cache folder (.pipelint_cache) under PATHs.")
    p.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="where to look (default: .)")
    p.add_argument("--cache-dir", metavar="DIR", default=None, help="remove this cache folder instead")
    args = p.parse_args(argv)
    from pipelint.app.cache import cache_dir
    from pipelint.core.settings import SettingsError
    from pipelint.engine.config import settings_for_model

    try:
        settings = settings_for_model(Path(args.paths[0] if args.paths else "."))
    except SettingsError:
        settings = None  # a broken configuration file: the working directory's cache, then
    for removed in clean(args.paths, args.cache_dir, default=cache_dir(None, settings)):
        print(f"Removed {removed}")
    return EXIT_CLEAN


def _no_model_diagnostic(folder: Path):
    """What the enabled rules report for a path that holds no model folder."""
    from pipelint.engine.registry import load_rules, rule_index

    for rule_cls in load_rules([r for r in rule_index() if r.overrides("for_folder")]):
        if (d := rule_cls.for_folder(folder)) is not None:
            return d
    return None


def _emit(args, diagnostics, internal, sources, fixed: int = 0, checked: bool = True) -> int:
    fmt = args.output_format or "full"
    unsafe = getattr(args, "unsafe_fixes", False)
    counts = dict(fixable=_fixable(diagnostics, unsafe), hidden_unsafe=0 if unsafe else _fixable_unsafe(diagnostics),
                  fixed=fixed)
    output_file = getattr(args, "output_file", None)
    # Nothing was linted (a path outside every model folder, or only excluded ones): say so, as
    # ruff warns "No Python files found", rather than "All checks passed!".
    nothing = not checked and not diagnostics and not internal
    if nothing:
        print(f"pipelint: {NO_MODEL_WARNING}", file=sys.stderr)
    try:
        out = open(output_file, "w", encoding="utf-8", errors="backslashreplace") if output_file else sys.stdout
    except OSError as exc:
        print(f"pipelint: error: --output-file {output_file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        _write_output(args, out, fmt, diagnostics, internal, sources, counts, nothing)
    finally:
        if out is not sys.stdout:
            out.close()
    for e in internal:
        print(f"pipelint: internal error (please report it): {e}", file=sys.stderr)
    if internal:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if any(d.severity.value in ("error", "warning") for d in diagnostics) else EXIT_CLEAN


def _write_output(args, out, fmt, diagnostics, internal, sources, counts, nothing: bool = False) -> None:
    from pipelint.app import report

    quiet = args.quiet or nothing  # the warning (on stderr) replaces the summary
    unsafe = getattr(args, "unsafe_fixes", False)
    if getattr(args, "statistics", False):
        from pipelint.app import formats

        stats = formats.statistics(diagnostics, unsafe)
        if fmt == "json":
            import json

            out.write(json.dumps(stats, indent=2) + "\n")
        else:
            out.write(formats.render_statistics(stats))
            if not quiet:
                out.write(report.summary_line(diagnostics, **counts) + "\n")
    elif fmt in ("github", "sarif", "junit"):
        from pipelint.app import formats

        if fmt == "github":
            out.write(formats.render_github(diagnostics))
        elif fmt == "sarif":
            out.write(formats.render_sarif(diagnostics, getattr(args, "rules_ran", None), internal,
                                           suppressed=getattr(args, "suppressed", ()),
                                           docs_base=getattr(args, "docs_base", None)))
        else:
            out.write(formats.render_junit(diagnostics, internal))
    elif fmt == "json":
        out.write(report.render_json(diagnostics))
    elif fmt == "concise":
        out.write(report.render_concise(diagnostics, unsafe))
        if not quiet:
            out.write(report.summary_line(diagnostics, **counts) + "\n")
    elif not diagnostics:
        # No code frames to draw: skip importing rich (~30 ms, a third of a cached run).
        if not quiet:
            out.write(report.summary_line(diagnostics, **counts) + "\n")
    else:
        to_file = out is not sys.stdout
        after = [report.target_line(root, target) for root, target in getattr(args, "targets", ())]
        summary = None if quiet else report.summary_line(diagnostics, **counts)
        if report.plain_console(out, args.no_color or to_file):
            # No terminal, no colours: the same text rich would print, without importing rich.
            text = report.render_full_plain(diagnostics, sources, after, summary)
            if text is not None:
                out.write(text)
                return
        console = _console(args.no_color or to_file, file=out if to_file else None)
        report.print_full(console, diagnostics, sources)
        for line in after:
            console.print(line, highlight=False, markup=False)
        if summary is not None:
            console.print(summary)


def _fixable(diagnostics, unsafe: bool = False) -> int:
    return sum(1 for d in diagnostics if d.fix is not None and (unsafe or d.fix.applicability.value == "safe"))


def _fixable_unsafe(diagnostics) -> int:
    return sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability.value == "unsafe")


def cmd_rule(args) -> int:
    import json

    from pipelint.engine.registry import all_rules, rule_by_code

    family = False
    if args.all:
        rules = list(all_rules())
    elif args.code:
        r = rule_by_code(args.code)
        rules = [r] if r is not None else [x for x in all_rules() if x.code.startswith(args.code.upper())]
        family = r is None
        if not rules:
            import difflib

            choices = [x.code for x in all_rules()] + [x.name for x in all_rules()]
            close = difflib.get_close_matches(args.code, choices, n=1) or difflib.get_close_matches(
                args.code.upper(), choices, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            print(f"pipelint: error: unknown rule {args.code!r}{hint}", file=sys.stderr)
            return EXIT_ERROR
    else:
        print("pipelint: error: give a rule code, a name, a prefix (PL5) or --all", file=sys.stderr)
        return EXIT_ERROR
    if args.output_format == "json":
        data = [rule_json(r) for r in rules]
        print(json.dumps(data if args.all or family else data[0], indent=2, ensure_ascii=False))
    elif family:
        print(_family_listing(args.code.upper(), rules), end="")
    else:
        from pipelint.app.ruledocs import page

        print("\n".join(page(r) for r in rules), end="")
    return EXIT_CLEAN


def _family_listing(prefix: str, rules) -> str:
    """``pipelint rule PL5``: one line per rule of the family, then how to read one."""
    from pipelint.app.ruledocs import family

    width = max(len(r.name) for r in rules)
    head = f"{prefix}: {family(rules[0])}\n\n" if len(prefix) == 3 else ""
    lines = []
    for r in rules:
        fix = "[*]" if r.fix_availability else "   "
        off = "" if r.default_enabled else " (off by default)"
        lines.append(f"{r.code}  {fix} {r.name:<{width}}  {r.summary()}{off}\n")
    return head + "".join(lines) + f"\n[*]: has a fix. `pipelint rule {rules[0].code}` shows a rule's page.\n"


def rule_json(r) -> dict:
    from pipelint.app.ruledocs import rule_json as as_json

    return as_json(r)
