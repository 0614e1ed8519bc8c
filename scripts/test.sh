#!/usr/bin/env bash
# The README's test command: create .venv (Python >= 3.11), install zhnews with its
# dev extras, then run the whole test suite. pytest's exit code is passed through
# unchanged, so "no tests collected" (5) fails like any other failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"
exec .venv/bin/python -m pytest "$@"
