/*
 The log-format options that logparse (`--format`, `--apache-format`,
 `--nginx-format`) and loggen (`--replay-format` and friends) share, turned
 into a LogParser.
*/

package enum FormatOptions {
  /// The parser the format options ask for (`--format`, `--apache-format`, `--nginx-format`,
  /// or with `optionPrefix` "replay-" loggen's `--replay-format` and friends).
  package static func parser(
    format: String?, apacheFormat apache: String?, nginxFormat nginx: String?, maxLine: Int, optionPrefix: String = ""
  ) throws(UsageError) -> LogParser {
    let names = LogFormatChoice.allCases.map(\.rawValue)
    var choice = LogFormatChoice.auto
    if let format {
      guard let c = LogFormatChoice(rawValue: format) else {
        throw UsageError("invalid value '\(excerpt(format))' for --\(optionPrefix)format: expected one of \(names.joined(separator: ", "))")
      }
      choice = c
    }
    let a = "--\(optionPrefix)apache-format", n = "--\(optionPrefix)nginx-format"
    if apache != nil && nginx != nil { throw UsageError("\(a) and \(n) exclude each other") }
    if (apache != nil || nginx != nil) && choice != .auto {
      throw UsageError("--\(optionPrefix)format cannot be combined with \(a) or \(n)")
    }
    do {
      if let apache { return LogParser(format: try ApacheFormat.compile(apache), maxLine: maxLine) }
      if let nginx { return LogParser(format: try NginxFormat.compile(nginx), maxLine: maxLine) }
      return try LogParser(choice: choice, maxLine: maxLine)
    } catch {
      throw UsageError("invalid \(apache != nil ? a : n): \(error.message)")
    }
  }
}
