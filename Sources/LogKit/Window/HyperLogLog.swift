/*
 HyperLogLog distinct counting (precision 14: 16384 registers, standard
 error 1.04/sqrt(16384) = 0.81%).

 Small sets stay exact: up to `sparseLimit` distinct 64-bit hashes are kept
 in an open-addressing set, so a group with a handful of clients costs a few
 hundred bytes instead of 16 KiB and its count has no estimation error. The
 first `inlineLimit` hashes live in the value itself: most groups of a busy
 window see a few clients, and then cost no allocation at all.
 Past that the set is folded into dense registers. The dense estimate uses
 Ertl's improved estimator ("New cardinality estimation algorithms for
 HyperLogLog sketches", 2017), which needs no empirical bias tables and has
 no bump between the linear-counting and raw ranges.
 Both forms merge (union) and serialise to JSON for --partial.
*/

package struct HyperLogLog: Sendable, Equatable {
  package static let precision = 14
  package static let registerCount = 1 << precision
  /// Exact hashes kept before switching to registers (4 KiB of set at most).
  package static let sparseLimit = 256
  /// Register values range over 0...(64 - p + 1).
  static let maxRank = 64 - precision + 1

  /// Hashes kept in the value before `sparse` is allocated.
  static let inlineLimit = 4
  /// The first hashes (while `sparse` is empty and `sparseCount` <= inlineLimit).
  private var inlined: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
  /// Open-addressing set of hashes while sparse (0 marks an empty slot).
  private(set) var sparse: [UInt64] = []
  private(set) var sparseCount = 0
  /// Dense registers; empty while sparse.
  private(set) var registers: [UInt8] = []

  package init() {}

  package var isDense: Bool { !registers.isEmpty }

  /// Adds one hashed value.
  @inlinable
  package mutating func insert(hash: UInt64) {
    if isDense { updateRegister(hash) } else { insertSparse(hash) }
  }

  @usableFromInline
  mutating func updateRegister(_ hash: UInt64) {
    let index = Int(truncatingIfNeeded: hash >> UInt64(64 - Self.precision))
    let rest = hash << UInt64(Self.precision)
    let rank = UInt8(truncatingIfNeeded: Swift.min(rest.leadingZeroBitCount, Self.maxRank - 1) + 1)
    registers.withUnsafeMutableBufferPointer { r in
      if rank > r[index] { r[index] = rank }
    }
  }

  @usableFromInline
  mutating func insertSparse(_ rawHash: UInt64) {
    let hash = rawHash == 0 ? 1 : rawHash  // 0 marks empty slots
    if sparse.isEmpty {
      if insertInline(hash) { return }
      // The inline slots are full: they move into an allocated set.
      let first = inlineHashes
      sparse = [UInt64](repeating: 0, count: 16)
      sparseCount = 0
      for h in first { insertSparse(h) }
    }
    let mask = sparse.count - 1
    var i = Int(truncatingIfNeeded: hash) & mask
    let inserted: Bool = sparse.withUnsafeMutableBufferPointer { s in
      while true {
        if s[i] == hash { return false }
        if s[i] == 0 { s[i] = hash; return true }
        i = (i &+ 1) & mask
      }
    }
    guard inserted else { return }
    sparseCount += 1
    if sparseCount > Self.sparseLimit {
      densify()
    } else if sparseCount * 2 > sparse.count {
      let old = sparse
      sparse = [UInt64](repeating: 0, count: old.count * 2)
      sparseCount = 0
      for h in old where h != 0 { insertSparse(h) }
    }
  }

  /// True when `hash` is (now) among the inline hashes; false when they are full.
  private mutating func insertInline(_ hash: UInt64) -> Bool {
    let count = sparseCount
    var added = false
    let kept: Bool = withUnsafeMutableBytes(of: &inlined) { raw in
      let slots = raw.bindMemory(to: UInt64.self)
      for k in 0..<count where slots[k] == hash { return true }
      guard count < Self.inlineLimit else { return false }
      slots[count] = hash
      added = true
      return true
    }
    if added { sparseCount += 1 }
    return kept
  }

  /// The inline hashes (while `sparse` is empty).
  private var inlineHashes: [UInt64] {
    guard sparse.isEmpty, !isDense else { return [] }
    return withUnsafeBytes(of: inlined) { Array($0.bindMemory(to: UInt64.self).prefix(sparseCount)) }
  }

  /// Every hash of a sparse sketch (inline or in the set).
  private var sparseHashes: [UInt64] { sparse.isEmpty ? inlineHashes : sparse.filter { $0 != 0 } }

  private mutating func densify() {
    let hashes = sparseHashes
    registers = [UInt8](repeating: 0, count: Self.registerCount)
    for h in hashes { updateRegister(h) }
    sparse = []
    sparseCount = 0
    inlined = (0, 0, 0, 0)
  }

  /// Union with another sketch.
  package mutating func merge(_ other: HyperLogLog) {
    if other.isDense {
      if !isDense { densify() }
      for i in 0..<Self.registerCount where other.registers[i] > registers[i] {
        registers[i] = other.registers[i]
      }
    } else {
      for h in other.sparseHashes { insert(hash: h) }
    }
  }

  /// The estimated number of distinct values (exact while sparse).
  package var estimate: Double {
    guard isDense else { return Double(sparseCount) }
    let m = Double(Self.registerCount)
    var histogram = [Int](repeating: 0, count: Self.maxRank + 1)
    for r in registers { histogram[Int(r)] += 1 }
    var z = m * Self.tau(1 - Double(histogram[Self.maxRank]) / m)
    for k in stride(from: Self.maxRank - 1, through: 1, by: -1) {
      z = 0.5 * (z + Double(histogram[k]))
    }
    z += m * Self.sigma(Double(histogram[0]) / m)
    let alphaInfinity = 0.5 / 0.693_147_180_559_945_3
    return (alphaInfinity * m * m / z).rounded()
  }

  /// Ertl's sigma(x) = x + sum_k x^(2^k) 2^(k-1).
  static func sigma(_ x0: Double) -> Double {
    if x0 == 1 { return .infinity }
    var x = x0
    var y = 1.0
    var z = x
    while true {
      x *= x
      let previous = z
      z += x * y
      y += y
      if z == previous { return z }
    }
  }

  /// Ertl's tau(x).
  static func tau(_ x0: Double) -> Double {
    if x0 == 0 || x0 == 1 { return 0 }
    var x = x0
    var y = 1.0
    var z = 1 - x
    while true {
      x = x.squareRoot()
      let previous = z
      y *= 0.5
      z -= (1 - x) * (1 - x) * y
      if z == previous { return z / 3 }
    }
  }

  package static func == (a: HyperLogLog, b: HyperLogLog) -> Bool {
    a.stateText == b.stateText
  }
}

