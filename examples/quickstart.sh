#!/usr/bin/env bash
# Quickstart: a real pipeline on built-in defaults, no download.
#
#   loggen | logparse | tee parsed.ndjson | logwindow --every 1m --by path ...
#
# loggen simulates an hour of traffic (seeded, simulated clock, 200,000 lines by
# default) with two injected incidents: an error burst on /checkout (60% 503s
# from minute 20 to minute 30) and a scanner (many 404s from one address from
# minute 40 to minute 45), described in a truth file. logparse turns the raw
# lines into access records, tee keeps them, logwindow aggregates them into
# 1-minute windows per path (count, 5xx count, p95 of request_time, distinct
# clients). The script then prints a short summary: lines generated and parsed,
# the minutes where more than 20% of /checkout requests failed next to the
# truth file's incident interval, and the client with the most 404s (a second
# logwindow query over the kept records, `--window all --by client`) next to
# the truth file's scanner.
#
# Usage: quickstart.sh [LINES [DIR]]
#   LINES  how many lines to generate (default 200000; always one simulated hour)
#   DIR    keep the files there (access.log, truth.ndjson, parsed.ndjson,
#          windows.ndjson, clients.ndjson); default: a temporary folder, removed
# Needs loggen, logparse and logwindow on PATH, e.g.
#   PATH=$PWD/.build/release:$PATH examples/quickstart.sh
# Only bash, awk and sort besides them; about a second with release binaries.
set -euo pipefail

lines="${1:-200000}"
if [[ -n "${2:-}" ]]; then
  dir="$2"
  mkdir -p "$dir"
else
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
fi
for cmd in loggen logparse logwindow; do
  command -v "$cmd" > /dev/null || { echo "quickstart: $cmd is not on PATH (build first, see README)" >&2; exit 1; }
done

# One simulated hour whatever the line count: the rate sets how fast time advances.
rate=$(( (lines + 3599) / 3600 ))

# nginx format: combined plus $request_time, so p95(request_time) has values.
loggen --seed 1 --start 2025-07-01T00:00:00Z --rate "$rate" --count "$lines" --format nginx \
    --incident 'errors path=/checkout status=503 ratio=0.6 at=20m for=10m' \
    --incident 'scanner rate=30 at=40m for=5m' \
    --truth "$dir/truth.ndjson" |
  tee "$dir/access.log" |
  logparse |
  tee "$dir/parsed.ndjson" |
  logwindow --every 1m --by path -a count -a errors='count_if(status>=500)' \
    -a 'p95(request_time)' -a 'distinct(client)' > "$dir/windows.ndjson"

# Reads "name":value out of one flat JSON line (values here are plain numbers or strings).
json_field='function field(line, name,   rest) {
  if (!match(line, "\"" name "\":")) return ""
  rest = substr(line, RSTART + RLENGTH)
  if (substr(rest, 1, 1) == "\"") { rest = substr(rest, 2); return substr(rest, 1, index(rest, "\"") - 1) }
  match(rest, /^[^,}]*/)
  return substr(rest, 1, RLENGTH)
}'

echo "== pipeline"
printf 'generated %d lines, parsed %d records, wrote %d windows (1 minute x path)\n' \
  "$(wc -l < "$dir/access.log")" "$(wc -l < "$dir/parsed.ndjson")" "$(wc -l < "$dir/windows.ndjson")"

echo "== /checkout minutes with more than 20% errors (5xx)"
awk "$json_field"'
  field($0, "path") == "/checkout" {
    count = field($0, "count"); errors = field($0, "errors")
    if (count > 0 && errors / count > 0.2) {
      n++
      printf "  %s  %4d requests  %4d errors (%3.0f%%)  p95 %.3fs\n", field($0, "start"), count, errors, 100 * errors / count, field($0, "p95_request_time")
    }
  }
  END { if (n == 0) print "  none" }' "$dir/windows.ndjson"
awk "$json_field"'
  field($0, "kind") == "errors" { printf "truth: error burst on %s from %s to %s (ratio %s)\n", field($0, "path"), field($0, "start"), field($0, "end"), field($0, "ratio") }' "$dir/truth.ndjson"

echo "== most 404s by one client (whole hour)"
logwindow --window all --by client -a not_found='count_if(status==404)' -a requests=count \
    -a paths='distinct(path)' "$dir/parsed.ndjson" > "$dir/clients.ndjson"
awk "$json_field"'
  { n = field($0, "not_found") + 0; if (n > best) { best = n; line = $0 } }
  END {
    if (best == 0) { print "  none"; exit }
    printf "  %s: %d not found of %d requests, %d distinct paths\n", field(line, "client"), best, field(line, "requests"), field(line, "paths")
  }' "$dir/clients.ndjson"
awk "$json_field"'
  field($0, "kind") == "scanner" { printf "truth: scanner %s from %s to %s\n", field($0, "client"), field($0, "start"), field($0, "end") }' "$dir/truth.ndjson"

if [[ -n "${2:-}" ]]; then echo "== files in $dir"; fi
