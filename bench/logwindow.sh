#!/usr/bin/env bash
# Benchmark: logwindow against DuckDB and Polars (and jq on a 100k slice) on
# the same logparse-style NDJSON, same query:
#   per 1-minute window and path: count, count of status >= 500, p95(bytes),
#   distinct(client)
# Prints seconds, records/s and ratios, then peak RSS of logwindow for 1 M
# and 10 M records (the 1 M file fed 10 times, each copy shifted by a day).
#
# Usage: bench/logwindow.sh [RECORDS]   (default 1000000)
# Needs python3; DuckDB and Polars come from PyPI (pip install duckdb polars)
# and are skipped when missing. Data goes to bench/out/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
out=bench/out
mkdir -p "$out"
data="$out/access-$n.ndjson"

swift build -c release --product logwindow >/dev/null
bin=.build/release/logwindow
[ -s "$data" ] || python3 bench/logwindow-gen.py "$n" > "$data"
size=$(wc -c < "$data")
echo "input: $data ($n records, $((size / 1000000)) MB)"

. bench/lib.sh

report() {  # name seconds records; the ratio is time per record relative to logwindow
  python3 - "$1" "$2" "$3" "$logwindow_s" "$n" <<'PY'
import sys
name, s, n, ref, ref_n = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
ratio = f"{(s / n) / (float(ref) / ref_n):7.2f}x logwindow's time per record" if ref else ""
print(f"{name:<28} {s:8.3f} s {n / s / 1e6:8.2f} M records/s  {ratio}")
PY
}

logwindow_s=""
# `cat file > /dev/null` may not read at all (splice); a pipe forces the read.
cat_run() { cat "$data" | cat; }
cat_s=$(median_seconds 5 cat_run)
logwindow_run() {
  "$bin" --every 1m --by path -a count -a errors='count_if(status>=500)' -a 'p95(bytes)' -a 'distinct(client)' "$data"
}
logwindow_s=$(median_seconds 5 logwindow_run)
report "cat | cat > /dev/null" "$cat_s" "$n"
report "logwindow (1 core)" "$logwindow_s" "$n"

cat > "$out/duckdb_query.py" <<'PY'
import sys, duckdb
path, threads = sys.argv[1], int(sys.argv[2])
con = duckdb.connect()
con.execute(f"SET threads = {threads}")
con.execute(f"""
COPY (
  SELECT time_bucket(INTERVAL 1 minute, CAST(time AS TIMESTAMP)) AS start, path,
         count(*) AS count, count_if(status >= 500) AS errors,
         approx_quantile(bytes, 0.95) AS p95_bytes, approx_count_distinct(client) AS distinct_client
  FROM read_ndjson('{path}', columns = {{time: 'VARCHAR', path: 'VARCHAR', status: 'INTEGER', bytes: 'BIGINT', client: 'VARCHAR'}})
  GROUP BY ALL ORDER BY start, path
) TO '/dev/stdout' (FORMAT json)
""")
PY
cat > "$out/polars_query.py" <<'PY'
import sys
import polars as pl
path = sys.argv[1]
schema = {"time": pl.String, "path": pl.String, "status": pl.Int64, "bytes": pl.Int64, "client": pl.String}
q = (pl.scan_ndjson(path, schema=schema)
     .with_columns(pl.col("time").str.to_datetime("%Y-%m-%dT%H:%M:%SZ").dt.truncate("1m").alias("start"))
     .group_by("start", "path")
     .agg(pl.len().alias("count"), (pl.col("status") >= 500).sum().alias("errors"),
          pl.col("bytes").quantile(0.95).alias("p95_bytes"), pl.col("client").approx_n_unique().alias("distinct_client"))
     .sort("start", "path"))
q.collect().write_ndjson(sys.stdout)
PY
if python3 -c "import duckdb" 2>/dev/null; then
  for t in 1 2; do report "DuckDB ($t thread$([ $t = 2 ] && echo s))" "$(median_seconds 5 python3 "$out/duckdb_query.py" "$data" $t)" "$n"; done
