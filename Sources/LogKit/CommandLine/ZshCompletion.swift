/*
 The zsh completion script: an `_arguments` call whose specs carry each
 option's summary, its value's choices or `_files`, and the positionals.
 `#compdef` must be the first line for compinit to pick the file up, so the
 generated-by comment is the second.
*/

enum ZshCompletion {
  static func render(_ spec: CommandSpec) -> String {
    let function = "_" + CompletionRenderer.identifier(spec.name)
    var lines = [
      "#compdef \(spec.name)",
      CompletionRenderer.header(spec, shell: "zsh"),
      "",
      "\(function)() {",
      "  local -a args",
      "  args=(",
    ]
    for option in CompletionRenderer.visibleOptions(spec) { lines.append("    " + optionSpec(option)) }
    for positional in spec.positionals {
      let spec = (positional.repeatable ? "*:" : ":") + escaped(positional.summary, ":\\") + ":" + action(positional.completion)
      lines.append("    " + CompletionRenderer.singleQuoted(spec))
    }
    lines += [
      "  )",
      "  _arguments -s -S $args",
      "}",
      "",
      "\(function) \"$@\"",
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  /// `'(-f --format)'{-f+,--format=}'[summary]:FORMAT:(a b)'`
  private static func optionSpec(_ option: OptionSpec) -> String {
    let long = "--" + option.long + (option.takesValue ? "=" : "")
    let short = option.short.map { "-\($0)" + (option.takesValue ? "+" : "") }
    var tail = "[" + escaped(option.summary, "[]:\\") + "]"
    if let value = option.valueName {
      tail += ":" + escaped(value, ":\\") + ":" + action(option.completion)
    }
    guard let short else {
      return CompletionRenderer.singleQuoted((option.repeatable ? "*" : "") + long + tail)
    }
    // Brace expansion gives one spec per name; the exclusion list keeps
    // zsh from offering the other name once one is on the line.
    let prefix = option.repeatable ? "*" : "(\(short.prefix(2)) --\(option.long))"
    return CompletionRenderer.singleQuoted(prefix) + "{\(short),\(long)}" + CompletionRenderer.singleQuoted(tail)
  }

  private static func action(_ completion: OptionSpec.Completion) -> String {
    switch completion {
    case .none: return " "
    case .file: return "_files"
    case .directory: return "_files -/"
    case .choices(let values): return "(" + values.map { escaped($0, " ():\\'\"") }.joined(separator: " ") + ")"
    }
  }

  /// Backslash before each character of `special` (inside the single quotes).
  private static func escaped(_ text: String, _ special: String) -> String {
    var out = ""
    for c in text {
      if special.contains(c) { out.append("\\") }
      out.append(c)
    }
    return out
  }
}
