#!/usr/bin/env bash
# The README's test command: create .venv, install zhnews with its dev extras, run the
# whole test suite. pytest's exit code is passed through unchanged, so "no tests
# collected" (5) fails like any other failure.
set -euo pipefail
# CI renders the evaluation report in headless Chromium (tests/test_report.py): install
# Debian's chromium and a CJK font when missing. Elsewhere that test skips without it.
if [ "${CI:-}" = "true" ] && ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
fi
source "$(dirname "$0")/venv.sh" "[dev]"
exec .venv/bin/python -m pytest "$@"
