#!/usr/bin/env bash
# Busiest hours: requests and distinct clients per hour, busiest first (5 hours).
# Usage: busiest-hours.sh [ACCESS.ndjson]   (default: a tiny built-in sample)
set -euo pipefail
input="${1:-$(dirname "$0")/../Tests/Fixtures/logwindow/access.ndjson}"
logwindow --every 1h -a requests=count -a clients='distinct(client)' -a 'p95(request_time)' "$input" |
  awk -F'"requests":' '{ split($2, n, /[,}]/); print n[1] "\t" $0 }' |
  sort -t"$(printf '\t')" -k1,1nr -s | head -5 | cut -f2-
