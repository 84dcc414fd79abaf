// swift-tools-version: 6.0
// logkit: small, fast, composable Unix commands for web-server access logs.
// No third-party packages: the toolchain only.
import PackageDescription

let commands = ["logparse", "loggen", "logwindow", "logalert", "logscale", "logdash"]

let package = Package(
  name: "logkit",
  products: commands.map { .executable(name: $0, targets: [$0]) }
    + [.library(name: "LogKit", targets: ["LogKit"])],
  targets: [
    // The shared library. It imports Glibc only (never Foundation), so the
    // commands link statically and start in about a millisecond.
    // Release builds skip dynamic exclusivity checks: the hot loops mutate
    // OutputSink/FieldTable class fields per byte range, and the runtime
    // checks (swift_beginAccess) cost half of logparse's time. Debug builds,
    // which the tests use, keep them.
    .target(
      name: "LogKit",
      swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
  ]
    + commands.map { .executableTarget(name: $0, dependencies: ["LogKit"]) }
    + [
      // What both test targets share: shell runner, fixtures, golden cases,
      // strict NDJSON decoding, the seeded generator, temporary directories.
      .target(name: "LogKitTestSupport", dependencies: ["LogKit"], path: "Tests/Support"),
      .testTarget(name: "LogKitTests", dependencies: ["LogKit", "LogKitTestSupport"], path: "Tests/LogKitTests"),
      // End-to-end tests run the built binaries; they depend on the
      // executables so `swift test` builds them first.
      .testTarget(
        name: "CommandTests", dependencies: ["LogKit", "LogKitTestSupport"] + commands.map { .target(name: $0) },
        path: "Tests/CommandTests"),
    ],
  swiftLanguageModes: [.v6]
)
