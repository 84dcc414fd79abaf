#!/usr/bin/env bash
# logalert throughput and memory (release build): window records for KEYS
# distinct paths over enough windows for RECORDS records, through 5 rules
# with `by` keys and detector functions; prints records/s, the ratio to
# `cat > /dev/null`, and the peak RSS.
#   bench/logalert.sh [RECORDS=2000000] [KEYS=100000]
# Paired comparison: BINS="old/logalert new/logalert" RUNS=5 bench/logalert.sh
# runs the binaries in turn RUNS times on the same input and prints, per
# binary, the median wall and CPU (user + sys) seconds, records/s by each,
# and the largest peak RSS (no build; CPU time is steadier than wall time
# on a shared machine).
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-2000000}
keys=${2:-100000}
if [ -z "${BINS:-}" ]; then
  scripts/build-release logalert >/dev/null
  BINS="$(swift build -c release --show-bin-path)/logalert"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$records" "$keys" > "$tmp/windows.ndjson" <<'PY'
import sys, random
records, keys = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(1)
out = sys.stdout
w = 0
n = 0
while n < records:
    start = f"2025-07-01T{w // 60 % 24:02d}:{w % 60:02d}:00Z"
    end_minute = w + 1
    end = f"2025-07-0{1 + end_minute // 1440}T{end_minute // 60 % 24:02d}:{end_minute % 60:02d}:00Z"
    for k in range(min(keys, records - n)):
        count = 100 + rng.randrange(20)
        errors = rng.randrange(3)
        out.write(f'{{"start":"{start}","end":"{end}","path":"/p{k}","count":{count},"errors":{errors},"p95_request_time":{0.1 + rng.random() / 50:.4f}}}\n')
    n += min(keys, records - n)
    w += 1
PY
cat > "$tmp/bench.rules" <<'R'
errors: errors / count > 0.1 and errors >= 5 by path
busy: count > 1000 by path
traffic: anomaly(count) >= 0.5 by path
slow: mad_score(p95_request_time, 30) > 6 and count >= 20 by path
jump: zscore(count) > 6 or change(count) > 5 by path
R
size=$(stat -c %s "$tmp/windows.ndjson")
echo "input: $records window records, $keys keys, $((size / 1048576)) MiB"
t0=$(date +%s.%N); cat "$tmp/windows.ndjson" > /dev/null; t1=$(date +%s.%N)
echo "cat: $(awk -v r="$records" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.0f", r / (e - s) }') records/s"
for ((run = 0; run < ${RUNS:-1}; run++)); do
  n=0
  for bin in $BINS; do
    /usr/bin/time -f "%e %U %S %M" -a -o "$tmp/times.$n" "$bin" --rules "$tmp/bench.rules" "$tmp/windows.ndjson" > "$tmp/alerts.$n"
    n=$((n + 1))
  done
done
n=0
for bin in $BINS; do
  events=$(wc -l < "$tmp/alerts.$n")
  cmp -s "$tmp/alerts.0" "$tmp/alerts.$n" || events="$events (differ from the first binary's)"
  awk -v r="$records" -v bin="$bin" -v events="$events" '
    { wall[NR] = $1; cpu[NR] = $2 + $3; if ($4 > rss) rss = $4 }
    function median(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END {
      w = median(wall, NR); c = median(cpu, NR)
      printf "%s: %d runs, median %.2f s wall (%.0f records/s), %.2f s CPU (%.0f records/s), %d events, max RSS %d KiB\n", bin, NR, w, r / w, c, r / c, events, rss
    }' "$tmp/times.$n"
  n=$((n + 1))
done
