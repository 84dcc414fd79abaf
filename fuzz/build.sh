#!/bin/sh
# Builds the one libFuzzer binary: the sources of LogKit, the fuzz targets'
# checks (Tests/Support/Fuzz/, shared with the tests) and fuzz/Main.swift as
# one module (their `import LogKit` is dropped), so the library compiles once.
#   fuzz/build.sh               build $TMPDIR/logkit-fuzz/logkit-fuzz
#   fuzz/build.sh --typecheck   type-check the same sources only (CI without libFuzzer)
# Run a target with FUZZ_TARGET=<name> (see fuzz/README.md, fuzz/campaign.sh):
#   FUZZ_TARGET=clf $TMPDIR/logkit-fuzz/logkit-fuzz -max_total_time=60 corpus/
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${TMPDIR:-/tmp}/logkit-fuzz
mkdir -p "$WORK"
# A snapshot of the sources, so editing them during the (long) build does not fail it.
rm -rf "$WORK/src" && mkdir -p "$WORK/src" && cp -R "$ROOT/Sources/LogKit" "$WORK/src/LogKit"
mkdir -p "$WORK/src/fuzz"
for f in "$ROOT"/Tests/Support/Fuzz/*.swift "$ROOT"/fuzz/Main.swift; do
  grep -v '^import LogKit$' "$f" > "$WORK/src/fuzz/$(basename "$f")"
done
flags="-parse-as-library -swift-version 6 -package-name logkit -module-name LogKitFuzz"
# shellcheck disable=SC2046,SC2086
if [ "${1:-}" = --typecheck ]; then
  swiftc -typecheck $flags $(find "$WORK/src" -name '*.swift')
  echo "fuzz sources type-check"
  exit 0
fi
rm -f "$WORK/logkit-fuzz"
# shellcheck disable=SC2046,SC2086
swiftc -O -sanitize=fuzzer,address $flags $(find "$WORK/src" -name '*.swift') -o "$WORK/logkit-fuzz" 2>&1 | grep -v "ld.gold: warning" || true
[ -x "$WORK/logkit-fuzz" ] || { echo "fuzz/build.sh: build of logkit-fuzz failed" >&2; exit 1; }
echo "built $WORK/logkit-fuzz"
