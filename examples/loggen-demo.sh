#!/bin/sh
# loggen demo: ten reproducible minutes of traffic with an error burst on
# /checkout and a scanner, the truth file describing them, and a per-minute
# count showing the incidents exactly where the truth file says they are.
# Needs loggen on PATH (e.g. PATH=.build/release:$PATH sh examples/loggen-demo.sh).
set -eu
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

loggen --start 2025-07-01T00:00:00Z --seed 42 --rate 50 --duration 10m \
  --incident 'errors path=/checkout status=503 ratio=0.8 at=3m for=2m' \
  --incident 'scanner rate=20 at=6m for=1m' \
  --truth "$dir/truth.ndjson" > "$dir/access.log"

echo "== truth file"
cat "$dir/truth.ndjson"

echo "== first lines"
head -n 3 "$dir/access.log"

echo "== per minute: lines, 5xx on /checkout, 404s"
awk '{
  minute = substr($4, 14, 5)
  lines[minute]++
  if ($7 ~ /^\/checkout/ && $9 >= 500) errors[minute]++
  if ($9 == 404) missing[minute]++
}
END {
  for (m in lines) printf "%s %6d %4d %5d\n", m, lines[m], errors[m], missing[m]
}' "$dir/access.log" | sort
