#!/usr/bin/env bash
# logalert latency (release build): p50/p99/max milliseconds from a window
# record written to its stdin to the alert event read from its stdout, one
# record at a time at a low rate (every record makes an event; events are
# flushed as they are written).
#   bench/logalert-latency.sh [RECORDS=2000] [RATE=100]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-release logalert >/dev/null
exec python3 bench/logalert-latency.py "$(swift build -c release --show-bin-path)/logalert" "${1:-2000}" "${2:-100}"
