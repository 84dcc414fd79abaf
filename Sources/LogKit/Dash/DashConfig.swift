/*
 logdash's typed configuration and errors. The command layer builds a
 DashConfig from options and turns DashError into usage or runtime errors.
*/

package struct DashConfig: Sendable, Equatable {
  /// Window length for access records (logparse output), which logdash windows itself.
  package var accessEvery: Int64 = 10_000_000
  /// Window points kept at full resolution (the live charts).
  package var recentPoints = 600
  /// Points of the whole-run overview; older points are merged pairwise when it fills.
  package var overviewPoints = 480
  /// Alert events and scale decisions kept for the timelines.
  package var timelineEvents = 5000
  /// Rows of the top-N panels.
  package var topN = 10
  /// Extra numeric window-record fields to chart, by name.
  package var chartFields: [String] = []
  /// Distinct values per top table before the smallest are pruned.
  package var maxDistinct = 20_000

  package init() {}

  /// Checks the ranges; the command layer reports the option name.
  package func validate() throws(DashError) {
    guard accessEvery > 0 else { throw .invalidSetting("window length must be positive") }
    guard recentPoints >= 8, overviewPoints >= 8 else { throw .invalidSetting("history must keep at least 8 points") }
    guard topN >= 1, topN <= 1000 else { throw .invalidSetting("top-N must be between 1 and 1000") }
    guard timelineEvents >= 1 else { throw .invalidSetting("timeline must keep at least 1 event") }
  }
}

package enum DashError: Error, Equatable, CustomStringConvertible, Sendable {
  case invalidSetting(String)
  case invalidAddress(String)
  case socket(String, errno: Int32)

  package var description: String {
    switch self {
    case .invalidSetting(let text): text
    case .invalidAddress(let text): "invalid address '\(text)': expected HOST:PORT, e.g. 127.0.0.1:8080"
    case .socket(let what, let code): "\(what): \(errnoText(code))"
    }
  }
}
