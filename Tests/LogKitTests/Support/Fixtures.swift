// Locates Tests/Fixtures from the test sources, independent of the working directory.
import Foundation

enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  /// File names (sorted) in a fixture folder, e.g. "json/pass".
  static func names(in folder: String) -> [String] {
    let dir = root.appendingPathComponent(folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.sorted()
  }

  static func bytes(_ folder: String, _ name: String) -> [UInt8] {
    let url = root.appendingPathComponent(folder).appendingPathComponent(name)
    return (try? [UInt8](Data(contentsOf: url))) ?? []
  }
}