else
  echo "DuckDB: not installed (pip install duckdb)"
fi
if python3 -c "import polars" 2>/dev/null; then
  for t in 1 2; do
    report "Polars ($t thread$([ $t = 2 ] && echo s))" "$(POLARS_MAX_THREADS=$t median_seconds 5 python3 "$out/polars_query.py" "$data")" "$n"
  done
else
  echo "Polars: not installed (pip install polars)"
fi
if command -v jq > /dev/null; then
  head -100000 "$data" > "$out/access-100k.ndjson"
  jq_run() {
    jq -s -c 'group_by(.time[0:16], .path)[] | {start: .[0].time[0:16], path: .[0].path, count: length,
      errors: (map(select(.status >= 500)) | length), p95_bytes: (map(.bytes) | sort | .[(length - 1) * 0.95 | floor]),
      distinct_client: (map(.client) | unique | length)}' "$out/access-100k.ndjson"
  }
  s=$(date +%s.%N); jq_run > /dev/null; e=$(date +%s.%N)
  report "jq (100k records only)" "$(python3 -c "print($e - $s)")" 100000
fi

if python3 -c "import duckdb" 2>/dev/null; then
  # Accuracy on the 100k slice against DuckDB's exact aggregates.
  head -100000 "$data" > "$out/access-100k.ndjson"
  "$bin" --every 1m --by path -a count -a errors='count_if(status>=500)' -a 'p95(bytes)' -a 'distinct(client)' \
    "$out/access-100k.ndjson" > "$out/logwindow-100k.ndjson"
  python3 - "$out" <<'PY'
import json, sys, duckdb
out = sys.argv[1]
rows = duckdb.sql(f"""SELECT strftime(time_bucket(INTERVAL 1 minute, CAST(time AS TIMESTAMP)), '%Y-%m-%dT%H:%M:%SZ'), path,
  count(*), count_if(status >= 500), quantile_disc(bytes, 0.95), count(DISTINCT client)
  FROM read_ndjson('{out}/access-100k.ndjson', columns = {{time: 'VARCHAR', path: 'VARCHAR', status: 'INTEGER', bytes: 'BIGINT', client: 'VARCHAR'}})
  GROUP BY ALL""").fetchall()
truth = {(r[0], r[1]): r[2:] for r in rows}
mine = [json.loads(line) for line in open(f"{out}/logwindow-100k.ndjson")]
exact = sum(1 for r in mine if truth.get((r["start"], r["path"]), (None,) * 4)[0:2] == (r["count"], r["errors"]))
p95 = max(abs(r["p95_bytes"] - truth[(r["start"], r["path"])][2]) / truth[(r["start"], r["path"])][2] for r in mine)
dist = max(abs(r["distinct_client"] - truth[(r["start"], r["path"])][3]) / truth[(r["start"], r["path"])][3] for r in mine)
print(f"accuracy vs DuckDB exact (100k): {len(mine)} of {len(truth)} groups, count/errors equal in {exact}, "
      f"max p95 relative error {p95:.4%}, max distinct relative error {dist:.4%}")
PY
fi

echo "peak RSS of logwindow (same query):"
rss1=$( { /usr/bin/time -f "%M" "$bin" --every 1m --by path -a count -a errors='count_if(status>=500)' -a 'p95(bytes)' -a 'distinct(client)' "$data" > /dev/null; } 2>&1 | tail -1)
rss10=$( { for k in 0 1 2 3 4 5 6 7 8 9; do sed "s/\"time\":\"2024-01-01T/\"time\":\"2024-01-$(printf %02d $((k + 1)))T/" "$data"; done |
  /usr/bin/time -f "%M" "$bin" --every 1m --by path -a count -a errors='count_if(status>=500)' -a 'p95(bytes)' -a 'distinct(client)' > "$out/10x.ndjson"; } 2>&1 | tail -1)
echo "  $n records: $((rss1 / 1024)) MB;  $((n * 10)) records: $((rss10 / 1024)) MB ($(wc -l < "$out/10x.ndjson") window records)"
