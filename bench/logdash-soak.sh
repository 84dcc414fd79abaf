#!/usr/bin/env bash
# Soak: logdash's memory over a long live run. A live pipeline at a steady
# rate (loggen → logparse → logwindow, and logalert on a tee of the windows)
# feeds logdash through two FIFOs for DURATION of wall-clock time while
# logdash rewrites its HTML report; logdash's VmRSS is sampled every STEP
# seconds into bench/out/soak-rss.csv, then the first and the last tenth of
# the run are compared (flat: the last tenth's peak within a few percent of
# the first's).
#
# Usage: bench/logdash-soak.sh [DURATION_SECONDS [RATE [STEP]]]   (default 3600 2000 30)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-3600}"
rate="${2:-2000}"
step="${3:-30}"
out=bench/out
mkdir -p "$out"
scripts/build-release > /dev/null
export PATH=$PWD/.build/release:$PATH
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
mkfifo "$work/windows.fifo" "$work/alerts.fifo"

logdash --html "$out/soak-report.html" --html-every 2s "$work/windows.fifo" "$work/alerts.fifo" \
  > "$out/soak-summary.txt" 2> "$out/soak-logdash.err" &
dash=$!
loggen --rate "$rate" --duration "${duration}s" --format nginx --diurnal \
    --incident 'errors path=/checkout status=503 ratio=0.5 at=10m for=3m' \
  | logparse \
  | logwindow --every 10s --by path -a count -a 'errors=count_if(status>=500)' -a 'p95(request_time)' -a 'top(5,client)' \
  | tee "$work/windows.fifo" \
  | logalert --rule 'high_5xx: errors / count > 0.2 and count >= 5 by path' > "$work/alerts.fifo" &

csv="$out/soak-rss.csv"
echo "seconds,rss_kib" > "$csv"
start=$(date +%s)
while kill -0 "$dash" 2>/dev/null; do
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$dash/status" 2>/dev/null || true)
  [ -n "$rss" ] && echo "$(( $(date +%s) - start )),$rss" >> "$csv"
  sleep "$step"
done
wait "$dash" || true
awk -F, -v d="$duration" 'NR > 1 {
    if ($1 <= d / 10) { if ($2 > first) first = $2 }
    if ($1 >= d * 0.9) { if ($2 > last) last = $2 }
    if ($2 > peak) peak = $2; n++
  }
  END { printf "samples %d; peak RSS first tenth %.1f MB, last tenth %.1f MB (ratio %.3f), overall peak %.1f MB\n", n, first / 1024, last / 1024, (first ? last / first : 0), peak / 1024 }' "$csv"
head -3 "$out/soak-summary.txt"
