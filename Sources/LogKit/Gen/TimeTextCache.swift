/*
 The timestamp text of the current second, formatted once per second.

 At two million lines per second formatting the time per line would dominate;
 instead the text is rebuilt only when the second changes (the core's
 appendCLFTime / appendRFC3339 do the formatting) and copied per line.
*/

final class TimeTextCache {
  private let scratch = OutputSink(fd: -1, capacity: 4096)
  private let buffer = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
  private var length = 0
  private var second = Int64.min
  private let format: OutputFormat
  private let offsetMinutes: Int

  init(format: OutputFormat, offsetMinutes: Int) {
    self.format = format
    self.offsetMinutes = offsetMinutes
  }

  deinit { buffer.deallocate() }

  /// The text for time `t`: `[01/Jul/2025:00:00:00 +0000]`, `"2025-07-01T00:00:00Z"` or `2025-07-01 00:00:00`.
  @inline(__always)
  func text(_ t: EpochMicros) -> UnsafeRawBufferPointer {
    let s = t >= 0 ? t / microsPerSecond : (t - microsPerSecond + 1) / microsPerSecond
    if s != second { rebuild(s) }
    return UnsafeRawBufferPointer(start: buffer, count: length)
  }

  @inline(never)
  private func rebuild(_ s: Int64) {
    second = s
    let t = s * microsPerSecond
    switch format {
    case .json, .clickstream:
      scratch.append(UInt8(ascii: "\""))
      scratch.appendRFC3339(t)
      scratch.append(UInt8(ascii: "\""))
    case .w3c:
      scratch.appendRFC3339(t)
    default:
      scratch.append(UInt8(ascii: "["))
      scratch.appendCLFTime(t, offsetMinutes: offsetMinutes)
      scratch.append(UInt8(ascii: "]"))
    }
    var text = scratch.takeString()
    if format == .w3c {
      // 2025-07-01T00:00:00Z -> 2025-07-01 00:00:00
      text = String(text.dropLast()).replacingFirstT()
    }
    length = min(text.utf8.count, 64)
    text.withUTF8 { if let base = $0.baseAddress { buffer.copyMemory(from: base, byteCount: length) } }
  }
}

extension String {
  fileprivate func replacingFirstT() -> String {
    guard let i = firstIndex(of: "T") else { return self }
    var copy = self
    copy.replaceSubrange(i...i, with: " ")
    return copy
  }
}
