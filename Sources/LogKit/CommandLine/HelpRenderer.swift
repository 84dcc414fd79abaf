/*
 `--help` text rendered from a CommandSpec.
*/

package enum HelpRenderer {
  package static func render(_ spec: CommandSpec) -> String {
    var out = "\(spec.name) \(logkitVersion): \(spec.summary)\n\nUsage:\n"
    for line in spec.usage { out += "  \(spec.name) \(line)\n" }
    for option in spec.options where !option.hidden {
      var names = option.short.map { "-\($0), " } ?? "    "
      names += "--\(option.long)"
      if let value = option.valueName { names += " \(value)" }
      out += "  \(names)  \(option.summary)\n"
    }
    return out
  }
}
