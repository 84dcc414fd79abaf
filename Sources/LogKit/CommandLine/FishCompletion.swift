/*
 The fish completion script: one `complete -c` line per option with its
 summary; `-r` with `-F` (files), `-a` (choices) or `-f` (no files) for
 values. File completion for bare arguments is turned off unless a
 positional takes files.
*/

enum FishCompletion {
  static func render(_ spec: CommandSpec) -> String {
    // Names are plain words (the table tests hold them to [a-z0-9-]).
    let command = spec.name
    var lines = [CompletionRenderer.header(spec, shell: "fish")]
    let positionalCompletions = spec.positionals.map(\.completion)
    if !positionalCompletions.contains(.file) {
      lines.append("complete -c \(command) -f")
    }
    for completion in positionalCompletions {
      switch completion {
      case .choices(let values): lines.append("complete -c \(command) -f -a \(quoted(values.joined(separator: " ")))")
      case .directory: lines.append("complete -c \(command) -f -a '(__fish_complete_directories)'")
      case .none, .file: break
      }
    }
    for option in CompletionRenderer.visibleOptions(spec) {
      var line = "complete -c \(command) -l \(option.long)"
      if let short = option.short { line += " -s \(short)" }
      line += " -d \(quoted(option.summary))"
      if option.takesValue {
        switch option.completion {
        case .none: line += " -r -f"
        case .file: line += " -r -F"
        case .directory: line += " -r -f -a '(__fish_complete_directories)'"
        case .choices(let values): line += " -r -f -a \(quoted(values.joined(separator: " ")))"
        }
      }
      lines.append(line)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A fish single-quoted string: only `\` and `'` need escaping.
  private static func quoted(_ text: String) -> String {
    var out = "'"
    for c in text {
      if c == "\\" || c == "'" { out.append("\\") }
      out.append(c)
    }
    return out + "'"
  }
}
