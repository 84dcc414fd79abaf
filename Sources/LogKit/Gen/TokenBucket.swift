/*
 Pacing for the real clock: a token bucket.

 Tokens accrue at the current rate (which may change between calls: daily
 cycle, spikes) and each line spends one. The run loop sleeps a short slice,
 refills with the time that really passed, and writes the whole tokens as one
 batch, so the long-run rate is exact however coarse the sleeps are. The
 bucket holds at most `burst` seconds of tokens, so a stalled consumer does
 not cause an unbounded flood afterwards. Time is passed in, never read here,
 so tests drive it with an injected clock.
*/

package struct TokenBucket: Sendable {
  /// Tokens available (fractional between lines).
  package private(set) var tokens: Double = 0
  package private(set) var last: Int64
  /// Largest backlog, in seconds of the current rate.
  package var burst: Double

  /// - Parameter now: the start time in microseconds (monotonic).
  package init(now: Int64, burst: Double = 1) {
    last = now
    self.burst = burst
  }

  /// Adds the tokens earned since the last refill at `rate` lines per second.
  package mutating func refill(now: Int64, rate: Double) {
    guard now > last else { return }
    tokens += Double(now - last) * rate / 1_000_000
    last = now
    let cap = max(rate * burst, 1)
    if tokens > cap { tokens = cap }
  }

  /// Takes the whole tokens (at most `limit`) and returns how many lines may be written now.
  package mutating func take(limit: Int = Int.max) -> Int {
    let n = min(Int(tokens), limit)
    tokens -= Double(n)
    return n
  }

  /// Microseconds until at least one token is available at `rate`.
  package func wait(rate: Double) -> Int64 {
    guard tokens < 1 else { return 0 }
    guard rate > 0 else { return 1_000_000 }
    return Int64(((1 - tokens) * 1_000_000 / rate).rounded(.up))
  }
}
