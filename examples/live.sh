#!/usr/bin/env bash
# The main job, live: simulated traffic with incidents through the whole
# pipeline into the dashboard.
#
#   loggen (wall clock, 200 lines/s, incidents) -> logparse -> logwindow (5 s windows per path) -> logdash
#
# The incidents: 60% 503s on /checkout from 20 s to 50 s, a scanner from 60 s to 80 s.
# Stages run as separate processes joined by named FIFOs in a temporary folder.
# On a terminal the dashboard runs until you press q or Ctrl-C; otherwise the run
# lasts SECONDS (default 60) and the HTML report is written to $LOGDASH_HTML
# (default ./logdash-report.html), and the script says where. Either way every
# stage is stopped and the FIFOs are removed on the way out.
#
# Usage: live.sh [SECONDS]
# Needs loggen, logparse, logwindow and logdash on PATH, e.g.
#   PATH=$PWD/.build/release:$PATH examples/live.sh
set -euo pipefail

for cmd in loggen logparse logwindow logdash; do
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

mkfifo "$dir/raw" "$dir/records" "$dir/windows"
duration=()
[[ -t 1 ]] || duration=(--duration "${seconds}s")

loggen --rate 200 --format nginx "${duration[@]}" \
  --incident 'errors path=/checkout status=503 ratio=0.6 at=20s for=30s' \
  --incident 'scanner rate=30 at=60s for=20s' > "$dir/raw" &
pids+=($!)
logparse "$dir/raw" > "$dir/records" &
pids+=($!)
logwindow --every 5s --idle 2s --by path -a count -a errors='count_if(status>=500)' \
  -a 'p50(request_time)' -a 'p95(request_time)' -a 'p99(request_time)' --line-buffered "$dir/records" > "$dir/windows" &
pids+=($!)

# logdash runs in the background too, so a signal reaches the traps at once
# (bash runs traps only between foreground commands); it still owns the
# terminal: keys come from /dev/tty, and Ctrl-C reaches every stage.
if [[ -t 1 ]]; then
  logdash --top 8 "$dir/windows" &
  pids+=($!)
  wait "$!" || true
else
  logdash --html "$html" --html-every 2s "$dir/windows" 2> /dev/null &
  pids+=($!)
  wait "$!"
  echo "live.sh: ran ${seconds}s; HTML report written to $html"
fi
