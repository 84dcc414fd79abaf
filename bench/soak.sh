#!/usr/bin/env bash
# Soak: memory and throughput of every stage of the full pipeline over a long
# run (flat memory however long the stream runs).
#
#   pipe:    loggen --rate max | logparse | logwindow -> tee -> logalert
#                                                        \-> logscale --simulate
#   follow:  loggen --rate RATE | bench/soak_writer.py (access.log, rotated
#            every 30 s, by rename and by copytruncate in turn);
#            logparse --follow access.log | logwindow -> tee -> logalert, logscale
#
# Each stage is its own process (joined by named FIFOs), so its memory can be
# read from /proc: VmRSS and VmHWM (peak RSS) at 1 minute and at the end. Then
# the source is stopped, the pipeline drains, and each stage's --stats line
# (counts and throughput) is printed.
#
# Usage: bench/soak.sh [pipe|follow] [SECONDS=600] [RATE=20000 (follow only)]
# The table is also written to bench/out/soak-MODE.md. SKIP_BUILD=1 uses the
# release binaries as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-pipe}"
seconds="${2:-600}"
rate="${3:-20000}"
case "$mode" in pipe | follow) ;; *) echo "soak.sh: the mode is pipe or follow" >&2; exit 2 ;; esac
[ "$seconds" -ge 70 ] || { echo "soak.sh: SECONDS must be at least 70 (a sample is taken at 60 s)" >&2; exit 2; }
[ -n "${SKIP_BUILD:-}" ] || scripts/build-release > /dev/null
export PATH=$PWD/.build/release:$PATH
out=bench/out
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/logkit-soak.XXXXXX")
pids=()
names=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkfifo "$work/raw" "$work/records" "$work/windows" "$work/for-alerts" "$work/for-scale"
started() { pids+=("$!"); names+=("$1"); }

if [ "$mode" = pipe ]; then
  loggen --rate max --format combined --diurnal --stats > "$work/raw" 2> "$work/loggen.err" & started loggen
  logparse --stats "$work/raw" > "$work/records" 2> "$work/logparse.err" & started logparse
else
  mkdir "$work/logs"
  loggen --rate "$rate" --format combined --diurnal --stats > "$work/raw" 2> "$work/loggen.err" & started loggen
  python3 bench/soak_writer.py "$work/logs/access.log" 30 < "$work/raw" 2> "$work/writer.err" & started writer
  logparse --stats --follow --from-start "$work/logs/access.log" > "$work/records" 2> "$work/logparse.err" & started logparse
fi
logwindow --stats --every 10s --by path -a count -a 'errors=count_if(status>=500)' -a 'p95(request_time)' \
  -a 'distinct(client)' "$work/records" > "$work/windows" 2> "$work/logwindow.err" & started logwindow
tee "$work/for-alerts" < "$work/windows" > "$work/for-scale" & started tee
logalert --stats --rule 'high_5xx: errors / count > 0.2 and count >= 20 for 20s by path' \
  --rule 'odd_traffic: anomaly(count) >= 0.5 and count >= 100 by path' \
  "$work/for-alerts" > "$work/alerts.ndjson" 2> "$work/logalert.err" & started logalert
logscale --stats -m 'rps=sum(count)/10' --target 2000 --min 2 --max 500 --simulate \
  "$work/for-scale" > "$work/scale.ndjson" 2> "$work/logscale.err" & started logscale

memory() { # PID: "rss_mib hwm_mib" from /proc
  awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { printf "%.1f %.1f", r / 1024, h / 1024 }' "/proc/$1/status" 2> /dev/null || echo "- -"
}
declare -A at1
sleep 60
for i in "${!pids[@]}"; do at1[$i]=$(memory "${pids[$i]}"); done
sleep $((seconds - 60))
declare -A atEnd
for i in "${!pids[@]}"; do atEnd[$i]=$(memory "${pids[$i]}"); done

# Stop the source; every later stage ends on end of input and prints --stats.
kill -TERM "${pids[0]}" 2> /dev/null || true
[ "$mode" = follow ] && { wait "${pids[1]}" 2> /dev/null || true; sleep 3; kill -TERM "${pids[2]}" 2> /dev/null || true; }
for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
pids=()

table="$out/soak-$mode.md"
{
  echo "soak ($mode, ${seconds} s$([ "$mode" = follow ] && echo ", $rate lines/s"), $(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "| stage | RSS at 1 min (MiB) | RSS at end (MiB) | peak RSS at 1 min (MiB) | peak RSS at end (MiB) |"
  echo "|---|---|---|---|---|"
  for i in "${!names[@]}"; do
    read -r r1 h1 <<< "${at1[$i]}"
    read -r r2 h2 <<< "${atEnd[$i]}"
    echo "| ${names[$i]} | $r1 | $r2 | $h1 | $h2 |"
  done
  echo
  for name in "${names[@]}"; do
    [ -f "$work/$name.err" ] && grep -h "^$name: .* in .* s (" "$work/$name.err" | sed 's/^/    /' || true
  done
  echo "    alerts: $(wc -l < "$work/alerts.ndjson") events; scale decisions: $(wc -l < "$work/scale.ndjson")"
  if [ "$mode" = follow ]; then
    echo "    writer: $(tail -1 "$work/writer.err")"
  fi
} | tee "$table"
