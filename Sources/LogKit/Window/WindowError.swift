/*
 Errors of logwindow's merge input: partial records that cannot be combined.
*/

package struct WindowError: Error, Equatable, Sendable, CustomStringConvertible {
  package var message: String
  package init(_ message: String) { self.message = message }
  package var description: String { message }
}
