/*
 Error bounds of the sketches on known distributions, and merge equivalence.
*/
import Foundation
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct DDSketchTests {
  func checkQuantiles(_ values: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
    var sketch = DDSketch()
    for v in values { sketch.add(v) }
    let sorted = values.sorted()
    for q in [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999] {
      let exact = sorted[Swift.max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1)]
      let estimate = sketch.quantile(q) ?? .nan
      let error = abs(estimate - exact) / abs(exact)
      #expect(error <= DDSketch.relativeAccuracy + 1e-12, "q=\(q) exact=\(exact) estimate=\(estimate)", sourceLocation: sourceLocation)
    }
  }

  @Test func uniformWithinRelativeAccuracy() {
    var rng = TestRNG(seed: 1)
    checkQuantiles((0..<100_000).map { _ in rng.uniform(1, 1000) })
  }

  @Test func lognormalWithinRelativeAccuracy() {
    var rng = TestRNG(seed: 2)
    checkQuantiles((0..<100_000).map { _ in rng.lognormal(mu: 0, sigma: 2) })
  }

  @Test func zipfWithinRelativeAccuracy() {
    var rng = TestRNG(seed: 3)
    let zipf = Zipf(n: 10_000, s: 1.1)
    checkQuantiles((0..<50_000).map { _ in Double(zipf.sample(&rng)) })
  }

  @Test func negativeAndZeroValues() {
    var rng = TestRNG(seed: 4)
    checkQuantiles((0..<20_000).map { i in i % 10 == 0 ? 0 : rng.uniform(-500, 500) }.filter { $0 != 0 })
    var sketch = DDSketch()
    for v in [-5.0, 0, 0, 0, 7] { sketch.add(v) }
    #expect(sketch.quantile(0.5) == 0)
    #expect(sketch.quantile(0) == -5)
    #expect(sketch.quantile(1) == 7)
  }

  @Test func mergeEqualsSinglePass() {
    var rng = TestRNG(seed: 5)
    let values = (0..<40_000).map { _ in rng.lognormal(mu: 3, sigma: 1.5) }
    var whole = DDSketch()
    var parts = [DDSketch](repeating: DDSketch(), count: 4)
    for (i, v) in values.enumerated() {
      whole.add(v)
      parts[i % 4].add(v)
    }
    var merged = parts[3]
    merged.merge(parts[1])
    merged.merge(parts[0])
    merged.merge(parts[2])
    #expect(merged == whole)
  }

  @Test func collapsesLowestBucketsToBoundMemory() {
    var sketch = DDSketch()
    var x = 1e-8
    while x < 1e12 { sketch.add(x); x *= 1.001 }
    #expect(sketch.positive.bins.count <= DDSketchStore.maxBins)
    // The top of the range keeps its accuracy.
    #expect(abs((sketch.quantile(0.99) ?? 0) / (1e12 * pow(1e-20, 0.01)) - 1) < 0.02)
  }

  /// A few values live inline, more in bins: the same quantiles and state either way, in any
  /// order, across the move (5 buckets, or a span of maxBins) and through a merge.
  @Test func inlineBucketsEqualBins() {
    var rng = TestRNG(seed: 9)
    for round in 0..<400 {
      let n = 1 + round % 7
      let values = (0..<n).map { _ in rng.next() % 5 == 0 ? -rng.uniform(1, 50) : rng.uniform(1, round % 2 == 0 ? 1e6 : 1e300) }
      var forward = DDSketch(), backward = DDSketch(), merged = DDSketch()
      for v in values { forward.add(v) }
      for v in values.reversed() { backward.add(v) }
      for v in values.prefix(n / 2) { merged.add(v) }
      var rest = DDSketch()
      for v in values.dropFirst(n / 2) { rest.add(v) }
      merged.merge(rest)
      #expect(forward == backward && forward == merged, "\(values)")
      let sorted = values.sorted()
      for q in [0.1, 0.5, 0.95, 1.0] {
        let exact = sorted[Swift.max(0, Int((q * Double(n)).rounded(.up)) - 1)]
        let estimate = forward.quantile(q) ?? .nan
        #expect(abs(estimate - exact) <= abs(exact) * (DDSketch.relativeAccuracy + 1e-12), "q=\(q) \(values)")
        #expect(merged.quantile(q) == estimate)
      }
    }
  }
}

@Suite struct HyperLogLogTests {
  func distinctEstimate(_ n: Int, seed: UInt64) -> Double {
    var hll = HyperLogLog()
    var rng = TestRNG(seed: seed)
    for i in 0..<n {
      let value = "client-\(rng.next() % 1000)-\(i)"
      var bytes = Array(value.utf8)
      hll.insert(hash: hash64(bytes))
      if i % 3 == 0 {  // repeats must not count
        bytes = Array("client-repeat-\(i % 100)".utf8)
        hll.insert(hash: hash64(bytes))
      }
    }
    return hll.estimate
  }

  @Test(arguments: [1_000, 100_000, 1_000_000])
  func errorWithinTwoPercent(n: Int) {
    let expected = Double(n + Swift.min(100, (n + 2) / 3))
    let estimate = distinctEstimate(n, seed: UInt64(n))
    #expect(abs(estimate - expected) / expected < 0.02, "n=\(n) estimate=\(estimate)")
  }

