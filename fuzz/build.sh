#!/bin/sh
# Builds the libFuzzer entry points (fuzz/*Fuzz.swift) together with the
# sources of LogKit as one module (the entry's `import LogKit` is dropped),
# then optionally runs one for a while:
#   fuzz/build.sh                 build both into $TMPDIR/logkit-fuzz
#   fuzz/build.sh NDJSONFuzz 60   build, then fuzz the NDJSON scanner for 60 s
# Seeds for NDJSONFuzz come from Tests/Fixtures/json/pass.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${TMPDIR:-/tmp}/logkit-fuzz
mkdir -p "$WORK"
for entry in NDJSONFuzz ExprFuzz; do
  grep -v '^import LogKit$' "$ROOT/fuzz/$entry.swift" > "$WORK/$entry.swift"
  # shellcheck disable=SC2046
  swiftc -O -parse-as-library -sanitize=fuzzer,address -swift-version 6 -package-name logkit -module-name "$entry" \
    $(find "$ROOT/Sources/LogKit" -name '*.swift') "$WORK/$entry.swift" -o "$WORK/$entry" 2>&1 | grep -v "ld.gold: warning" || true
done
echo "built: $WORK/NDJSONFuzz $WORK/ExprFuzz"
if [ $# -ge 1 ]; then
  mkdir -p "$WORK/corpus-$1"
  if [ "$1" = NDJSONFuzz ]; then cp "$ROOT"/Tests/Fixtures/json/pass/*.json "$WORK/corpus-$1/"; fi
  "$WORK/$1" -max_total_time="${2:-60}" "$WORK/corpus-$1"
fi
