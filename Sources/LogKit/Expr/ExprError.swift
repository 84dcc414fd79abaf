/*
 A parse error in an expression: what is wrong and where, so a command can
 print `logwindow: --where: expected ')' at column 12` and the user can count.
*/

package struct ExprError: Error, Equatable, Sendable, CustomStringConvertible {
  package var message: String
  /// 1-based byte offset in the expression text.
  package var column: Int

  package init(_ message: String, column: Int) {
    self.message = message
    self.column = column
  }

  package var description: String { "\(message) at column \(column)" }
}
