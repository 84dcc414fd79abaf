#!/usr/bin/env bash
# A large log on every core: GNU parallel cuts it into blocks (16 MiB, at line
# ends), each block is parsed and aggregated by its own
# `logparse | logwindow --partial`, and one `logwindow --merge` combines the
# partial records into what a single process writes (exact: counts, sums,
# quantile and distinct sketches merge without loss). The script runs both
# ways, checks the results are equal, and prints the two times.
#
# Usage: parallel-shards.sh [LOG [JOBS [BLOCK]]]
#   LOG: an access log (default: 1,000,000 generated nginx lines in a temp dir)
#   JOBS: parallel jobs (default: the number of cores)
#   BLOCK: the size of a block (default 16M)
# Needs GNU parallel (apt-get install parallel) and the commands on PATH.
set -euo pipefail
command -v parallel > /dev/null || { echo "parallel-shards.sh: needs GNU parallel (apt-get install parallel)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/logkit-parallel.XXXXXX")
trap 'rm -rf "$work"' EXIT
log="${1:-}"
jobs="${2:-$(nproc)}"
block="${3:-16M}"
if [ -z "$log" ]; then
  log="$work/access.log"
  loggen --rate max --count 1000000 --start 2025-07-01T00:00:00Z --seed 7 --format nginx > "$log"
fi
windows=(--every 1m --by path -a count -a 'errors=count_if(status>=500)' -a 'p95(request_time)' -a 'distinct(client)')
now() { date +%s.%N; }

t0=$(now)
logparse "$log" | logwindow "${windows[@]}" > "$work/single.ndjson"
t1=$(now)
# parallel runs each job's command line in a shell: ${windows[*]@Q} quotes every word for it.
parallel --pipe --block "$block" -j "$jobs" "logparse | logwindow ${windows[*]@Q} --partial" < "$log" \
  | logwindow --merge > "$work/sharded.ndjson"
t2=$(now)

sort "$work/single.ndjson" > "$work/single.sorted"
sort "$work/sharded.ndjson" > "$work/sharded.sorted"
if cmp -s "$work/single.sorted" "$work/sharded.sorted"; then
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$(wc -l < "$work/single.ndjson")" -v j="$jobs" 'BEGIN {
    printf "equal: %d window records; one process %.2f s, parallel (%d jobs) %.2f s, speed-up %.2fx\n", n, b - a, j, c - b, (b - a) / (c - b) }'
else
  echo "parallel-shards.sh: the sharded result differs from the single process" >&2
  diff "$work/single.sorted" "$work/sharded.sorted" | head -5 >&2
  exit 1
fi
