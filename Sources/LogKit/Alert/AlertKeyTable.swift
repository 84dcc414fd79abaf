/*
 The alert instances of one rule, one per key, with their detectors' state
 in one contiguous Float array (`stride` Floats per key).

 Bounded: at most `maxKeys` keys. A new key beyond the bound evicts the
 least recently seen inactive key among 8 sampled ones (approximate LRU,
 as Redis does), losing that key's detector baselines; when every sampled
 key is pending or firing the table scans for any inactive key, and when
 there is none the new key is not tracked (counted in `droppedKeys`). A
 pending or firing alert is never evicted.

 An instance's lifecycle and times are one struct (AlertInstance), so an
 evaluation touches one cache line for them, not one per field.
*/

/// One alert instance: its lifecycle and when its key last reported.
package struct AlertInstance: Sendable, Equatable {
  package var lifecycle = AlertLifecycle()
  package var lastSeen = Int64.min
  package var lastStart: Int64?
  /// The key's window length (end - start), for the default staleness.
  package var windowLength: Int64 = 0
}

package final class AlertKeyTable {
  package let maxKeys: Int
  /// Floats of detector state per key, and each detector's offset in it.
  let stride: Int
  let offsets: [Int]
  private let index = AlertKeyIndex()
  package private(set) var keys: [[UInt8]] = []
  package private(set) var keyFields: [[(String, JSONValue)]] = []
  package var instances: [AlertInstance] = []
  var state: [Float] = []
  package private(set) var droppedKeys = 0
  package private(set) var evictedKeys = 0
  private var cursor = 0

  init(maxKeys: Int, detectors: [DetectorCall]) {
    self.maxKeys = Swift.max(1, maxKeys)
    var offsets: [Int] = []
    var total = 0
    for call in detectors {
      offsets.append(total)
      total += Detector.stateSize(call)
    }
    self.offsets = offsets
    stride = total
  }

  package var count: Int { keys.count }

  /// The instance of `key`, created when new; nil when the table is full of active alerts.
  func find(_ key: [UInt8], fields: () -> [(String, JSONValue)]) -> Int? {
    find(key, hash: AlertKeyIndex.hash(key), fields: fields)
  }

  /// As `find(_:fields:)`, with the key's hash already computed (rules with the same key share it).
  func find(_ key: [UInt8], hash: UInt64, fields: () -> [(String, JSONValue)]) -> Int? {
    if let i = index.find(key, hash: hash, keys: keys) { return i }
    if keys.count >= maxKeys {
      guard let victim = evictionCandidate() else {
        droppedKeys &+= 1
        return nil
      }
      remove(victim)
      evictedKeys &+= 1
    }
    let i = keys.count
    index.insert(hash: hash)
    keys.append(key)
    keyFields.append(fields())
    instances.append(AlertInstance())
    state.append(contentsOf: repeatElement(0, count: stride))
    return i
  }

  /// The index's slots, for the engine's touch pass (valid until the next insert).
  var slotView: AlertKeySlotView { index.view }

  /// Starts loading instance `i`'s lifecycle and detector state; returns a value so the loads stay.
  func touch(instance i: Int) -> Int64 {
    let seen = instances.withUnsafeBufferPointer { $0[i].lastSeen }
    guard stride > 0 else { return seen }
    return state.withUnsafeBufferPointer { seen &+ Int64($0[i * stride].bitPattern) }  // bits: the Float may be NaN
  }

  /// Runs `body` with a pointer to detector `d`'s state of instance `i`.
  func withState<R>(_ i: Int, _ d: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
    state.withUnsafeMutableBufferPointer { buffer in
      // The table allocated stride Floats per key, so the offset is in range.
      body(buffer.baseAddress.unsafelyUnwrapped + i * stride + offsets[d])
    }
  }

  /// The state of instance `i` as Floats (for --state).
  func stateSlice(_ i: Int) -> ArraySlice<Float> { state[(i * stride)..<((i + 1) * stride)] }

  func setState(_ i: Int, _ values: [Float]) {
    guard values.count == stride else { return }
    state.replaceSubrange((i * stride)..<((i + 1) * stride), with: values)
  }

  private func evictionCandidate() -> Int? {
    var best: Int?
    for _ in 0..<8 {
      cursor = (cursor &+ 7919) % keys.count
      if instances[cursor].lifecycle.phase == .inactive, best.map({ instances[cursor].lastSeen < instances[$0].lastSeen }) ?? true {
        best = cursor
      }
    }
    return best ?? instances.firstIndex { $0.lifecycle.phase == .inactive }
  }

  /// Swap-removes instance `i`.
  func remove(_ i: Int) {
    let last = keys.count - 1
    index.remove(i)
    if i != last {
      keys.swapAt(i, last)
      keyFields.swapAt(i, last)
      instances.swapAt(i, last)
      for k in 0..<stride { state.swapAt(i * stride + k, last * stride + k) }
    }
    keys.removeLast()
    keyFields.removeLast()
    instances.removeLast()
    state.removeLast(stride)
  }
}
