#!/usr/bin/env bash
# logalert throughput and memory (release build): window records for KEYS
# distinct paths over enough windows for RECORDS records, through 5 rules
# with `by` keys and detector functions; prints records/s, the ratio to
# `cat > /dev/null`, and the peak RSS.
#   bench/logalert.sh [RECORDS=2000000] [KEYS=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-2000000}
keys=${2:-100000}
scripts/build-release >/dev/null
bin=$(swift build -c release --show-bin-path)
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
/usr/bin/time -f "%e s, max RSS %M KiB" -o "$tmp/time" "$bin/logalert" --rules "$tmp/bench.rules" --stats "$tmp/windows.ndjson" > "$tmp/alerts.ndjson"
cat "$tmp/time"
python3 - "$records" "$t0" "$t1" "$(cut -d' ' -f1 "$tmp/time")" "$(wc -l < "$tmp/alerts.ndjson")" <<'PY'
import sys
records, t0, t1, secs, events = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
print(f"logalert: {records / secs:,.0f} records/s ({events} events); cat: {records / max(t1 - t0, 1e-6):,.0f} records/s, ratio {(t1 - t0) / secs:.3f}")
PY
