#!/usr/bin/env bash
# Throughput of logparse against `cat` and peer tools on one 1,000,000-line combined log.
#
#   bench/logparse.sh [LINES]
#
# Generates bench/out/combined.log (deterministic, ~220 MB) once, builds logparse in
# release with the Swift runtime linked statically, then runs on the same file:
# cat > /dev/null, logparse > /dev/null, logparse > file, a Python regex parser that
# writes the same JSON (bench/py_regex_parse.py), Polars regex extraction
# (bench/polars_regex.py) and goaccess (batch JSON report). Installs polars (pip),
# goaccess, hyperfine and GNU time (apt) when missing. Prints lines/s, MB/s and ratios, the
# peak RSS of logparse, and the start-up time of `logparse --version`.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-1000000}
out=bench/out
mkdir -p "$out"
log="$out/combined.log"
if [[ ! -s $log || $(wc -l < "$log") -ne $lines ]]; then
  echo "generating $lines lines into $log" >&2
  python3 bench/gen_combined.py "$lines" "$log"
fi
bytes=$(stat -c %s "$log")

swift build -c release --static-swift-stdlib --product logparse >&2
bin=.build/release/logparse

python3 -c 'import polars' 2>/dev/null || pip install --quiet polars >&2 || echo "polars unavailable" >&2
if ! command -v goaccess >/dev/null || ! command -v hyperfine >/dev/null || [[ ! -x /usr/bin/time ]]; then
  (apt-get update -qq && apt-get install -y -qq goaccess hyperfine time bc) >&2 || echo "apt install failed" >&2
fi

now() { date +%s.%N; }
declare -A took cpu
# Runs a command (a bash -c string) $2 times and keeps the best wall time (and its
# user+system CPU time, steadier on a shared machine).
measure() {
  local name=$1 runs=$2 cmd=$3 best="" best_cpu=""
  for ((i = 0; i < runs; i++)); do
    local t0 t1 d c u s
    t0=$(now)
    /usr/bin/time -f "%U %S" -o "$out/time.txt" bash -c "$cmd"
    t1=$(now)
    d=$(echo "$t1 - $t0" | bc -l)
    read -r u s < "$out/time.txt"
    c=$(echo "$u + $s" | bc -l)
    if [[ -z $best ]] || (( $(echo "$d < $best" | bc -l) )); then best=$d; best_cpu=$c; fi
  done
  took[$name]=$best
  cpu[$name]=$best_cpu
}

cat "$log" > /dev/null
measure cat 3 "cat '$log' > /dev/null"
measure "logparse >/dev/null" 3 "'$bin' '$log' > /dev/null"
measure "logparse >file" 3 "'$bin' '$log' > '$out/logparse.ndjson'"
measure "python regex" 1 "python3 bench/py_regex_parse.py '$log' > '$out/python.ndjson'"
if python3 -c 'import polars' 2>/dev/null; then
  measure "polars regex" 1 "python3 bench/polars_regex.py '$log' 2>/dev/null"
fi
if command -v goaccess >/dev/null; then
  measure goaccess 1 "goaccess '$log' --log-format=COMBINED --no-global-config -o '$out/goaccess.json' > /dev/null 2>&1"
fi
if cmp -s "$out/python.ndjson" "$out/logparse.ndjson"; then same="identical"; else same="DIFFERENT"; fi

lp=${took["logparse >/dev/null"]}
printf '\n%d lines, %.1f MB (%s)\n' "$lines" "$(echo "$bytes / 1000000" | bc -l)" "$log"
printf '%-22s %9s %9s %12s %9s %12s\n' tool "wall s" "cpu s" lines/s MB/s "logparse is"
for name in cat "logparse >/dev/null" "logparse >file" "python regex" "polars regex" goaccess; do
  [[ -n ${took[$name]:-} ]] || continue
  t=${took[$name]}
  printf '%-22s %9.3f %9.3f %12.0f %9.1f %11.1fx\n' "$name" "$t" "${cpu[$name]}" "$(echo "$lines / $t" | bc -l)" \
    "$(echo "$bytes / $t / 1000000" | bc -l)" "$(echo "$t / $lp" | bc -l)"
done
echo "python and logparse JSON output: $same"

rss=$(/usr/bin/time -v "$bin" "$log" 2>&1 >/dev/null | awk -F: '/Maximum resident/ { gsub(/ /, "", $2); print $2 }')
echo "logparse peak RSS: ${rss} KB"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 20 --runs 200 -N "$bin --version" 2>/dev/null | grep -E 'Time|Range' || true
else
  t0=$(now); for _ in $(seq 200); do "$bin" --version > /dev/null; done; t1=$(now)
  printf 'logparse --version: %.2f ms per run (200-run loop, includes fork/exec)\n' "$(echo "($t1 - $t0) * 5" | bc -l)"
fi
