// libFuzzer entry point for the NDJSON scanner and the JSONValue parser.
// Properties: no crash; both agree on objects; the tree written back parses
// and writes the same text again (numbers beyond Double become null when
// written, so the first write may differ). Built by fuzz/build.sh.
import LogKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNDJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let line = UnsafeRawBufferPointer(start: data, count: size)
  let scanner = NDJSONScanner()
  let scanned = (try? scanner.scan(line)) != nil
  let tree = try? JSONValue.parse(line)
  if case .object = tree {
    precondition(scanned, "tree parser accepted what the scanner rejected")
    let text = tree?.description ?? ""
    precondition((try? JSONValue.parse(text))?.description == text, "written tree does not parse back")
  } else {
    precondition(!scanned, "scanner accepted what the tree parser rejected")
  }
  if scanned {
    for i in 0..<scanner.fieldCount { _ = scanner.string(at: i); _ = scanner.double(at: i); _ = scanner.int(at: i) }
  }
  return 0
}
