// Token bucket arithmetic with an injected clock: no sleeping.
import Testing
@testable import LogKit

@Suite struct TokenBucketTests {
  @Test func accruesAtTheRate() {
    var bucket = TokenBucket(now: 1_000_000)
    bucket.refill(now: 1_000_000 + 250_000, rate: 100)  // 0.25 s at 100/s
    #expect(bucket.take() == 25)
    #expect(bucket.take() == 0)
  }

  @Test func keepsFractionsAcrossRefills() {
    var bucket = TokenBucket(now: 0)
    var total = 0
    var t: Int64 = 0
    // 1 ms slices at 100,000/s with a rate that does not divide evenly: 1000 slices of 3 µs extra.
    for _ in 0..<1000 {
      t += 1003
      bucket.refill(now: t, rate: 99_999)
      total += bucket.take()
    }
    let expected = Double(t) * 99_999 / 1_000_000
    #expect(abs(Double(total) - expected) < 1)
  }

  @Test func capsTheBacklog() {
    var bucket = TokenBucket(now: 0, burst: 0.5)
    bucket.refill(now: 10_000_000, rate: 1000)  // 10 s stalled: only 0.5 s worth kept
    #expect(bucket.take() == 500)
  }

  @Test func respectsTheLimitAndWaits() {
    var bucket = TokenBucket(now: 0)
    bucket.refill(now: 100_000, rate: 100)  // 10 tokens
    #expect(bucket.take(limit: 3) == 3)
    #expect(bucket.take() == 7)
    #expect(bucket.wait(rate: 100) == 10_000)
    bucket.refill(now: 104_000, rate: 100)  // 0.4 token
    #expect(bucket.wait(rate: 100) == 6_000)
  }

  @Test func followsRateChanges() {
    var bucket = TokenBucket(now: 0, burst: 5)
    bucket.refill(now: 1_000_000, rate: 10)
    bucket.refill(now: 2_000_000, rate: 30)
    #expect(bucket.take() == 40)
  }

  @Test func ignoresTimeGoingBackwards() {
    var bucket = TokenBucket(now: 5_000_000)
    bucket.refill(now: 4_000_000, rate: 100)
    #expect(bucket.take() == 0)
    #expect(bucket.last == 5_000_000)
  }
}
