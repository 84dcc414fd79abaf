/*
 bash, zsh and fish completion scripts rendered from a CommandSpec.
*/

package enum CompletionRenderer {
  package static func bash(_ spec: CommandSpec) -> String { "# bash completion for \(spec.name)\n" }
  package static func zsh(_ spec: CommandSpec) -> String { "#compdef \(spec.name)\n" }
  package static func fish(_ spec: CommandSpec) -> String { "# fish completion for \(spec.name)\n" }
}
