#!/usr/bin/env bash
# Sends logalert's events to a webhook as Slack-style JSON ({"text": ...})
# with curl, run by logalert --exec: no shell, the summary escaped for JSON
# by the {summary:json} placeholder, at most 30 posts a minute. The webhook
# here is a local listener (examples/webhook-listener.py) that writes each
# request body to OUTDIR/received.ndjson; point URL at a real Slack or Mattermost incoming
# webhook to use it for real.
#
#   examples/webhook.sh [OUTDIR] [URL]     (default: webhook, the local listener)
set -euo pipefail
out=${1:-webhook}
url=${2:-}
mkdir -p "$out"
out=$(cd "$out" && pwd)
: > "$out/received.ndjson"

listener=
if [ -z "$url" ]; then
  rm -f "$out/port"
  python3 "$(dirname "$0")/webhook-listener.py" "$out" &
  listener=$!
  trap 'kill "$listener" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do [ -s "$out/port" ] && break; sleep 0.1; done
  url="http://127.0.0.1:$(cat "$out/port")/hook"
fi

loggen --start 2025-07-01T00:00:00Z --seed 7 --duration 20m --rate 20 \
    --incident 'errors path=/checkout status=503 ratio=0.6 at=8m for=4m' \
  | logparse | logwindow --every 1m --by path -a count -a 'errors=count_if(status>=500)' \
  | logalert --rule 'high_5xx: errors / count > 0.2 and count >= 5 for 1m by path summary "{path}: {value:%} 5xx"' \
      --max-per-minute 30 \
      --exec curl -sS --fail --max-time 5 -H 'Content-Type: application/json' \
        --data-binary '{"username":"logalert","text":"[{state}] {alert}: {summary:json}"}' "$url" ';' \
  > "$out/alerts.ndjson"

echo "alerts:"
cat "$out/alerts.ndjson"
echo "webhook received:"
cat "$out/received.ndjson"
