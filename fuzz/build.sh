#!/bin/sh
# Builds the libFuzzer entry points (fuzz/*Fuzz.swift) together with the
# sources of LogKit as one module (the entry's `import LogKit` is dropped),
# then optionally runs one for a while:
#   fuzz/build.sh                 build all into $TMPDIR/logkit-fuzz
#   fuzz/build.sh NDJSONFuzz 60   build, then fuzz the NDJSON scanner for 60 s
#   fuzz/build.sh PartialFuzz 600 build, then fuzz logwindow --merge for 10 min
# Seeds for NDJSONFuzz come from Tests/Fixtures/json/pass, for PartialFuzz
# from Tests/Fixtures/logwindow/partial-seeds (keep what it finds there).
# FUZZ_ENTRIES=PartialFuzz builds only that entry.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${TMPDIR:-/tmp}/logkit-fuzz
mkdir -p "$WORK"
# A snapshot of the sources, so editing them during the (long) build does not fail it.
rm -rf "$WORK/src" && cp -R "$ROOT/Sources/LogKit" "$WORK/src"
for entry in ${FUZZ_ENTRIES:-NDJSONFuzz ExprFuzz PartialFuzz}; do
  grep -v '^import LogKit$' "$ROOT/fuzz/$entry.swift" > "$WORK/$entry.swift"
  rm -f "$WORK/$entry"
  # shellcheck disable=SC2046
  swiftc -O -parse-as-library -sanitize=fuzzer,address -swift-version 6 -package-name logkit -module-name "$entry" \
    $(find "$WORK/src" -name '*.swift') "$WORK/$entry.swift" -o "$WORK/$entry" 2>&1 | grep -v "ld.gold: warning" || true
  [ -x "$WORK/$entry" ] || { echo "build of $entry failed" >&2; exit 1; }
done
echo "built in $WORK: ${FUZZ_ENTRIES:-NDJSONFuzz ExprFuzz PartialFuzz}"
if [ $# -ge 1 ]; then
  mkdir -p "$WORK/corpus-$1"
  if [ "$1" = NDJSONFuzz ]; then cp "$ROOT"/Tests/Fixtures/json/pass/*.json "$WORK/corpus-$1/"; fi
  if [ "$1" = PartialFuzz ]; then cp "$ROOT"/Tests/Fixtures/logwindow/partial-seeds/* "$WORK/corpus-$1/"; fi
  # Partial records with a dense HLL state are over 16 KiB: let inputs grow that far.
  max_len=4096
  if [ "$1" = PartialFuzz ]; then max_len=40000; fi
  "$WORK/$1" -max_total_time="${2:-60}" -max_len="$max_len" "$WORK/corpus-$1"
fi
