/*
 Input that is entirely rejected is a mistake, not bad lines: a gzip file, a
 raw access log given to a command that reads NDJSON, a log format that needs
 an option. BadInput keeps, per input, its non-empty lines, its rejected
 lines and the start of the first rejected one, so the run can say at exit
 what the input looks like (`InputSniff`) and fail.
*/

package struct InputTally: Sendable {
  package var path: String
  package var nonEmpty = 0
  package var rejected = 0
  /// The first bytes of the first rejected line, and why it was rejected.
  package var sample: [UInt8] = []
  package var firstReason: String?

  package init(path: String) { self.path = path }

  /// Every non-empty line was rejected (and there was one).
  package var whollyRejected: Bool { nonEmpty > 0 && rejected >= nonEmpty }
}

extension BadInput {
  /// The input loop starts input `index` (shown as `path`).
  package func beginInput(_ index: Int, path: String) {
    while tallies.count <= index { tallies.append(InputTally(path: path)) }
    tallies[index].path = path
    currentInput = index
  }

  /// One non-empty line of the current input.
  @inline(__always)
  package func countLine() {
    if currentInput < tallies.count { tallies[currentInput].nonEmpty &+= 1 }
  }

  func noteRejected(raw: UnsafeRawBufferPointer?, reason: String) {
    guard currentInput < tallies.count, let raw, !raw.isEmpty else { return }
    tallies[currentInput].rejected &+= 1
    if tallies[currentInput].firstReason == nil {
      tallies[currentInput].firstReason = reason
      tallies[currentInput].sample = Array(raw.prefix(InputSniff.sampleSize))
    }
  }

  /// The inputs whose every non-empty line was rejected.
  package var whollyRejected: [InputTally] { tallies.filter(\.whollyRejected) }
}

/// What a rejected line looks like, from its first bytes.
package enum InputSniff: Equatable, Sendable {
  case gzip, bzip2, xz, zstd, binary, jsonObject, notJSON

  package static let sampleSize = 512

  package init(_ sample: [UInt8]) {
    let bytes = sample
    if bytes.starts(with: [0x1F, 0x8B]) {
      self = .gzip
    } else if bytes.starts(with: Array("BZh".utf8)) {
      self = .bzip2
    } else if bytes.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) {
      self = .xz
    } else if bytes.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) {
      self = .zstd
    } else if bytes.contains(0) || String(validating: bytes, as: UTF8.self) == nil && bytes.count < Self.sampleSize {
      self = .binary
    } else if bytes.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) == UInt8(ascii: "{") {
      self = .jsonObject
    } else {
      self = .notJSON
    }
  }

  /// "input looks gzip-compressed: use zcat", or nil when it looks like text.
  package var compressedHint: String? {
    switch self {
    case .gzip: "input looks gzip-compressed: use zcat FILE | ..."
    case .bzip2: "input looks bzip2-compressed: use bzcat FILE | ..."
    case .xz: "input looks xz-compressed: use xzcat FILE | ..."
    case .zstd: "input looks zstd-compressed: use zstdcat FILE | ..."
    case .binary: "input looks binary, not text lines"
    case .jsonObject, .notJSON: nil
    }
  }
}
