// Micro-benchmark of the NDJSON scanner and the expression evaluator on
// logparse-like records generated in memory (run by bench/scan-expr.sh).
import Glibc
import LogKit

func now() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1_000_000 : 1_000_000
let paths = ["/", "/index.html", "/api/v1/users", "/api/v1/orders/12345", "/static/app.js", "/images/logo.png", "/x"]
let methods = ["GET", "GET", "GET", "POST", "HEAD", "PUT"]
let agents = [
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
  "curl/8.5.0", "Googlebot/2.1 (+http://www.google.com/bot.html)",
]
struct LCG {
  var state: UInt64 = 42
  mutating func next() -> Int {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Int(truncatingIfNeeded: state >> 33)
  }
}
func makeText() -> String {
var lcg = LCG()
func rnd() -> Int { lcg.next() }
var text = ""
text.reserveCapacity(count * 260)
for i in 0..<count {
  let status = [200, 200, 200, 304, 404, 500, 503][rnd() % 7]
  text += "{\"time\":\"2024-05-01T12:\(10 + i % 50):\(10 + i % 49)Z\",\"client\":\"10.0.\(rnd() % 256).\(rnd() % 256)\","
  text += "\"method\":\"\(methods[rnd() % methods.count])\",\"path\":\"\(paths[rnd() % paths.count])\",\"protocol\":\"HTTP/1.1\","
  text += "\"status\":\(status),\"bytes\":\(rnd() % 50000),\"referer\":\"https://example.com/\","
  text += "\"user_agent\":\"\(agents[rnd() % agents.count])\",\"request_time\":0.\(rnd() % 1000)}\n"
}
return text
}
let text = makeText()
let data = Array(text.utf8)
print("records: \(count), bytes: \(data.count), avg \(data.count / count) bytes/record")

func forEachLine(_ body: (UnsafeRawBufferPointer) -> Void) {
  data.withUnsafeBytes { all in
    let base = all.baseAddress!
    var start = 0
    while start < all.count {
      let p = memchr(base + start, 0x0A, all.count - start)!
      let end = UnsafeRawPointer(p) - base
      body(UnsafeRawBufferPointer(start: base + start, count: end - start))
      start = end + 1
    }
  }
}

let scanner = NDJSONScanner()
var failures = 0
var t0 = now()
forEachLine { line in
  do { try scanner.scan(line) } catch { failures += 1 }
}
var dt = now() - t0
print("scan only:                 \(Int(Double(count) / dt)) records/s, \(Int(Double(data.count) / dt / 1e6)) MB/s (failures \(failures))")

let slots = RecordSlots()
let filter = try CompiledExpr(Expr.parse("status >= 500"), slots: slots)
let pathSlot = slots.slot(for: ["path"])
let bytesSlot = slots.slot(for: ["bytes"])
let clientSlot = slots.slot(for: ["client"])
var matched = 0
var sum = 0.0
t0 = now()
forEachLine { line in
  do { try scanner.scan(line) } catch { return }
  slots.load(from: scanner)
  if filter.matches(slots) { matched += 1 }
  if case .number(let b) = slots[bytesSlot] { sum += b }
  _ = slots[pathSlot]
  _ = slots[clientSlot]
}
dt = now() - t0
print("scan+load 4 fields+filter: \(Int(Double(count) / dt)) records/s (matched \(matched), sum \(Int(sum)))")

for source in ["status >= 500", "path == \"/x\"", "method in [\"GET\",\"HEAD\"]",
               "startswith(path, \"/api\") and status < 400", "bytes / 1024 > 10 or contains(user_agent, \"bot\")"] {
  let s = RecordSlots()
  let e = try CompiledExpr(Expr.parse(source), slots: s)
  forEachLine { line in if (try? scanner.scan(line)) != nil, scanner.fieldCount > 0 {} }
  // Evaluate repeatedly on one loaded record (the last line).
  var last: [UInt8] = []
  forEachLine { line in last = Array(line) }
  let reps = 10_000_000
  var hits = 0
  try last.withUnsafeBytes { buffer in
    try scanner.scan(buffer)
    s.load(from: scanner)
    t0 = now()
    for _ in 0..<reps where e.matches(s) { hits += 1 }
    dt = now() - t0
  }
  print("evaluate \(source): \(Double(Int(dt / Double(reps) * 1e10)) / 10) ns (hits \(hits))")
}
