#!/usr/bin/env bash
# An hourly archive of access records, and the four batch reports over it
# twice: as SQL in DuckDB, which reads the archive's hive-style directories
# (date=.../hour=...) as partitions, and as the logwindow one-liners of
# top-urls.sh, busiest-hours.sh, error-prone-urls.sh and suspicious-clients.sh.
# Each pair is compared; the script exits 1 if any differ.
# Usage: archive-duckdb.sh [ACCESS.log [DIR]]
#   ACCESS.log  a raw access log (default: 6 hours of loggen traffic, seed 7,
#               with a scanner at 10:00 and an error burst at 12:00)
#   DIR         where archive/ and reports/ are written (default: a new temporary directory)
# DuckDB comes from PyPI: when python3 cannot import duckdb, it is installed
# (pip install duckdb) into a venv at $LOGKIT_DUCKDB_VENV (default
# ~/.cache/logkit/duckdb-venv). Exits 3 when DuckDB cannot be had.
set -euo pipefail
export LC_ALL=C
log=""
if [ -n "${1:-}" ]; then log="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; fi
dir="${2:-$(mktemp -d)}"
mkdir -p "$dir" && cd "$dir"

# 1. The archive: each record goes to the file of its hour; files are complete
#    once renamed from .partial (see ARCHIVE in logkit(7)).
if [ -z "$log" ]; then
  loggen --seed 7 --start 2026-12-01T08:00:00Z --rate 2 --duration 6h --clients 300 \
    --incident 'scanner client=203.0.113.9 rate=3 at=2h for=20m' \
    --incident 'errors path=/api/v1/cart status=503 ratio=0.6 at=4h for=30m' > access.log
  log=access.log
fi
rm -rf archive reports && mkdir reports
logparse --split-by-time 'archive/date=%Y-%m-%d/hour=%H/access-%Y%m%d%H.ndjson' "$log"

# 2. DuckDB, from PyPI if python3 does not have it yet.
py=python3
if ! command -v python3 > /dev/null; then echo "archive-duckdb.sh: python3 is needed for DuckDB" >&2; exit 3; fi
if ! python3 -c 'import duckdb' 2> /dev/null; then
  venv="${LOGKIT_DUCKDB_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/logkit/duckdb-venv}"
  if ! "$venv/bin/python" -c 'import duckdb' 2> /dev/null; then
    echo "archive-duckdb.sh: installing duckdb from PyPI into $venv" >&2
    if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q duckdb; } >&2; then
      echo "archive-duckdb.sh: cannot install duckdb (python3 -m venv, pip install duckdb)" >&2
      exit 3
    fi
  fi
  py="$venv/bin/python"
fi

# sql QUERY: its rows as tab-separated lines, over the view `access` (the whole archive).
sql() {
  "$py" -c '
import duckdb, sys
duckdb.sql("SET TimeZone = '"'UTC'"'")
duckdb.sql("CREATE VIEW access AS SELECT * FROM read_ndjson('"'archive/*/*/*.ndjson'"', hive_partitioning = true)")
for row in duckdb.sql(sys.argv[1]).fetchall(): print("\t".join(str(v) for v in row))' "$1"
}
# tsv FIELD...: those fields of each NDJSON record, tab-separated.
tsv() { "$py" -c 'import json, sys
for l in sys.stdin: r = json.loads(l); print("\t".join(str(r[k]) for k in sys.argv[1:]))' "$@"; }
# The archive as one stream, hour after hour (what logwindow reads).
records() { cat archive/*/*/*.ndjson; }
tab="$(printf '\t')"

# 3. Top URLs: the 10 most requested paths.
sql "SELECT path, count(*) AS requests FROM access GROUP BY path ORDER BY requests DESC, path LIMIT 10" \
  > reports/top-urls.sql.tsv
records | logwindow --window all --by path -a requests=count | tsv path requests |
  sort -t"$tab" -k2,2nr -k1,1 | head -10 > reports/top-urls.logwindow.tsv

# 4. Busiest hours: requests per hour (the hour partition column), busiest 5.
sql "SELECT date || 'T' || hour AS hour, count(*) AS requests FROM access GROUP BY ALL ORDER BY requests DESC, hour LIMIT 5" \
  > reports/busiest-hours.sql.tsv
records | logwindow --every 1h -a requests=count | tsv start requests |
  awk -F"$tab" -v OFS="$tab" '{ print substr($1, 1, 13), $2 }' | sort -t"$tab" -k2,2nr -k1,1 | head -5 \
  > reports/busiest-hours.logwindow.tsv

# 5. Error-prone URLs: paths with server errors (5xx), most first, with their requests.
sql "SELECT path, count(*) FILTER (WHERE status >= 500) AS errors, count(*) AS requests FROM access
     GROUP BY path HAVING errors > 0 ORDER BY errors DESC, path" > reports/error-prone-urls.sql.tsv
records | logwindow --window all --by path -a requests=count -a errors='count_if(status >= 500)' |
  tsv path errors requests | awk -F"$tab" '$2 > 0' | sort -t"$tab" -k2,2nr -k1,1 > reports/error-prone-urls.logwindow.tsv

# 6. Suspicious clients: at least 10 "not found" responses in a 10-minute window.
sql "SELECT strftime(time_bucket(INTERVAL 10 MINUTE, time), '%Y-%m-%dT%H:%M') AS ten_minutes, client,
       count(*) FILTER (WHERE status = 404) AS not_found FROM access
     GROUP BY ALL HAVING not_found >= 10 ORDER BY ten_minutes, client" > reports/suspicious-clients.sql.tsv
records | logwindow --every 10m --by client -a not_found='count_if(status == 404)' | tsv start client not_found |
  awk -F"$tab" -v OFS="$tab" '$3 >= 10 { print substr($1, 1, 16), $2, $3 }' | sort -t"$tab" -k1,1 -k2,2 \
  > reports/suspicious-clients.logwindow.tsv

# 7. Side by side.
status=0
for report in top-urls busiest-hours error-prone-urls suspicious-clients; do
  echo "== $report"
  cat "reports/$report.sql.tsv"
  if cmp -s "reports/$report.sql.tsv" "reports/$report.logwindow.tsv"; then
    echo "-- SQL and logwindow agree ($(wc -l < "reports/$report.sql.tsv") rows)"
  else
    echo "-- SQL and logwindow differ:"; diff "reports/$report.sql.tsv" "reports/$report.logwindow.tsv" || true
    status=1
  fi
done
exit $status
