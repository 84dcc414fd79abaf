/*
 The bash completion script: a `complete -F` function that offers long and
 short options, the choices of an option's value, files for FILE values and
 positionals. It needs nothing beyond bash itself (no bash-completion helpers),
 and handles `--opt=value` as bash splits it (`--opt`, `=`, `value`).
*/

enum BashCompletion {
  static func render(_ spec: CommandSpec) -> String {
    let function = "_" + CompletionRenderer.identifier(spec.name)
    let options = CompletionRenderer.visibleOptions(spec)
    var lines = [
      CompletionRenderer.header(spec, shell: "bash"),
      "\(function)() {",
      "    local cur=${COMP_WORDS[COMP_CWORD]}",
      "    local prev=",
      "    if (( COMP_CWORD > 0 )); then prev=${COMP_WORDS[COMP_CWORD-1]}; fi",
      "    if [[ $cur == = ]]; then cur=; fi",
      "    if [[ $prev == = ]] && (( COMP_CWORD > 1 )); then prev=${COMP_WORDS[COMP_CWORD-2]}; fi",
      "    COMPREPLY=()",
      "    case $prev in",
    ]
    for option in options where option.takesValue {
      var names = ["--\(option.long)"]
      if let short = option.short { names.append("-\(short)") }
      lines.append("        \(names.joined(separator: "|")))")
      lines.append("            " + complete(option.completion))
      lines.append("            return")
      lines.append("            ;;")
    }
    lines.append("    esac")
    var words: [String] = []
    for option in options {
      words.append("--\(option.long)")
      if let short = option.short { words.append("-\(short)") }
    }
    lines += [
      "    if [[ $cur == -* ]]; then",
      "        mapfile -t COMPREPLY < <(compgen -W \(CompletionRenderer.singleQuoted(words.joined(separator: " "))) -- \"$cur\")",
      "        return",
      "    fi",
    ]
    lines += positionals(spec).map { "    " + $0 }
    lines += ["}", "complete -F \(function) \(spec.name)"]
    return lines.joined(separator: "\n") + "\n"
  }

  /// One line filling COMPREPLY for a value of this kind.
  private static func complete(_ completion: OptionSpec.Completion) -> String {
    switch completion {
    case .none: return ":"
    case .file: return "compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")"
    case .directory: return "compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- \"$cur\")"
    case .choices(let values):
      return "mapfile -t COMPREPLY < <(compgen -W \(CompletionRenderer.singleQuoted(values.joined(separator: " "))) -- \"$cur\")"
    }
  }

  /// Positional completion: the union of what the positionals accept.
  private static func positionals(_ spec: CommandSpec) -> [String] {
    var choices: [String] = []
    var files = false, directories = false
    for positional in spec.positionals {
      switch positional.completion {
      case .none: break
      case .file: files = true
      case .directory: directories = true
      case .choices(let values): choices += values
      }
    }
    var lines: [String] = []
    if files || directories { lines.append("compopt -o filenames 2>/dev/null") }
    if !choices.isEmpty { lines.append(complete(.choices(choices))) }
    if files || directories {
      // Appended after any choices.
      lines.append("mapfile -t -O \"${#COMPREPLY[@]}\" COMPREPLY < <(compgen \(files ? "-f" : "-d") -- \"$cur\")")
    }
    return lines
  }
}
