// The yardstick for logparse's speed (bench/run.sh): a minimal scanner of ONE
// format, Apache combined, writing the same JSON as `logparse` does for it
// (same keys, order, omissions of `-`, UTC time), with none of logparse's
// generality: no format detection, no other formats, no bad-line accounting
// beyond skipping, no options, no checks of field contents. Raw pointers,
// one output buffer, memchr for line ends. Built alone with `swiftc -O`.
//   minimal-scanner FILE > out.ndjson
import Glibc

let outCapacity = 1 << 20
let out = UnsafeMutablePointer<UInt8>.allocate(capacity: outCapacity + 65536)
var used = 0

@inline(__always) func flush() {
  var done = 0
  while done < used {
    let n = write(1, out + done, used - done)
    if n <= 0 { exit(1) }
    done += n
  }
  used = 0
}
@inline(__always) func put(_ c: UInt8) { out[used] = c; used &+= 1 }
@inline(__always) func literal(_ s: StaticString) {
  memcpy(out + used, s.utf8Start, s.utf8CodeUnitCount)
  used &+= s.utf8CodeUnitCount
}
/// A JSON string of p[from..<to]: copied as is unless a byte needs escaping.
@inline(__always) func string(_ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int) {
  put(34)
  var i = from
  while i < to {
    let c = p[i]
    if c == 34 || c == 92 { put(92); put(c) } else if c < 0x20 {
      literal("\\u00"); put(hex(c >> 4)); put(hex(c & 15))
    } else { put(c) }
    i &+= 1
  }
  put(34)
}
@inline(__always) func hex(_ v: UInt8) -> UInt8 { v < 10 ? 48 + v : 87 + v }
@inline(__always) func two(_ v: Int) { put(UInt8(48 + v / 10)); put(UInt8(48 + v % 10)) }
@inline(__always) func number(_ p: UnsafePointer<UInt8>, _ from: Int, _ count: Int) -> Int {
  var v = 0
  for i in from..<(from + count) { v = v &* 10 &+ Int(p[i] &- 48) }
  return v
}
@inline(__always) func month(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int {
  switch (a, b, c) {
  case (74, 97, 110): return 1  // Jan
  case (70, 101, 98): return 2  // Feb
  case (77, 97, 114): return 3  // Mar
  case (65, 112, 114): return 4  // Apr
  case (77, 97, 121): return 5  // May
  case (74, 117, 110): return 6  // Jun
  case (74, 117, 108): return 7  // Jul
  case (65, 117, 103): return 8  // Aug
  case (83, 101, 112): return 9  // Sep
  case (79, 99, 116): return 10  // Oct
  case (78, 111, 118): return 11  // Nov
  default: return 12
  }
}
func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {  // Hinnant
  let y = m <= 2 ? y0 - 1 : y0
  let era = (y >= 0 ? y : y - 399) / 400
  let yoe = y - era * 400
  let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468
}

/// `10/Oct/2000:13:55:36 -0700` at p[at...] as `{"time":"2000-10-10T20:55:36Z"`.
@inline(__always) func writeTime(_ p: UnsafePointer<UInt8>, _ at: Int) {
  var seconds = daysFromCivil(number(p, at + 7, 4), month(p[at + 3], p[at + 4], p[at + 5]), number(p, at, 2)) * 86400
    + number(p, at + 12, 2) * 3600 + number(p, at + 15, 2) * 60 + number(p, at + 18, 2)
  let offset = number(p, at + 22, 2) * 3600 + number(p, at + 24, 2) * 60
  seconds += p[at + 21] == 45 ? offset : -offset
  let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
  let rest = seconds - days * 86400
  let z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097
  let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
  let doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153
  let d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9
  let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
  literal("{\"time\":\"")
  two(y / 100); two(y % 100); put(45); two(m); put(45); two(d); put(84)
  two(rest / 3600); put(58); two(rest / 60 % 60); put(58); two(rest % 60); literal("Z\"")
}

@inline(__always) func find(_ p: UnsafePointer<UInt8>, _ n: Int, _ c: UInt8, _ from: Int) -> Int {
  guard from < n, let hit = memchr(p + from, Int32(c), n - from) else { return n }
  return hit.assumingMemoryBound(to: UInt8.self) - UnsafeMutablePointer(mutating: p)
}
@inline(__always) func isDash(_ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> Bool { to - from == 1 && p[from] == 45 }

/// One combined line p[0..<n]; false when it does not look like one.
func scan(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
  let clientEnd = find(p, n, 32, 0), identEnd = find(p, n, 32, clientEnd + 1), userEnd = find(p, n, 32, identEnd + 1)
  guard userEnd + 30 < n, p[userEnd + 1] == 91, p[userEnd + 28] == 93 else { return false }
  let request = userEnd + 31
  let requestEnd = find(p, n, 34, request)
  guard requestEnd + 2 < n else { return false }
  writeTime(p, userEnd + 2)
  literal(",\"client\":"); string(p, 0, clientEnd)
  if !isDash(p, clientEnd + 1, identEnd) { literal(",\"ident\":"); string(p, clientEnd + 1, identEnd) }
  if !isDash(p, identEnd + 1, userEnd) { literal(",\"user\":"); string(p, identEnd + 1, userEnd) }
  let methodEnd = find(p, requestEnd, 32, request), targetEnd = find(p, requestEnd, 32, methodEnd + 1)
  let queryAt = find(p, targetEnd, 63, methodEnd + 1)
  literal(",\"method\":"); string(p, request, methodEnd)
  literal(",\"path\":"); string(p, methodEnd + 1, queryAt)
  if queryAt + 1 < targetEnd { literal(",\"query\":"); string(p, queryAt + 1, targetEnd) }
  if targetEnd < requestEnd { literal(",\"protocol\":"); string(p, targetEnd + 1, requestEnd) }
  let statusEnd = find(p, n, 32, requestEnd + 2), bytesEnd = find(p, n, 32, statusEnd + 1)
  literal(",\"status\":")
  memcpy(out + used, p + requestEnd + 2, statusEnd - requestEnd - 2); used += statusEnd - requestEnd - 2
  if !isDash(p, statusEnd + 1, bytesEnd) {
    literal(",\"bytes\":")
    memcpy(out + used, p + statusEnd + 1, bytesEnd - statusEnd - 1); used += bytesEnd - statusEnd - 1
  }
  let refererEnd = find(p, n, 34, bytesEnd + 2)
  if !isDash(p, bytesEnd + 2, refererEnd) { literal(",\"referer\":"); string(p, bytesEnd + 2, refererEnd) }
  let agentEnd = find(p, n, 34, refererEnd + 3)
  if agentEnd > refererEnd + 3 { literal(",\"user_agent\":"); string(p, refererEnd + 3, agentEnd) }
  literal("}\n")
  return true
}

guard CommandLine.arguments.count == 2 else { fputs("usage: minimal-scanner FILE\n", stderr); exit(2) }
let fd = open(CommandLine.arguments[1], O_RDONLY)
guard fd >= 0 else { fputs("minimal-scanner: cannot open the file\n", stderr); exit(1) }
var capacity = 1 << 20
var input = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
var kept = 0
var bad = 0
while true {
  let got = read(fd, input + kept, capacity - kept)
  if got <= 0 { break }
  let filled = kept + got
  var start = 0
  while let nl = memchr(input + start, 10, filled - start) {
    let end = nl.assumingMemoryBound(to: UInt8.self) - input
    // A line longer than the headroom left in the output buffer would not fit; such lines are skipped.
    if end - start < 60000 { if !scan(input + start, end - start) { bad += 1 } } else { bad += 1 }
    if used >= outCapacity { flush() }
    start = end + 1
  }
  kept = filled - start
  memmove(input, input + start, kept)
  if kept == capacity {
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
    memcpy(bigger, input, kept)
    input.deallocate()
    input = bigger
    capacity *= 2
  }
}
flush()
if bad > 0 { fputs("minimal-scanner: \(bad) lines skipped\n", stderr) }
