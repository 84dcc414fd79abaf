// Locates the package and Tests/Fixtures from the test sources, independent of
// the working directory. A missing fixture fails the test (never reads as empty).
import Foundation
import Testing

package enum Fixtures {
  /// The package root (for Tests/Fixtures and examples/).
  package static let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)  // <root>/Tests/Support/Fixtures.swift
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  package static let root = URL(fileURLWithPath: packageRoot + "/Tests/Fixtures")

  /// The path of a fixture file or folder, e.g. "logwindow/access.ndjson".
  package static func path(_ relative: String) -> String { root.path + "/" + relative }

  /// File names (sorted) in a fixture folder, e.g. "json/pass".
  package static func names(in folder: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    let dir = root.appendingPathComponent(folder)
    do {
      return try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    } catch {
      Issue.record("cannot list fixtures \(dir.path): \(error)", sourceLocation: sourceLocation)
      return []
    }
  }

  package static func bytes(_ folder: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> [UInt8] {
    let url = root.appendingPathComponent(folder).appendingPathComponent(name)
    do {
      return try [UInt8](Data(contentsOf: url))
    } catch {
      Issue.record("cannot read fixture \(url.path): \(error)", sourceLocation: sourceLocation)
      return []
    }
  }

  /// ../shared/data when present (tests using it skip otherwise).
  package static var sharedData: String? {
    let path = packageRoot + "/../shared/data"
    return FileManager.default.fileExists(atPath: path) ? path : nil
  }
}
