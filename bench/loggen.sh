#!/usr/bin/env bash
# loggen throughput and rate accuracy (release build).
#
#  1. lines/s at --rate max on the simulated clock, per format, next to
#     `cat` of the same bytes (the cost of just moving them through a pipe);
#  2. rate accuracy on the real clock: --rate 100000 --duration 10s into wc -l,
#     achieved rate and error (target: within 1%).
# Usage: bench/loggen.sh [LINES]   (default 5,000,000; the output of each format is kept in a temp file once)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product loggen >/dev/null
bin=.build/release/loggen
lines=${1:-5000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now_ns() { date +%s%N; }
rate() { awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.0f", n / (ns / 1e9) }'; }

echo "== throughput, --rate max, simulated clock, $lines lines, output to a pipe"
printf "%-16s %14s %14s %10s %12s\n" format "lines/s" "MB/s" "cat lines/s" "cat ratio"
for format in combined common nginx vhost_combined w3c json clickstream; do
  args=(--rate max --start 2025-07-01T00:00:00Z --seed 1 --count "$lines" --format "$format")
  "$bin" "${args[@]}" > "$tmp/out"
  bytes=$(wc -c < "$tmp/out")
  t0=$(now_ns); "$bin" "${args[@]}" | cat > /dev/null; t1=$(now_ns)
  c0=$(now_ns); cat "$tmp/out" | cat > /dev/null; c1=$(now_ns)
  gen=$(rate "$lines" $((t1 - t0)))
  cat_rate=$(rate "$lines" $((c1 - c0)))
  mbs=$(awk -v b="$bytes" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f", b / 1e6 / (ns / 1e9) }')
  ratio=$(awk -v a="$gen" -v b="$cat_rate" 'BEGIN { printf "%.2f", a / b }')
  printf "%-16s %14s %14s %10s %12s\n" "$format" "$gen" "$mbs" "$cat_rate" "$ratio"
done
rm -f "$tmp/out"

echo
echo "== rate accuracy, real clock: --rate 100000 --duration 10s | wc -l"
t0=$(now_ns)
n=$("$bin" --rate 100000 --duration 10s | wc -l)
t1=$(now_ns)
awk -v n="$n" -v ns=$((t1 - t0)) 'BEGIN {
  printf "lines %d  wall %.3f s  achieved %.1f lines/s of generated time  error %+.3f%%  (wall rate %.1f/s)\n",
    n, ns / 1e9, n / 10, (n / 10 - 100000) / 1000, n / (ns / 1e9)
}'
