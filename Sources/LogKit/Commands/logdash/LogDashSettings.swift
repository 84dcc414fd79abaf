/*
 logdash's options, validated into a DashConfig and the output choices.
 Usage errors name the option and what was expected.
*/

package struct LogDashSettings {
  package var config = DashConfig()
  package var htmlPath: String?
  package var htmlEvery: Int64 = 5_000_000
  package var serve: ListenAddress?
  package var reportEvery: Int64?
  package var forceSummary = false

  package init(_ options: ParsedOptions) throws(UsageError) {
    if let every = try options.duration("every") {
      guard every > 0 else { throw UsageError("--every must be positive") }
      config.accessEvery = every
    }
    config.chartFields = options.all("chart")
    config.topN = try options.int("top", min: 1) ?? 10
    guard config.topN <= 1000 else { throw UsageError("--top must be at most 1000") }
    config.recentPoints = try options.int("history", min: 8) ?? 600
    guard config.recentPoints <= 1_000_000 else { throw UsageError("--history must be at most 1000000") }
    config.timelineEvents = try options.int("timeline", min: 1) ?? 5000
    guard config.timelineEvents <= 1_000_000 else { throw UsageError("--timeline must be at most 1000000") }
    do { try config.validate() } catch { throw UsageError("invalid setting: \(error)") }
    htmlPath = options.value("html")
    if let every = try options.duration("html-every") {
      guard every >= 100_000 else { throw UsageError("--html-every must be at least 100ms") }
      htmlEvery = every
    }
    if let text = options.value("serve") {
      do { serve = try ListenAddress.parse(text) } catch { throw UsageError("invalid --serve: \(error)") }
    }
    if let every = try options.duration("every-report") {
      guard every >= 100_000 else { throw UsageError("--every-report must be at least 100ms") }
      reportEvery = every
    }
    forceSummary = options.flag("summary")
  }
}
