/*
 gzip for the archive (`--compress gzip`), through the system's zlib loaded at
 run time (dlopen of libz.so.1): the build needs no zlib headers, and where
 the library is missing only this option fails.

 Every flush of an archive file is written as one complete gzip member (RFC
 1952 allows members to follow each other; gzip -d, zcat and DuckDB read them
 as one stream). A member holds whole lines, so a file cut at a member
 boundary, as a checkpoint's recorded length is, is still a valid archive
 file, and recovery cuts a torn file back to its last complete member.

 z_stream is used as raw memory at the offsets of its LP64 layout (112
 bytes); zlib checks that size in deflateInit2_/inflateInit2_.
*/
import Glibc

package final class Gzip {
  private typealias Init2 = @convention(c) (UnsafeMutableRawPointer, Int32, Int32, Int32, Int32, Int32, UnsafePointer<CChar>, Int32) -> Int32
  private typealias InflateInit2 = @convention(c) (UnsafeMutableRawPointer, Int32, UnsafePointer<CChar>, Int32) -> Int32
  private typealias Step = @convention(c) (UnsafeMutableRawPointer, Int32) -> Int32
  private typealias Stream = @convention(c) (UnsafeMutableRawPointer) -> Int32
  private typealias Bound = @convention(c) (UnsafeMutableRawPointer, UInt) -> UInt
  private typealias Version = @convention(c) () -> UnsafePointer<CChar>

  private static let streamSize = 112
  private let deflate: Step
  private let deflateReset: Stream
  private let deflateEnd: Stream
  private let deflateBound: Bound
  private let inflateInit: InflateInit2
  private let inflate: Step
  private let inflateEnd: Stream
  private let version: UnsafePointer<CChar>
  private let stream: UnsafeMutableRawPointer

  /// Loads zlib; nil with the reason when it cannot be had.
  package static func load() -> Result<Gzip, IOError> {
    guard let lib = dlopen("libz.so.1", RTLD_NOW) ?? dlopen("libz.so", RTLD_NOW) else {
      return .failure(.openFailed(path: "libz.so.1 (zlib, for --compress gzip)", errno: ENOENT))
    }
    func symbol<T>(_ name: String, _ type: T.Type) -> T? {
      guard let p = dlsym(lib, name) else { return nil }
      return unsafeBitCast(p, to: type)
    }
    guard let init2 = symbol("deflateInit2_", Init2.self), let deflate = symbol("deflate", Step.self),
      let reset = symbol("deflateReset", Stream.self), let end = symbol("deflateEnd", Stream.self),
      let bound = symbol("deflateBound", Bound.self), let inflateInit = symbol("inflateInit2_", InflateInit2.self),
      let inflate = symbol("inflate", Step.self), let inflateEnd = symbol("inflateEnd", Stream.self),
      let version = symbol("zlibVersion", Version.self)
    else { return .failure(.openFailed(path: "libz.so.1 (a zlib without deflate)", errno: ENOSYS)) }
    let gzip = Gzip(deflate: deflate, reset: reset, end: end, bound: bound, inflateInit: inflateInit,
                    inflate: inflate, inflateEnd: inflateEnd, version: version())
    // Level 6, gzip wrapper (windowBits 15 + 16), memLevel 8, default strategy.
    guard init2(gzip.stream, 6, 8, 31, 8, 0, gzip.version, Int32(streamSize)) == 0 else {
      return .failure(.openFailed(path: "libz.so.1 (deflateInit2 failed)", errno: EINVAL))
    }
    return .success(gzip)
  }

  private init(deflate: Step, reset: Stream, end: Stream, bound: Bound, inflateInit: InflateInit2,
               inflate: Step, inflateEnd: Stream, version: UnsafePointer<CChar>) {
    self.deflate = deflate
    deflateReset = reset
    deflateEnd = end
    deflateBound = bound
    self.inflateInit = inflateInit
    self.inflate = inflate
    self.inflateEnd = inflateEnd
    self.version = version
    stream = UnsafeMutableRawPointer.allocate(byteCount: Self.streamSize, alignment: 8)
    stream.initializeMemory(as: UInt8.self, repeating: 0, count: Self.streamSize)
  }

  deinit {
    _ = deflateEnd(stream)
    stream.deallocate()
  }

  // Field offsets in z_stream (LP64).
  private static func setIn(_ s: UnsafeMutableRawPointer, _ p: UnsafeRawPointer?, _ n: Int) {
    s.storeBytes(of: p, toByteOffset: 0, as: UnsafeRawPointer?.self)
    s.storeBytes(of: UInt32(truncatingIfNeeded: n), toByteOffset: 8, as: UInt32.self)
  }
  private static func setOut(_ s: UnsafeMutableRawPointer, _ p: UnsafeMutableRawPointer?, _ n: Int) {
    s.storeBytes(of: p, toByteOffset: 24, as: UnsafeMutableRawPointer?.self)
    s.storeBytes(of: UInt32(truncatingIfNeeded: n), toByteOffset: 32, as: UInt32.self)
  }
  private static func availIn(_ s: UnsafeMutableRawPointer) -> Int { Int(s.load(fromByteOffset: 8, as: UInt32.self)) }
  private static func availOut(_ s: UnsafeMutableRawPointer) -> Int { Int(s.load(fromByteOffset: 32, as: UInt32.self)) }

  /// `bytes` as one complete gzip member.
  package func member(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
    _ = deflateReset(stream)
    let capacity = Int(deflateBound(stream, UInt(bytes.count))) + 64
    var out = [UInt8](repeating: 0, count: capacity)
    var produced = 0
    out.withUnsafeMutableBytes { o in
      Self.setIn(stream, bytes.baseAddress, bytes.count)
      while true {
        Self.setOut(stream, o.baseAddress.map { $0 + produced }, capacity - produced)
        let before = capacity - produced
        let code = deflate(stream, 4)  // Z_FINISH
        produced += before - Self.availOut(stream)
        if code != 0 || produced >= capacity { break }  // 1 = Z_STREAM_END; errors cannot happen with this bound
      }
    }
    out.removeLast(capacity - produced)
    return out
  }

  /// The length of the leading complete gzip members of the file open as `fd` (-1: unreadable).
  package func completeMembersLength(fd: Int32) -> Int {
    let s = UnsafeMutableRawPointer.allocate(byteCount: Self.streamSize, alignment: 8)
    s.initializeMemory(as: UInt8.self, repeating: 0, count: Self.streamSize)
    defer { s.deallocate() }
    guard inflateInit(s, 31, version, Int32(Self.streamSize)) == 0 else { return -1 }
    defer { _ = inflateEnd(s) }
    var input = [UInt8](repeating: 0, count: 1 << 16), scratch = [UInt8](repeating: 0, count: 1 << 16)
    var offset = 0, good = 0
    while true {
      let n = input.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
      if n < 0 { return -1 }
      if n == 0 { return good }
      var used = 0
      while used < n {
        let before = used
        let code: Int32 = input.withUnsafeBytes { i in
          scratch.withUnsafeMutableBytes { o in
            Self.setIn(s, i.baseAddress.map { $0 + used }, n - used)
            Self.setOut(s, o.baseAddress, o.count)
            let code = inflate(s, 0)
            used = n - Self.availIn(s)
            return code
          }
        }
        if code == 1 {  // Z_STREAM_END: a complete member; the next one starts after it
          good = offset + used
          guard restartInflate(s) else { return good }
        } else if code != 0 && code != -5 {
          return good  // corrupt from here on: keep the members before
        } else if code == -5 && used == before {
          break  // needs more input
        }
      }
      offset += n
    }
  }

  private func restartInflate(_ s: UnsafeMutableRawPointer) -> Bool {
    _ = inflateEnd(s)
    s.initializeMemory(as: UInt8.self, repeating: 0, count: Self.streamSize)
    return inflateInit(s, 31, version, Int32(Self.streamSize)) == 0
  }
}
