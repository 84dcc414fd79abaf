#!/usr/bin/env bash
# Tails a web server's access log with `logparse --follow` into alerts posted
# to a webhook: the pipeline a server runs for real, as the systemd unit
# examples/logkit-alerts.service does (it runs this script).
#
#   examples/follow-webhook.sh [LOG [URL]]
#
# LOG   the access log to follow, through logrotate's rotations (default: a
#       demo: a log written here by a stand-in server, rotated once).
# URL   a Slack or Mattermost incoming webhook (default: a local listener,
#       examples/webhook-listener.py, which keeps every post in
#       $STATE/received.ndjson).
# STATE (environment, default ./follow-state) keeps logparse's --offsets and
#       logalert's --state, so a restart neither reads a line twice nor
#       forgets an alert that is firing; alerts.ndjson is written there too.
#
# It runs until SIGINT (Ctrl-C) or SIGTERM (systemd's stop); the demo stops
# by itself once its stand-in server has written its last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
log=${1:-}
url=${2:-}
state=${STATE:-follow-state}
mkdir -p "$state"
state=$(cd "$state" && pwd)

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

if [ -z "$url" ]; then
  : > "$state/received.ndjson"
  rm -f "$state/port"
  python3 "$here/webhook-listener.py" "$state" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$state/port" ] && break; sleep 0.1; done
  url="http://127.0.0.1:$(cat "$state/port")/hook"
fi

demo=
if [ -z "$log" ]; then
  # The stand-in server: twenty minutes of traffic with a burst of 503s on
  # /checkout, appended in small pieces, and rotated the way logrotate's
  # `create` does (rename, new file) halfway through.
  demo=$(mktemp -d)
  log=$state/access.log
  rm -f "$log" "$log.1" "$state/offsets" "$state/alerts.state"
  loggen --start 2025-07-01T00:00:00Z --seed 7 --duration 20m --rate 20 \
      --incident 'errors path=/checkout status=503 ratio=0.6 at=8m for=4m' > "$demo/traffic.log"
  split -l 1000 "$demo/traffic.log" "$demo/piece."
  (
    pieces=("$demo"/piece.*)
    for i in "${!pieces[@]}"; do
      [ "$i" -eq $(( ${#pieces[@]} / 2 )) ] && mv "$log" "$log.1"
      cat "${pieces[$i]}" >> "$log"
      sleep 0.2
    done
    touch "$demo/written"
  ) &
  pids+=($!)
fi

if [ -n "$demo" ]; then
  # The demo stops logparse with SIGTERM once the stand-in server is done:
  # it flushes, saves its offsets and ends, and the stages after it finish
  # their windows and alerts at end of input, as on Ctrl-C.
  (
    until [ -e "$demo/written" ]; do sleep 0.1; done
    # Wait until logparse's saved offsets cover the whole log (it has read and
    # written out every line; at most 30 s), then a second for the stages after it.
    size=$(stat -c %s "$log")
    for _ in $(seq 300); do
      awk -v size="$size" -v path="$log" '$5 == size && $7 == path { done = 1 } END { exit !done }' \
        "$state/offsets" 2> /dev/null && break
      sleep 0.1
    done
    sleep 1
    kill -TERM "$(cat "$state/logparse.pid")"
  ) &
  pids+=($!)
fi

# In the foreground, so Ctrl-C (SIGINT) reaches every stage; logparse runs
# under a small sh that records its pid for the demo's stop.
status=0
sh -c 'echo $$ > "$1"; shift; exec "$@"' sh "$state/logparse.pid" \
    logparse --follow --offsets "$state/offsets" "$log" \
  | logwindow --every 1m --by path -a count -a 'errors=count_if(status>=500)' \
  | logalert --rule 'high_5xx: errors / count > 0.2 and count >= 5 for 1m by path summary "{path}: {value:%} 5xx"' \
      --state "$state/alerts.state" --max-per-minute 30 \
      --exec curl -sS --fail --max-time 5 -H 'Content-Type: application/json' \
        --data-binary '{"username":"logalert","text":"[{state}] {alert}: {summary:json}"}' "$url" ';' \
  >> "$state/alerts.ndjson" || status=$?

if [ -n "$demo" ]; then
  rm -rf "$demo"
  [ "$status" -eq 143 ] && status=0  # logparse's exit after the demo's SIGTERM
fi
echo "alerts ($state/alerts.ndjson):"
cat "$state/alerts.ndjson"
exit "$status"
