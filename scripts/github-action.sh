#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml at the repository root): install pipelint into its own
# virtualenv and run `pipelint --output-format github ARGS PATHS`, so every diagnostic is an
# annotation on the pull request and the step fails (exit 1) when one is found.
#
# Read from the environment, as action.yml sets it:
#   INPUT_PATHS    model folders, files inside them or folders of models (default: .), split like a shell
#   INPUT_ARGS     more arguments for pipelint, split like a shell (default: none)
#   INPUT_VERSION  which pipelint: empty installs the action's own checkout ($GITHUB_ACTION_PATH, the
#                  ref named in `uses: …@ref`); a version number installs `pipelint==VERSION` from
#                  PyPI; anything else is given to pip as it is (`git+https://…@TAG`, `pipelint>=0.2`)
#   GITHUB_ACTION_PATH  the action's checkout (set by the runner)
#   RUNNER_TEMP    where the virtualenv goes (set by the runner; default: $TMPDIR or /tmp)
#   PIPELINT_ACTION_PYTHON  the Python that makes the virtualenv (default: python3)
#   PIPELINT_ACTION_USE_PYTHON  a Python that already has pipelint: install nothing and run
#                  `that-python -m pipelint` (used by tests/test_github_action.py)
set -euo pipefail

if [ -n "${PIPELINT_ACTION_USE_PYTHON:-}" ]; then
    python=$PIPELINT_ACTION_USE_PYTHON
else
    action_path=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: run this script from action.yml}
    version=${INPUT_VERSION:-}
    if [ -z "$version" ]; then
        spec=$action_path
    elif [[ $version =~ ^v?[0-9][0-9A-Za-z.+!-]*$ ]]; then
        spec="pipelint==${version#v}"
    else
        spec=$version
    fi
    venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/pipelint-action-venv"
    echo "::group::Install pipelint ($spec)"
    "${PIPELINT_ACTION_PYTHON:-python3}" -m venv --clear "$venv"
    python="$venv/bin/python"
    "$python" -m pip install --quiet --disable-pip-version-check "$spec"
    echo "::endgroup::"
fi

"$python" -m pipelint --version
# Split the inputs as a shell would (quotes group words) without evaluating them, then run pipelint
# in place of this script: its exit code is the step's.
exec "$python" -c '
import os, shlex, sys
argv = ["--output-format", "github", *shlex.split(os.environ.get("INPUT_ARGS", "")),
        *shlex.split(os.environ.get("INPUT_PATHS") or ".")]
print("pipelint " + shlex.join(argv), flush=True)
os.execv(sys.executable, [sys.executable, "-m", "pipelint", *argv])
'
