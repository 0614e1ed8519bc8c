#!/usr/bin/env bash
# The README's test command: create .venv, install zhnews with its dev extras, run the
# whole test suite. pytest's exit code is passed through unchanged, so "no tests
# collected" (5) fails like any other failure.
set -euo pipefail
source "$(dirname "$0")/venv.sh" "[dev]"
exec .venv/bin/python -m pytest "$@"
