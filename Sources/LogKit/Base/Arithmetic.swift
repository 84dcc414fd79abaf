/*
 Integer arithmetic that input values must not trap in.
*/

/// Floor division that rounds toward negative infinity (times before 1970).
@inlinable
package func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
  let q = a / b
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// a + b, held at Int64.min / Int64.max instead of overflowing (counts merged from input).
@inlinable
package func addSaturating(_ a: Int64, _ b: Int64) -> Int64 {
  let (sum, overflow) = a.addingReportingOverflow(b)
  return overflow ? (b < 0 ? .min : .max) : sum
}
