"""``pipelint --watch``: lint, then lint again whenever a file that can change a verdict changes.

File events come from watchfiles (the ``watch`` extra: ``pip install 'watchfiles>=0.21'``), which
uses the operating system's notifications (inotify, FSEvents, …) and batches a burst of writes
(an editor's save, a ``git checkout``) into one change set. Each run is an ordinary run: the
result cache answers for the models that did not change.
"""

from __future__ import annotations

import copy
import sys
import time
from pathlib import Path

EXIT_CLEAN, EXIT_ERROR = 0, 2
# Files whose change can change a diagnostic: model files, requirement lists, configuration.
WATCHED_SUFFIXES = (".py", ".yaml", ".yml", ".txt", ".toml", ".in")
IGNORED_DIRS = (".pipelint_cache", "__pycache__", ".git", ".hg", ".svn", ".venv", "venv", "node_modules",
                ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", ".tox")


def _relevant(path: str) -> bool:
    p = Path(path)
    return p.suffix in WATCHED_SUFFIXES and not any(part in IGNORED_DIRS for part in p.parts)


def watch(args, check_once) -> int:
    try:
        import watchfiles
    except ImportError:
        from pipelint.core.meta import install_command

        print("pipelint: error: --watch needs watchfiles (the `watch` extra); install it with:\n"
              f"    {install_command('watch')}", file=sys.stderr)
        return EXIT_ERROR
    if args.fix or args.diff or args.add_noqa or args.stdin_filename is not None:
        print("pipelint: error: --watch only reports: it cannot be combined with --fix, --diff, --add-noqa "
              "or --stdin-filename", file=sys.stderr)
        return EXIT_ERROR
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        return check_once(copy.copy(args))  # the ordinary "no such file or directory" error
    roots = args.paths or ["."]
    watch_filter = watchfiles.DefaultFilter(ignore_dirs=IGNORED_DIRS)
    try:
        _run(args, check_once)
        for changes in watchfiles.watch(*roots, watch_filter=lambda change, path: watch_filter(change, path)
                                        and _relevant(path), debounce=300, step=50):
            names = sorted({Path(p).name for _, p in changes})
            print(f"\nFile change detected ({', '.join(names)}): linting again…", file=sys.stderr, flush=True)
            _run(args, check_once)
    except KeyboardInterrupt:
        pass
    return EXIT_CLEAN


def _run(args, check_once) -> int:
    """One ordinary run (on a copy of the arguments: a run normalises them in place)."""
    stamp = time.strftime("%H:%M:%S")
    print(f"[{stamp}] Watching for file changes (Ctrl-C to stop).", file=sys.stderr, flush=True)
    code = check_once(copy.copy(args))
    sys.stdout.flush()
    return code
