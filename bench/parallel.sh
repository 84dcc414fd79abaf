#!/usr/bin/env bash
# GNU parallel speed-up: one `logparse | logwindow` against the same work cut
# into 16 MiB blocks, each block parsed and aggregated by its own
# `logparse | logwindow --partial`, combined by `logwindow --merge` (as in
# examples/parallel-shards.sh). Two ways of cutting: `--pipe` (parallel's perl
# copies every byte through a pipe) and `--pipepart -a FILE` (each job reads
# its part of the file itself). Every result is checked equal to the single
# run's. Paired, interleaved rounds; speed-ups are medians of the per-round
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

windows=(--every 1m --by path -a count -a 'errors=count_if(status>=500)' -a 'p95(request_time)' -a 'distinct(client)')
shard="logparse | logwindow ${windows[*]@Q} --partial"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seconds() { local s e; s=$(date +%s.%N); "$@"; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }'; }
single() { logparse "$log" | logwindow "${windows[@]}" > "$work/single.ndjson"; }
pipe() { parallel --pipe --block 16M -j "$jobs" "$shard" < "$log" | logwindow --merge > "$work/pipe.ndjson"; }
pipepart() { parallel --pipepart -a "$log" --block 16M -j "$jobs" "$shard" | logwindow --merge > "$work/pipepart.ndjson"; }

t_single=() t_pipe=() t_part=() r_pipe=() r_part=()
for ((r = 1; r <= rounds; r++)); do
  a=$(seconds single); b=$(seconds pipe); c=$(seconds pipepart)
  for form in pipe pipepart; do
    cmp -s <(sort "$work/single.ndjson") <(sort "$work/$form.ndjson") || { echo "bench/parallel.sh: --$form result differs" >&2; exit 1; }
  done
  t_single+=("$a") t_pipe+=("$b") t_part+=("$c")
  r_pipe+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')") r_part+=("$(awk -v a="$a" -v c="$c" 'BEGIN { printf "%.2f", a / c }')")
done
records=$(wc -l < "$work/single.ndjson")
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

{
  echo "bench/parallel.sh $rounds $lines ($(date -u '+%Y-%m-%d %H:%M UTC'), $jobs cores, load before: $(cut -d' ' -f1 /proc/loadavg), $rounds paired rounds, medians)"
  echo
  echo "| $lines nginx lines -> 1-minute windows by path (count, errors, p95, distinct), $records records, equal results | time | speed-up |"
  echo "|---|---|---|"
  echo "| one process: logparse \\| logwindow | $(median "${t_single[@]}") s | |"
  echo "| parallel --pipe --block 16M -j $jobs, then logwindow --merge | $(median "${t_pipe[@]}") s | $(median "${r_pipe[@]}")x |"
  echo "| parallel --pipepart -a LOG --block 16M -j $jobs, then logwindow --merge | $(median "${t_part[@]}") s | $(median "${r_part[@]}")x |"
} | tee bench/results/parallel.md
