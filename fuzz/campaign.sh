#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS each, two at a time,
# under `nice -n 19`, with libFuzzer's fork mode so a finding does not end the
# run. Corpora start from the target's seeds (FuzzTarget.seeds: golden cases'
# inputs, fixture folders) and its regression inputs (Tests/Fixtures/fuzz/<target>/).
#   fuzz/campaign.sh                 all targets, 660 s each
#   SECONDS_PER_TARGET=60 fuzz/campaign.sh clf json
# Needs fuzz/build.sh first. Writes under $TMPDIR/logkit-fuzz/campaign/:
# <target>.log (libFuzzer's output), findings/<target>/ (crash-, timeout-,
# oom- inputs) and summary.tsv (target, seconds, execs, cov, ft, findings).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${TMPDIR:-/tmp}/logkit-fuzz
BIN=$WORK/logkit-fuzz
SECS=${SECONDS_PER_TARGET:-660}
JOBS=${FUZZ_JOBS:-2}
OUT=${FUZZ_CAMPAIGN_DIR:-$WORK/campaign}
# The Swift runtime's backtracer hangs under ASan on a trap: libFuzzer reports instead.
export SWIFT_BACKTRACE=enable=no
[ -x "$BIN" ] || { echo "campaign.sh: $BIN missing: run fuzz/build.sh first" >&2; exit 1; }
mkdir -p "$OUT"
# Fork mode starts its workers by path: run a copy, so fuzz/build.sh may rebuild meanwhile.
cp "$BIN" "$OUT/logkit-fuzz" && BIN=$OUT/logkit-fuzz
# "NAME MAX_LEN SEED_FOLDER..." of each target, from the binary's own table.
table=$(FUZZ_LIST=1 "$BIN" 2>&1 | sed -n 's/^target //p')
if [ $# -gt 0 ]; then table=$(printf '%s\n' "$table" | grep -E "^($(IFS='|'; echo "$*")) "); fi

seed_corpus() {  # name seeds...
  local dir=$OUT/corpus/$1; shift
  mkdir -p "$dir"
  for seed in "$@"; do
    local src=$ROOT/Tests/Fixtures/$seed
    [ -d "$src" ] || continue
    if [ -e "$src/args" ]; then cp "$src"/input.* "$dir/" 2>/dev/null || true
    else find "$src" -maxdepth 1 -type f ! -name '*.md' -exec cp {} "$dir/" \;; fi
    # golden-case folders below a fixture folder (logparse/0001-...) give their inputs too
    for case in "$src"/*/; do [ -e "$case/args" ] && cp "$case"/input.* "$dir/" 2>/dev/null; done
  done
  return 0
}

# ../shared/data (when present, see its README.md): real log heads and the peer
# parsers' test vectors as extra seeds (vectors: a format line first for apache/nginx).
shared_seeds() {  # name
  local data=$ROOT/../shared/data dir=$OUT/corpus/$1
  [ -d "$data" ] && command -v python3 > /dev/null || return 0
  python3 - "$1" "$data" "$dir" <<'PY'
import json, os, sys
name, data, out = sys.argv[1:]
def put(i, text): open(os.path.join(out, "shared-%03d" % i), "w").write(text)
if name in ("clf", "auto"):
    for i, log in enumerate(["apache/apache_logs", "nasa/NASA_access_log_Jul95.rex-sample1000.log", "nginx/lnav_logfile_shop_access_log.0.log"]):
        lines = open(os.path.join(data, log), errors="replace").read().split("\n")
        for k in range(3): put(i * 3 + k, "\n".join(lines[k * 10:(k + 1) * 10]) + "\n")
for i, line in enumerate(open(os.path.join(data, "peer-vectors.jsonl"))):
    v = json.loads(line)
    fmt, text = v.get("format", ""), v.get("line", "")
    if name in ("clf", "auto"): put(100 + i, text + "\n")
    elif name == "apache" and "%" in fmt and "(" not in fmt: put(100 + i, fmt.split(" = ")[-1] + "\n" + text + "\n")
    elif name == "nginx" and fmt.startswith("$"): put(100 + i, fmt + "\n" + text + "\n")
    elif name == "time" and fmt.startswith("%t"): put(100 + i, text.strip("[]"))
PY
}

run_target() {  # name max_len seeds...
  local name=$1 max_len=$2; shift 2
  seed_corpus "$name" "fuzz/$name" "$@"
  shared_seeds "$name"
  mkdir -p "$OUT/findings/$name"
  local start=$(date +%s)
  FUZZ_TARGET=$name nice -n 19 "$BIN" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$SECS" -timeout="${FUZZ_TIMEOUT:-1}" -rss_limit_mb=2048 -max_len="$max_len" \
    -artifact_prefix="$OUT/findings/$name/" "$OUT/corpus/$name" > "$OUT/$name.log" 2>&1 || true
  local secs=$(( $(date +%s) - start ))
  # Fork mode's status lines: "#EXECS: cov: N ft: N corp: ... exec/s: N oom/timeout/crash: a/b/c time: Ts"
  local last=$(grep -E '^#[0-9]+: cov:' "$OUT/$name.log" | tail -1)
  local execs=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")
  local cov=$(sed -E 's/.* cov: ([0-9]+).*/\1/' <<<"$last")
  local ft=$(sed -E 's/.* ft: ([0-9]+).*/\1/' <<<"$last")
  local eps=$(sed -E 's/.*exec\/s: ([0-9]+).*/\1/' <<<"$last")
  local found=$(find "$OUT/findings/$name" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$secs" "${execs:-0}" "${eps:-0}" "${cov:-?}" "${ft:-?}" "$found" >> "$OUT/summary.tsv"
  echo "$(date -u +%H:%M:%S) $name: ${secs}s, ${execs:-0} execs (${eps:-0}/s), cov ${cov:-?} ft ${ft:-?}, findings $found"
}

[ -s "$OUT/summary.tsv" ] || printf 'target\tseconds\texecs\texec/s\tcov\tft\tfindings\n' > "$OUT/summary.tsv"
echo "$(date -u +%H:%M:%S) campaign: $(printf '%s\n' "$table" | wc -l) targets, ${SECS}s each, $JOBS at a time"
while read -r name max_len seeds; do
  [ -n "$name" ] || continue
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  # shellcheck disable=SC2086
  run_target "$name" "$max_len" $seeds &
done <<<"$table"
wait
echo "$(date -u +%H:%M:%S) campaign done: $OUT/summary.tsv"