  /// The inline hashes, then the allocated set: exact, order-free, the same state text.
  @Test func inlineHashesEqualTheSet() {
    for n in 1...12 {
      var forward = HyperLogLog(), backward = HyperLogLog(), merged = HyperLogLog()
      let hashes = (0..<n).map { hash64(Array("c\($0 % 9)".utf8)) }
      for h in hashes { forward.insert(hash: h) }
      for h in hashes.reversed() { backward.insert(hash: h) }
      var half = HyperLogLog()
      for h in hashes.prefix(n / 2) { half.insert(hash: h) }
      for h in hashes.dropFirst(n / 2) { merged.insert(hash: h) }
      merged.merge(half)
      #expect(forward.estimate == Double(Set(hashes).count))
      #expect(forward.stateText == backward.stateText && forward == merged)
      #expect(HyperLogLog(stateText: forward.stateText) == forward)
    }
  }

  @Test func smallSetsAreExact() {
    var hll = HyperLogLog()
    for i in 0..<200 { hll.insert(hash: hash64(Array("v\(i % 150)".utf8))) }
    #expect(hll.estimate == 150)
    #expect(!hll.isDense)
  }

  @Test func mergeEqualsSinglePassAndRoundTrips() {
    var whole = HyperLogLog()
    var parts = [HyperLogLog](repeating: HyperLogLog(), count: 4)
    for i in 0..<30_000 {
      let h = hash64(Array("user\(i % 20_000)".utf8))
      whole.insert(hash: h)
      parts[i % 4].insert(hash: h)
    }
    var merged = HyperLogLog()
    for p in parts { merged.merge(HyperLogLog(stateText: p.stateText) ?? HyperLogLog()) }
    #expect(merged.estimate == whole.estimate)
    #expect(HyperLogLog(stateText: whole.stateText) == whole)
    #expect(HyperLogLog(stateText: "x") == nil)
  }

  @Test func hashSpreadsSimilarKeys() {
    // Keys that differ in one byte must differ in about half the output bits.
    var total = 0
    for i in 0..<1000 {
      total += (hash64(Array("key\(i)".utf8)) ^ hash64(Array("kez\(i)".utf8))).nonzeroBitCount
    }
    #expect(abs(Double(total) / 1000 - 32) < 2)
  }
}

@Suite struct SpaceSavingTests {
  func add(_ s: inout SpaceSaving, _ text: String) {
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { s.add($0, hash: hash64($0)) }
  }

  @Test func findsZipfHeavyHitters() {
    var rng = TestRNG(seed: 9)
    let zipf = Zipf(n: 50_000, s: 1.2)
    var sketch = SpaceSaving(k: 10)
    var exact: [Int: Int64] = [:]
    for _ in 0..<200_000 {
      let rank = zipf.sample(&rng)
      exact[rank, default: 0] += 1
      add(&sketch, "\(rank)")
    }
    let trueTop = exact.sorted { $0.value > $1.value }.prefix(10).map { "\($0.key)" }
    let found = sketch.top(10)
    #expect(found.map { String(decoding: $0.value, as: UTF8.self) } == trueTop)
    for entry in found {
      let truth = exact[Int(String(decoding: entry.value, as: UTF8.self)) ?? 0] ?? 0
      #expect(entry.count >= truth && entry.count - entry.error <= truth)
    }
  }

  @Test func mergeEqualsSinglePassWithoutEvictions() {
    var whole = SpaceSaving(k: 5)
    var parts = [SpaceSaving](repeating: SpaceSaving(k: 5), count: 4)
    for i in 0..<1000 {
      let v = "/page\(i % 37 * i % 23)"
      add(&whole, v)
      add(&parts[i % 4], v)
    }
    var merged = parts[0]
    for p in parts.dropFirst() { merged.merge(p) }
    #expect(merged.top(5).map(\.count) == whole.top(5).map(\.count))
    #expect(merged.top(5).map(\.value) == whole.top(5).map(\.value))
  }

  @Test func mergeKeepsHeavyHittersAfterEvictions() {
    var rng = TestRNG(seed: 10)
    let zipf = Zipf(n: 20_000, s: 1.3)
    var parts = [SpaceSaving](repeating: SpaceSaving(k: 5), count: 4)
    var exact: [Int: Int64] = [:]
    for i in 0..<100_000 {
      let rank = zipf.sample(&rng)
      exact[rank, default: 0] += 1
      add(&parts[i % 4], "\(rank)")
    }
    var merged = parts[0]
    for p in parts.dropFirst() { merged.merge(p) }
    let trueTop = exact.sorted { $0.value > $1.value }.prefix(5).map { "\($0.key)" }
    #expect(merged.top(5).map { String(decoding: $0.value, as: UTF8.self) } == trueTop)
    for entry in merged.top(5) {
      let truth = exact[Int(String(decoding: entry.value, as: UTF8.self)) ?? 0] ?? 0
      #expect(entry.count >= truth && entry.count - entry.error <= truth)
    }
  }
}
