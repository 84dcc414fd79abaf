/*
 Temporary directories that end with the test using them. A suite or test
 with the `.temporaryDirectories` trait gets a scope per test case: every
 directory made in it is removed when the case ends, unless LOGKIT_KEEP_TMP is
 set (then the paths are printed on stderr, to look at after a failure).
*/
import Foundation
import Testing

package final class TemporaryDirectories: @unchecked Sendable {
  /// The scope of the running test case, if its suite or test has the trait.
  @TaskLocal package static var current: TemporaryDirectories?

  /// Set LOGKIT_KEEP_TMP=1 to keep every test's directories.
  package static let keep = ProcessInfo.processInfo.environment["LOGKIT_KEEP_TMP"].map { !$0.isEmpty && $0 != "0" } ?? false

  private let lock = NSLock()
  private var paths: [String] = []

  /// A fresh directory, removed with the scope.
  package func make() -> String {
    let path = Self.create()
    lock.withLock { paths.append(path) }
    return path
  }

  package func removeAll() {
    let all = lock.withLock { paths }
    for path in all { Self.remove(path) }
  }

  /// A fresh directory in the running test's scope. Without the trait on the
  /// suite or test it fails the test (the directory would be left behind).
  package static func make(sourceLocation: SourceLocation = #_sourceLocation) -> String {
    guard let scope = current else {
      Issue.record("a temporary directory needs the .temporaryDirectories trait on the suite or test", sourceLocation: sourceLocation)
      return create()
    }
    return scope.make()
  }

  /// Creates a directory under the system's temporary folder (no scope).
  package static func create() -> String {
    let path = NSTemporaryDirectory() + "logkit-test-" + UUID().uuidString
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      Issue.record("cannot create \(path): \(error)")
    }
    return path
  }

  /// Removes a directory (or reports where it was kept).
  package static func remove(_ path: String) {
    if keep {
      FileHandle.standardError.write(Data("kept \(path)\n".utf8))
      return
    }
    do {
      try FileManager.default.removeItem(atPath: path)
    } catch {
      Issue.record("cannot remove \(path): \(error)")
    }
  }
}

/// The trait: one `TemporaryDirectories` scope around each test case.
package struct TemporaryDirectoryScope: SuiteTrait, TestTrait, TestScoping {
  package var isRecursive: Bool { true }

  package func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    let directories = TemporaryDirectories()
    defer { directories.removeAll() }
    try await TemporaryDirectories.$current.withValue(directories) { try await function() }
  }
}

extension Trait where Self == TemporaryDirectoryScope {
  /// Temporary directories made during each test case are removed when it ends.
  package static var temporaryDirectories: Self { Self() }
}
