// libFuzzer entry point for `logwindow --merge`: the input is NDJSON, one
// partial record per line, fed to one PartialMerger (configured by the first
// good line, as the command is). Properties: no crash; a rejected line has a
// reason that quotes at most ~100 bytes of it; what the merger writes at the
// end parses as JSON, one object per line. Built by fuzz/build.sh; seeds come
// from Tests/Fixtures/logwindow/partial-seeds.
import LogKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPartial(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let input = UnsafeRawBufferPointer(start: data, count: size)
  var config = WindowConfig(kind: .global)
  config.closeAtEndOnly = true
  config.idle = nil
  let sink = OutputSink(fd: -1)
  let merger = PartialMerger(config: config, partial: size % 2 == 0, sink: sink, lateSink: nil)
  var start = 0
  for i in 0...size where i == size || input[i] == UInt8(ascii: "\n") {
    let line = UnsafeRawBufferPointer(rebasing: input[start..<i])
    start = i + 1
    guard !line.isEmpty else { continue }
    guard let reason = try? merger.add(line) else { continue }
    precondition(reason.utf8.count < 400, "reason quotes too much: \(reason.utf8.count) bytes")
  }
  try? merger.engine?.finish()
  for record in sink.takeString().split(separator: "\n") {
    guard case .object = try? JSONValue.parse(String(record)) else { preconditionFailure("output is not a JSON object: \(record)") }
  }
  return 0
}