extension HyperLogLog {
  private static let digits: [UInt8] = Array("0123456789abcdef".utf8)
  /// 64 symbols for register values 0...51 (one character per register).
  private static let registerSymbols: [UInt8] = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

  /// The state as text: `s` + sorted 16-digit hex hashes, or `d` + one symbol per register.
  package var stateText: String {
    var out: [UInt8] = []
    if isDense {
      out.reserveCapacity(Self.registerCount + 1)
      out.append(UInt8(ascii: "d"))
      for r in registers { out.append(Self.registerSymbols[Int(r)]) }
    } else {
      out.append(UInt8(ascii: "s"))
      for h in sparseHashes.sorted() {
        for shift in stride(from: 60, through: 0, by: -4) {
          out.append(Self.digits[Int((h >> UInt64(shift)) & 0xF)])
        }
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Rebuilds a sketch from `stateText`; nil when the text is malformed.
  package init?(stateText: String) {
    self.init()
    let bytes = Array(stateText.utf8)
    guard let kind = bytes.first else { return nil }
    if kind == UInt8(ascii: "d") {
      guard bytes.count == Self.registerCount + 1 else { return nil }
      var table = [UInt8](repeating: 255, count: 256)
      for (i, s) in Self.registerSymbols.enumerated() { table[Int(s)] = UInt8(i) }
      registers = [UInt8](repeating: 0, count: Self.registerCount)
      for i in 0..<Self.registerCount {
        let v = table[Int(bytes[i + 1])]
        guard v <= Self.maxRank else { return nil }
        registers[i] = v
      }
    } else if kind == UInt8(ascii: "s") {
      guard (bytes.count - 1) % 16 == 0, bytes.count - 1 <= 16 * Self.sparseLimit else { return nil }
      var i = 1
      while i < bytes.count {
        var h: UInt64 = 0
        for b in bytes[i..<(i + 16)] {
          guard let d = Self.digits.firstIndex(of: b) else { return nil }
          h = h << 4 | UInt64(d)
        }
        insert(hash: h)
        i += 16
      }
    } else {
      return nil
    }
  }
}
