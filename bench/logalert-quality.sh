#!/usr/bin/env bash
# Detection quality of examples/rules/web.rules (precision, recall,
# time-to-detect) against loggen --truth over seeds and base rates, plus 24 h
# of incident-free diurnal traffic. Release build.
#   bench/logalert-quality.sh [SEEDS=20] [MINUTES=60]   (environment: see bench/logalert-quality.py;
#   the published table: SEED_BASE=101 bench/logalert-quality.sh 20 60)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-release >/dev/null
exec python3 bench/logalert-quality.py "$(swift build -c release --show-bin-path)" "${1:-20}" "${2:-60}"
