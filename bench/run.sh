#!/usr/bin/env bash
# The speed table: every comparison of logkit against `cat`, a minimal
# scanner and peers (DuckDB, Polars, goaccess, Python), run side by side on
# the same data with paired, interleaved runs, as one table of medians and
# ratios (also written to bench/results/speed-MODE.md).
#
#   bench/run.sh [quick|full]
#
# quick: 1 M-record data sets, 3 rounds (~10 min). full: 7 rounds, and adds
# the 10 M-record logwindow run with its peak RSS (~40 min).
# Builds the release binaries (static Swift runtime, as users get them) and
# bench/minimal-scanner; generates the data under bench/out/ once; installs
# DuckDB and Polars from PyPI and goaccess from Debian when missing (their
# rows are left out when that fails).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"
case "$mode" in quick | full) ;; *) echo "run.sh: the mode is quick or full" >&2; exit 2 ;; esac
out=bench/out
mkdir -p "$out" bench/results
[ -n "${SKIP_BUILD:-}" ] || scripts/build-release > /dev/null
swiftc -O bench/minimal-scanner/main.swift -o "$out/minimal-scanner"
python3 -c 'import duckdb, polars' 2> /dev/null || pip install --quiet duckdb polars >&2 || echo "run.sh: DuckDB/Polars not installed; their rows are left out" >&2
if ! command -v goaccess > /dev/null && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq goaccess) > /dev/null 2>&1 || echo "run.sh: goaccess not installed; its row is left out" >&2
fi
[ -s "$out/combined.log" ] && [ "$(wc -l < "$out/combined.log")" -eq 1000000 ] || python3 bench/gen_combined.py 1000000 "$out/combined.log"
[ -s "$out/access-1000000.ndjson" ] || python3 bench/logwindow-gen.py 1000000 > "$out/access-1000000.ndjson"
[ -s "$out/access-high-1000000.ndjson" ] || python3 bench/logwindow-gen.py 1000000 0 high > "$out/access-high-1000000.ndjson"
[ -s "$out/parsed.ndjson" ] || .build/release/logparse "$out/combined.log" > "$out/parsed.ndjson"
if [ "$mode" = full ] && [ ! -s "$out/access-10000000.ndjson" ]; then
  for k in 0 1 2 3 4 5 6 7 8 9; do
    sed "s/\"time\":\"2024-01-01T/\"time\":\"2024-01-$(printf %02d $((k + 1)))T/" "$out/access-1000000.ndjson"
  done > "$out/access-10000000.ndjson"
fi
exec python3 bench/run.py "$mode" .build/release "$out"
