/*
 The window engine's errors: a configuration it cannot run (aggregates,
 keys, filter) and merge input it cannot combine (partial records).
*/

/// A configuration the engine cannot run. The command layer names the option.
package enum WindowSetupError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The whole message: `invalid aggregate 'x': ...`.
  case aggregate(String)
  /// A group key that does not parse: `'key': reason`.
  case key(String)
  case noKeys
  /// The filter expression does not parse: the reason.
  case filter(String)

  package var description: String {
    switch self {
    case .aggregate(let message): message
    case .key(let detail): "invalid group key \(detail)"
    case .noKeys: "at least one group key is needed"
    case .filter(let detail): "invalid filter expression: \(detail)"
    }
  }
}

package struct WindowError: Error, Equatable, Sendable, CustomStringConvertible {
  package var message: String
  package init(_ message: String) { self.message = message }
  package var description: String { message }
}
