#!/usr/bin/env bash
# GNU parallel speed-up: one `logparse | logwindow` against the same work cut
# into 16 MiB blocks by `parallel --pipe`, each block parsed and aggregated by
# its own `logparse | logwindow --partial`, combined by `logwindow --merge`
# (examples/parallel-shards.sh, which also checks the two results are equal).
# Paired, interleaved rounds; the speed-up is the median of the per-round
# ratios. Release build, on whatever cores the machine has.
#
# Usage: bench/parallel.sh [ROUNDS [LINES]]   (default 5 rounds, 2,000,000 lines)
# Writes bench/results/parallel.md.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
lines=${2:-2000000}
command -v parallel > /dev/null || { echo "bench/parallel.sh: needs GNU parallel (apt-get install parallel)" >&2; exit 1; }
[ "${SKIP_BUILD:-}" = 1 ] || scripts/build-release > /dev/null
export PATH=$PWD/.build/release:$PATH
mkdir -p bench/out bench/results
log=bench/out/parallel-$lines.log
[ -s "$log" ] || loggen --rate max --count "$lines" --start 2025-07-01T00:00:00Z --seed 7 --format nginx > "$log"
jobs=$(nproc)

ratios=() singles=() shardeds=()
for ((r = 1; r <= rounds; r++)); do
  # "equal: N window records; one process A s, parallel (J jobs) B s, speed-up Cx"
  line=$(examples/parallel-shards.sh "$log" "$jobs" 16M)
  case $line in equal:*) ;; *) echo "bench/parallel.sh: results differ: $line" >&2; exit 1 ;; esac
  singles+=("$(sed -E 's/.*one process ([0-9.]+) s.*/\1/' <<< "$line")")
  shardeds+=("$(sed -E 's/.*jobs\) ([0-9.]+) s.*/\1/' <<< "$line")")
  ratios+=("$(sed -E 's/.*speed-up ([0-9.]+)x.*/\1/' <<< "$line")")
  records=$(sed -E 's/equal: ([0-9]+) window.*/\1/' <<< "$line")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

{
  echo "bench/parallel.sh $rounds $lines ($(date -u '+%Y-%m-%d %H:%M UTC'), $jobs cores, $rounds paired rounds, medians)"
  echo
  echo "| work | one process | parallel --pipe --block 16M -j $jobs, then --merge | speed-up |"
  echo "|---|---|---|---|"
  echo "| $lines nginx lines -> 1-minute windows by path (count, errors, p95, distinct), $records records, equal results | $(median "${singles[@]}") s | $(median "${shardeds[@]}") s | $(median "${ratios[@]}")x |"
} | tee bench/results/parallel.md
