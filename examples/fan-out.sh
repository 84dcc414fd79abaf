#!/usr/bin/env bash
# One parsed stream feeding three consumers through tee and named FIFOs:
#
#   loggen (live, 400 lines/s, a burst of 503s on /checkout) -> logparse -> tee
#     -> FIFO -> logwindow 10 s windows by path -> logalert   -> OUT/alerts.ndjson
#     -> FIFO -> logwindow 1 min windows        -> logscale   -> OUT/scale.ndjson
#     -> FIFO -> the archive: every parsed record in an hourly file,
#        OUT/archive/date=YYYY-MM-DD/hour=HH/access-YYYYMMDDHH.ndjson
#        (logparse --format json reads the records back unchanged and
#        --split-by-time writes them; a file is NAME.partial until its hour
#        and a minute have passed, or the run ends)
#
# The run lasts SECONDS (default 30), or until Ctrl-C (or SIGTERM). Either
# way it shuts down from the source: loggen stops, every later stage sees end
# of input, writes what it holds (open windows, alerts still firing) and
# exits, and the FIFOs are removed. The later stages run in sessions of their
# own (setsid), so a Ctrl-C on the terminal reaches only the source and this
# script: no stage is cut off mid-record and none is left behind.
#
# Usage: fan-out.sh OUT_DIR [SECONDS]
# Needs loggen, logparse, logwindow, logalert and logscale on PATH, and setsid.
set -euo pipefail
out="${1:?usage: fan-out.sh OUT_DIR [SECONDS]}"
seconds="${2:-30}"
mkdir -p "$out"
fifos=$(mktemp -d "${TMPDIR:-/tmp}/logkit-fan-out.XXXXXX")
mkfifo "$fifos/raw" "$fifos/alerts-in" "$fifos/scale-in" "$fifos/archive-in"
interrupted=0
loggen --rate 400 --duration "${seconds}s" --format nginx \
  --incident 'errors path=/checkout status=503 ratio=0.8 at=3s for=10s' > "$fifos/raw" &
source_pid=$!
trap 'interrupted=1; kill -TERM "$source_pid" 2> /dev/null || true' INT TERM

setsid logparse "$fifos/raw" | setsid tee "$fifos/alerts-in" "$fifos/scale-in" > "$fifos/archive-in" &
parse_pid=$!
setsid logparse --format json --split-by-time "$out/archive/date=%Y-%m-%d/hour=%H/access-%Y%m%d%H.ndjson" \
  "$fifos/archive-in" &
archive_pid=$!
setsid logwindow --every 10s --idle 2s --by path -a count -a 'errors=count_if(status>=500)' "$fifos/alerts-in" \
  | setsid logalert --rule 'high_5xx: errors / count > 0.2 and count >= 3 by path summary "{path}: {value:%} 5xx"' \
    > "$out/alerts.ndjson" &
alert_pid=$!
setsid logwindow --every 1m --idle 2s -a count "$fifos/scale-in" \
  | setsid logscale -m 'rps=count/60' --target 20 --replicas 2 --min 2 --max 20 --simulate > "$out/scale.ndjson" &
scale_pid=$!

# `wait` returns early when a trapped signal arrives: wait again until each stage is gone.
for pid in "$source_pid" "$parse_pid" "$archive_pid" "$alert_pid" "$scale_pid"; do
  while kill -0 "$pid" 2> /dev/null; do wait "$pid" 2> /dev/null || true; done
done
rm -rf "$fifos"
archived=$(find "$out/archive" -name '*.ndjson' -exec cat {} + | wc -l)
echo "fan-out.sh: $archived records archived, $(wc -l < "$out/alerts.ndjson") alert events, $(wc -l < "$out/scale.ndjson") scaling decisions in $out" >&2
[ "$interrupted" = 0 ] || exit 130
