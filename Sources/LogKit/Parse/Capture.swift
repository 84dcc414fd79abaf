/*
 What a format does with one field's text: the single vocabulary shared by the
 Apache, nginx, W3C and JSON front ends, so each value is converted and
 validated in exactly one place (FieldTable.store).
*/

/// Units of a duration field, converted to microseconds.
package enum DurationUnit: UInt8, Sendable {
  case seconds, milliseconds, microseconds, nanoseconds
}

package enum Capture: Equatable, Sendable {
  /// Matched but not kept.
  case skip
  /// A string field (client, ident, user, referer, ...).
  case text(AccessField)
  /// `METHOD TARGET [PROTOCOL]`, split into method/path/query/protocol.
  case request
  /// A request target: path with optional `?query`.
  case target
  /// A query string that may start with `?` (Apache `%q`).
  case query
  /// `10/Oct/2000:13:55:36 -0700`.
  case timeCLF
  /// ISO 8601 / RFC 3339.
  case timeISO
  /// Epoch seconds with optional fraction (`$msec`, `%{sec}t`).
  case timeEpoch
  /// Any of the above, by shape (JSON logs, `%{...}t`).
  case timeAny
  case status, bytes, port
  /// A number of `unit`s (or a `, ` / ` : ` separated list, summed) into requestTime/upstreamTime.
  case duration(AccessField, DurationUnit)
  /// A custom field: index into the format's custom names.
  case custom(Int)
  /// W3C `date` and `time` columns, joined after the line is split.
  case w3cDate, w3cTime
}
