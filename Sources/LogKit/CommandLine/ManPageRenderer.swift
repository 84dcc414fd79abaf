/*
 roff man pages rendered from a CommandSpec.
*/

package enum ManPageRenderer {
  package static func render(_ spec: CommandSpec) -> String {
    ".TH \(spec.name.uppercased()) 1\n.SH NAME\n\(spec.name) \\- \(spec.summary)\n"
  }
}
