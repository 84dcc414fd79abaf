#!/usr/bin/env bash
# The main job, live: simulated traffic with incidents through the whole
# pipeline into the dashboard.
#
#   loggen (wall clock, 200 lines/s, incidents) -> logparse -> logwindow (5 s windows per path)
#     -> logdash, and through tee -> logalert (5xx burst, slow path) -> logdash
#                               -> logscale (simulated fleet, 50 req/s per replica) -> logdash
#
# logdash reads the three streams at once (window records, alert events,
# scale decisions) and tells them apart by their fields.
# The incidents: traffic x2 from 5 s to 25 s (the fleet scales out), 90% 503s on
# /checkout from 10 s to 40 s, /products 15x slower from 30 s to 55 s, a scanner
# from 60 s to 80 s.
# Stages run as separate processes joined by named FIFOs in a temporary folder.
# On a terminal the dashboard runs until you press q or Ctrl-C; otherwise the run
# lasts SECONDS (default 60) and the HTML report is written to $LOGDASH_HTML
# (default ./logdash-report.html), and the script says where. Either way every
# stage is stopped and the FIFOs are removed on the way out.
#
# Usage: live.sh [SECONDS]
# Needs the six commands on PATH, e.g.
#   PATH=$PWD/.build/release:$PATH examples/live.sh
set -euo pipefail

for cmd in loggen logparse logwindow logalert logscale logdash; do
  command -v "$cmd" > /dev/null || { echo "live.sh: $cmd is not on PATH (build first, see README)" >&2; exit 1; }
done

seconds="${1:-60}"
html="${LOGDASH_HTML:-$PWD/logdash-report.html}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/logkit-live.XXXXXX")
pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

mkfifo "$dir/raw" "$dir/records" "$dir/all-windows" "$dir/windows" "$dir/for-alerts" "$dir/for-scale" "$dir/alerts" "$dir/scale"
duration=()
[[ -t 1 ]] || duration=(--duration "${seconds}s")

loggen --rate 200 --format nginx "${duration[@]}" \
  --incident 'errors path=/checkout status=503 ratio=0.9 at=10s for=30s' \
  --incident 'latency path=/products factor=15 at=30s for=25s' \
  --incident 'spike factor=2 at=5s for=20s' \
  --incident 'scanner rate=30 at=60s for=20s' > "$dir/raw" &
pids+=($!)
logparse "$dir/raw" > "$dir/records" &
pids+=($!)
logwindow --every 5s --idle 2s --by path -a count -a errors='count_if(status>=500)' \
  -a 'p50(request_time)' -a 'p95(request_time)' -a 'p99(request_time)' --line-buffered "$dir/records" > "$dir/all-windows" &
pids+=($!)
tee "$dir/for-alerts" "$dir/for-scale" < "$dir/all-windows" > "$dir/windows" &
pids+=($!)
logalert --line-buffered \
  --rule 'high_5xx: errors / count > 0.2 and count >= 3 for 5s keep 10s by path summary "{path}: {value:%} 5xx"' \
  --rule 'slow: p95_request_time > 2 and count >= 5 for 10s by path summary "{path}: p95 {value:.2}s"' \
  "$dir/for-alerts" > "$dir/alerts" &
pids+=($!)
logscale --line-buffered -m 'rps=sum(count)/5' --target 50 --replicas 2 --min 2 --max 12 \
  --scale-down-window 30s --simulate --startup-delay 10s "$dir/for-scale" > "$dir/scale" &
pids+=($!)

# logdash runs in the background too, so a signal reaches the traps at once
# (bash runs traps only between foreground commands); it still owns the
# terminal: keys come from /dev/tty, and Ctrl-C reaches every stage.
if [[ -t 1 ]]; then
  logdash --top 8 "$dir/windows" "$dir/alerts" "$dir/scale" &
  pids+=($!)
  wait "$!" || true
else
  logdash --html "$html" --html-every 2s "$dir/windows" "$dir/alerts" "$dir/scale" 2> /dev/null &
  pids+=($!)
  wait "$!"
  echo "live.sh: ran ${seconds}s; HTML report written to $html"
fi
