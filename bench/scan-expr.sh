#!/bin/sh
# Benchmarks the NDJSON scanner and expression evaluation (release build).
# Builds a throwaway package in a temp dir that compiles Sources/LogKit with
# bench/scan-expr/main.swift (package-level API needs one package).
# Usage: bench/scan-expr.sh [records]   (default 1000000)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${TMPDIR:-/tmp}/logkit-scan-expr-bench
mkdir -p "$WORK/Sources/bench"
ln -sfn "$ROOT/Sources/LogKit" "$WORK/Sources/LogKit"
cp "$ROOT/bench/scan-expr/main.swift" "$WORK/Sources/bench/main.swift"
cat > "$WORK/Package.swift" <<'PKG'
// swift-tools-version: 6.0
import PackageDescription
let package = Package(
  name: "scanexprbench",
  targets: [
    .target(name: "LogKit"),
    .executableTarget(name: "bench", dependencies: ["LogKit"]),
  ],
  swiftLanguageModes: [.v6]
)
PKG
cd "$WORK"
swift build -c release 2>&1 | grep -E "error" && exit 1 || true
"$WORK/.build/release/bench" "${1:-1000000}"
