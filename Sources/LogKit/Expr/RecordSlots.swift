/*
 The fields a set of compiled expressions read, as numbered slots filled once
 per record. Several expressions (a --where filter, --by keys, aggregate
 arguments) share one RecordSlots, so each field is looked up once per record
 however many expressions use it.

 It is a class rather than a struct because it owns raw buffers that are
 reused for every record: `load` allocates nothing once they have grown.
*/

package final class RecordSlots {
  /// The registered paths; slot i holds the value of paths[i].
  private(set) var paths: [FieldPath] = []
  private var pathIndex: [[String]: Int] = [:]
  /// Per slot: whether any record loaded so far had the field (for the
  /// at-exit warning about fields no record had).
  private(set) var seen: [Bool] = []
  /// Slots whose field no record had yet.
  package private(set) var unseenCount = 0
  /// Slot values of the current record.
  private(set) var values: UnsafeMutablePointer<ExprValue>
  private var capacity = 8
  /// Per slot, how its field is found (`capacity` of them): raw memory, so the
  /// per-record lookup makes no copy-on-write checks of nested arrays.
  private var keys: UnsafeMutablePointer<SlotKey>
  /// Decoded escaped strings of the current record (never more bytes than the line).
  private var arena: UnsafeMutablePointer<UInt8>
  private var arenaCapacity = 1024

  package init() {
    values = UnsafeMutablePointer<ExprValue>.allocate(capacity: capacity)
    keys = UnsafeMutablePointer<SlotKey>.allocate(capacity: capacity)
    arena = UnsafeMutablePointer<UInt8>.allocate(capacity: arenaCapacity)
  }

  deinit {
    values.deinitialize(count: paths.count)
    values.deallocate()
    for i in 0..<paths.count { keys[i].name.deallocate() }
    keys.deallocate()
    arena.deallocate()
  }

  /// Number of registered slots.
  package var count: Int { paths.count }

  /// The slot of a field path, registering it when new (a null until loaded).
  package func slot(for path: [String]) -> Int {
    if let existing = pathIndex[path] { return existing }
    if paths.count == capacity {
      let newValues = UnsafeMutablePointer<ExprValue>.allocate(capacity: capacity * 2)
      newValues.moveInitialize(from: values, count: paths.count)
      values.deallocate()
      values = newValues
      let newKeys = UnsafeMutablePointer<SlotKey>.allocate(capacity: capacity * 2)
      newKeys.moveInitialize(from: keys, count: paths.count)
      keys.deallocate()
      keys = newKeys
      capacity *= 2
    }
    (values + paths.count).initialize(to: .null)
    (keys + paths.count).initialize(to: SlotKey(path))
    pathIndex[path] = paths.count
    paths.append(FieldPath(path))
    seen.append(false)
    unseenCount += 1
    return paths.count - 1
  }

  /// The dotted paths of the fields no record loaded so far had, in slot order.
  package var unseenPaths: [String] {
    paths.indices.filter { !seen[$0] }.map { paths[$0].components.joined(separator: ".") }
  }

  /// The field path of a slot.
  package func path(of slot: Int) -> [String] { paths[slot].components }

  /// The value of a slot for the current record.
  package subscript(slot: Int) -> ExprValue {
    get { values[slot] }
    set { values[slot] = newValue }
  }

  /// Fills every slot from the scanner's current line; missing fields are null.
  /// Strings stay views into the line (escaped ones are decoded into a buffer
  /// of this object), so the line must outlive the evaluation.
  package func load(from scanner: NDJSONScanner) {
    if scanner.lineCount > arenaCapacity {
      arena.deallocate()
      arenaCapacity = Swift.max(scanner.lineCount, arenaCapacity * 2)
      arena = UnsafeMutablePointer<UInt8>.allocate(capacity: arenaCapacity)
    }
    let v = values
    var used = 0
    let n = paths.count
    var i = 0
    while i < n {
      let token: JSONToken?
      let key = keys + i
      if key.pointee.topLevel {
        token = scanner.fieldIndex(name: UnsafeRawBufferPointer(key.pointee.name), hint: &key.pointee.hint)
          .map { scanner.token(at: $0) }
      } else {
        token = scanner.token(at: &paths[i])
      }
      v[i] = token.map { value(of: $0, scanner, &used) } ?? .null
      if unseenCount > 0, token != nil, !seen[i] {
        seen[i] = true
        unseenCount -= 1
      }
      i &+= 1
    }
  }

  @inline(__always)
  private func value(of t: JSONToken, _ scanner: NDJSONScanner, _ used: inout Int) -> ExprValue {
    switch t.kind {
    case .number: return scanner.double(t).map(ExprValue.number) ?? .null
    case .string:
      if !t.hasEscapes { return .bytes(scanner.bytes(t.start &+ 1, t.end &- 1)) }
      let raw = scanner.bytes(t.start &+ 1, t.end &- 1)
      guard let src = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .bytes(raw) }
      let length = decodeJSONString(src, raw.count, into: arena + used)
      let decoded = UnsafeRawBufferPointer(start: arena + used, count: length)
      used &+= length
      return .bytes(decoded)
    case .true: return .bool(true)
    case .false: return .bool(false)
    case .null: return .null
    case .object, .array: return .raw(scanner.rawBytes(t))
    }
  }
}

/// How one slot's field is found: a top-level name (a copy of its bytes,
/// owned by RecordSlots) and the index where it matched in the previous
/// record; a dotted path goes through the slot's FieldPath instead.
private struct SlotKey {
  let name: UnsafeMutableRawBufferPointer
  var hint = 0
  let topLevel: Bool

  init(_ path: [String]) {
    topLevel = path.count == 1
    let bytes = Array((path.first ?? "").utf8)
    name = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
    name.copyBytes(from: bytes)
  }
}
