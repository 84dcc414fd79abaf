#!/usr/bin/env bash
# Suspicious clients: per 10-minute window, clients with at least THRESHOLD
# (default 10) "not found" responses, with how many distinct paths they
# probed: the signature of vulnerability scanners.
# Usage: suspicious-clients.sh [ACCESS.ndjson [THRESHOLD]]   (default: a tiny built-in sample)
set -euo pipefail
input="${1:-$(dirname "$0")/../Tests/Fixtures/logwindow/access.ndjson}"
threshold="${2:-10}"
logwindow --every 10m --by client -a requests=count -a not_found='count_if(status == 404)' \
  -a probed='distinct(path)' "$input" |
  awk -F'"not_found":' -v min="$threshold" '{ split($2, n, /[,}]/); if (n[1] >= min) print }'
