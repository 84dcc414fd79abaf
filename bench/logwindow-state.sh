#!/usr/bin/env bash
# Cost of logwindow --state checkpoints: size of the state file and time per
# save with GROUPS open groups (one 1-hour window, --by client), for a plain
# count and for count plus sketches (p95, distinct, top 3). A save is timed as
# the time from SIGINT to exit of a run that has read its input (with --state
# that exit is one save: the open windows are kept, not written); the load as
# a run on /dev/null with the state (load, then writing every window).
# Also the throughput of a run with --state-every 1s against one without
# --state on the same input.
#
# Usage: bench/logwindow-state.sh [GROUPS]   (default 100000; 3 records per group)
set -euo pipefail
cd "$(dirname "$0")/.."
groups="${1:-100000}"
out=bench/out
mkdir -p "$out"
data="$out/state-groups-$groups.ndjson"
swift build -c release --product logwindow >/dev/null
bin=$(pwd)/.build/release/logwindow
. bench/lib.sh

records=$((groups * 3))
[ -s "$data" ] || awk -v n="$records" -v g="$groups" 'BEGIN { srand(3); for (i = 0; i < n; i++) { s = int(i * 3600 / n);
  printf "{\"time\":\"2025-07-01T00:%02d:%02dZ\",\"client\":\"c%d\",\"path\":\"/p%d\",\"status\":%d,\"bytes\":%d,\"request_time\":%.3f}\n",
    int(s / 60), s % 60, i % g, i % 50, (i % 13 == 0 ? 503 : 200), int(rand() * 5000), rand() } }' > "$data"
size=$(stat -c %s "$data")
echo "input: $data ($records records, $groups groups)"

measure() {  # name aggregates...
  local name=$1 state="$out/bench.state"
  shift
  local -a saves=()
  for run in 1 2 3; do
    rm -f "$state"
    env --default-signal=INT "$bin" --follow "$data" --state "$state" --state-every 1h --every 1h --by client "$@" > /dev/null & pid=$!
    # Read to the end: no new output and the process idle (its CPU time stops growing).
    local last=-1 now
    while :; do
      sleep 0.5
      now=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
      [ "$now" = "$last" ] && break
      last=$now
    done
    local s e
    s=$(date +%s.%N); kill -INT "$pid"; wait "$pid" || true; e=$(date +%s.%N)
    saves+=("$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }')")
  done
  local bytes load
  bytes=$(stat -c %s "$state")
  # A run at end of input writes the windows and leaves none in its state: each run loads a copy.
  load=$(median_seconds 3 bash -c 'cp "$0" "$0.copy"; "$1" --state "$0.copy" --every 1h --by client "${@:2}" < /dev/null' "$state" "$bin" "$@")
  rm -f "$state.copy"
  rm -f "$state"
  local plain stated
  plain=$(median_seconds 3 "$bin" --every 1h --by client "$@" "$data")
  stated=$(median_seconds 3 bash -c 'rm -f "$0"; "$1" --state "$0" --state-every 1s --every 1h --by client "${@:3}" < "$2"' "$state" "$bin" "$data" "$@")
  printf '%s: state %d bytes (%d per group), save (SIGINT to exit) %s s [runs: %s], load and write %s s; run without --state %s s, with --state-every 1s %s s\n' \
    "$name" "$bytes" $((bytes / groups)) "$(printf '%s\n' "${saves[@]}" | sort -g | sed -n 2p)" "${saves[*]}" "$load" "$plain" "$stated"
}

measure "count" -a count
measure "count+sum+p95+distinct+top3" -a count -a 'sum(bytes)' -a 'p95(request_time)' -a 'distinct(path)' -a 'top(3,status)'
