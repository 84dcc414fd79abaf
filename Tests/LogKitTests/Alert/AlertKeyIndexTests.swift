// The alert key index against a Dictionary model: random inserts and
// swap-removes (as the table's eviction does), every key found at its
// number, absent keys not found, through growth and backward shifts.
import Testing
import LogKitTestSupport
@testable import LogKit

@Suite struct AlertKeyIndexTests {
  @Test func agreesWithADictionaryThroughInsertsAndRemoves() {
    var rng = TestRNG(seed: 7)
    let index = AlertKeyIndex()
    var keys: [[UInt8]] = []
    var model: [[UInt8]: Int] = [:]
    for step in 0..<20_000 {
      if keys.isEmpty || Int.random(in: 0..<10, using: &rng) < 6 {
        let key = Array("\"path\":\"/p\(Int.random(in: 0..<3000, using: &rng))\"".utf8)
        guard model[key] == nil else { continue }
        index.insert(hash: AlertKeyIndex.hash(key))
        model[key] = keys.count
        keys.append(key)
      } else {
        let i = Int.random(in: 0..<keys.count, using: &rng)
        index.remove(i)
        model[keys[i]] = nil
        let last = keys.count - 1
        if i != last {
          keys.swapAt(i, last)
          model[keys[i]] = i
        }
        keys.removeLast()
      }
      if step % 997 == 0 || step == 19_999 {
        #expect(index.count == keys.count)
        for (key, i) in model { #expect(index.find(key, hash: AlertKeyIndex.hash(key), keys: keys) == i) }
        let absent = Array("\"path\":\"/none\"".utf8)
        #expect(index.find(absent, hash: AlertKeyIndex.hash(absent), keys: keys) == nil)
      }
    }
  }
}
