/*
 The group index under inserts and deletions (backward-shift deletion in
 linear probing), checked against a Swift Dictionary.
*/
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct GroupTableTests {
  @Test func findsExactlyTheLiveKeysAfterRandomReleases() {
    var table = GroupTable(layout: AccumulatorLayout([AggregateSpec(name: "count", function: .count, argument: nil)]))
    var truth: [String: Int] = [:]
    var rng = TestRNG(seed: 21)
    for step in 0..<20_000 {
      let key = "k\(rng.next() % 3000)"
      let bytes = Array(key.utf8)
      let hash = hash64(bytes)
      let found = bytes.withUnsafeBytes { table.find($0, hash: hash) }
      #expect(found == truth[key], "step \(step) key \(key)")
      if let row = found, rng.next() % 2 == 0 {
        table.release(row)
        truth[key] = nil
      } else if found == nil {
        truth[key] = bytes.withUnsafeBytes { table.insert($0, hash: hash) }
      }
    }
    #expect(table.liveCount == truth.count)
    #expect(Set(table.rowsByKey()) == Set(truth.values))
    // Rows come back in key byte order.
    let ordered = table.rowsByKey().map { String(decoding: table.keys[$0], as: UTF8.self) }
    #expect(ordered == ordered.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
  }

  @Test func collapsedSketchStateSurvivesThePartialRoundTrip() throws {
    let layout = AccumulatorLayout([AggregateSpec(name: "p", function: .quantile(0.99), argument: "x")])
    var columns = AccumulatorColumns(layout: layout)
    _ = columns.appendRow()
    var x = 1e-8
    while x < 1e12 {
      columns.dds[0].add(x)
      x *= 1.01
    }
    let sink = OutputSink(fd: -1)
    sink.beginObject()
    columns.writeState(row: 0, to: sink)
    sink.endObject()
    let state = try JSONValue.parse(sink.takeString())
    let row = try AccumulatorColumns.decodeRow(layout: layout, state: state["state"])
    #expect(row.dds[0] == columns.dds[0])
    #expect(columns.dds[0].positive.bins.count == DDSketchStore.maxBins)
  }
}
