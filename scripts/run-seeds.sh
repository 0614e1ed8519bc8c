#!/usr/bin/env bash
# The README's quickstart: create .venv, install zhnews, run the pipeline on seeds/.
set -euo pipefail
source "$(dirname "$0")/venv.sh" ""  # no extras (an explicit argument: source would pass ours on)
exec .venv/bin/zhnews run seeds/ -o "${1:-out.jsonl}" --facts "${2:-facts.csv}"
