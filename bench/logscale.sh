#!/usr/bin/env bash
# Benchmark: logscale --simulate over window records (one record per 15 s
# evaluation, a day-shaped rate with noise and a spike), release build, one core.
# Prints seconds and window records/s for: one metric; two metrics; grouped
# input (4 records per evaluation, sum/max across them); and `cat | cat` as
# the floor. The goal is >= 1,000,000 window records/s in --simulate.
#
# Usage: bench/logscale.sh [RECORDS]   (default 2000000)
# Needs python3 (to write the input). Data goes to bench/out/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2000000}"
out=bench/out
mkdir -p "$out"
single="$out/windows-$n.ndjson"
grouped="$out/windows-grouped-$n.ndjson"

swift build -c release --static-swift-stdlib --product logscale >/dev/null
bin=.build/release/logscale

gen() {  # gen RECORDS GROUPS > file: logwindow-shaped records, GROUPS per `end`
  python3 - "$1" "$2" <<'PY'
import sys, math, random, datetime
n, groups = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(1)
t0 = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
out = sys.stdout
paths = ["/", "/api/items", "/static/app.js", "/login"]
for i in range(n // groups):
    start = t0 + datetime.timedelta(seconds=15 * i)
    end = start + datetime.timedelta(seconds=15)
    day = (15 * i % 86400) / 86400
    rate = 3000 * (0.6 - 0.4 * math.cos(2 * math.pi * day)) * (1 + rng.uniform(-0.3, 0.3))
    if 0.58 < day < 0.6:
        rate *= 4
    s, e = start.strftime("%Y-%m-%dT%H:%M:%SZ"), end.strftime("%Y-%m-%dT%H:%M:%SZ")
    for g in range(groups):
        count = int(rate / groups)
        p95 = round(0.05 + 0.2 * rng.random(), 3)
        if groups == 1:
            out.write(f'{{"start":"{s}","end":"{e}","count":{count},"p95_request_time":{p95}}}\n')
        else:
            out.write(f'{{"start":"{s}","end":"{e}","path":"{paths[g % 4]}","count":{count},"p95_request_time":{p95}}}\n')
PY
}
[ -s "$single" ] || gen "$n" 1 > "$single"
[ -s "$grouped" ] || gen "$n" 4 > "$grouped"
echo "input: $single ($n records, $(( $(wc -c < "$single") / 1000000 )) MB), $grouped"

. bench/lib.sh
report() {  # name seconds records
  python3 -c "import sys; s=float(sys.argv[2]); n=int(sys.argv[3]); print(f'{sys.argv[1]:<44} {s:8.3f} s {n / s / 1e6:8.2f} M window records/s')" "$1" "$2" "$3"
}

cat_run() { cat "$single" | cat; }
one_metric() { "$bin" -m 'rps=count/15' --target 20 --max 500 --simulate "$single"; }
two_metrics() {
  "$bin" -m 'rps=count/15' --target 20 -m 'p95=p95_request_time' --target 0.3 --type value --max 500 --simulate "$single"
}
grouped_run() {
  "$bin" -m 'rps=sum(count)/15' --target 20 -m 'p95=max(p95_request_time)' --target 0.3 --type value --max 500 --simulate "$grouped"
}
report "cat | cat > /dev/null" "$(median_seconds 5 cat_run)" "$n"
report "logscale --simulate, 1 metric" "$(median_seconds 5 one_metric)" "$n"
report "logscale --simulate, 2 metrics" "$(median_seconds 5 two_metrics)" "$n"
report "logscale --simulate, 4 groups per end, sum+max" "$(median_seconds 5 grouped_run)" "$n"
"$bin" -m 'rps=count/15' --target 20 --max 500 --simulate --stats "$single" 2>&1 >/dev/null | tail -1
