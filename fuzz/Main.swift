// The one libFuzzer binary: FUZZ_TARGET names the check (Tests/Support/Fuzz/)
// that every input goes through. Built by fuzz/build.sh; run by fuzz/campaign.sh.
import Glibc

nonisolated(unsafe) var selectedTarget: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> Int32 {
  // FUZZ_LIST=1: the table for fuzz/campaign.sh, "target NAME MAX_LEN SEED_FOLDER...".
  if getenv("FUZZ_LIST") != nil {
    for t in FuzzTarget.all { say("target \(t.name) \(t.maxLength) \(t.seeds.joined(separator: " "))", prefix: "") }
    exit(0)
  }
  let names = FuzzTarget.all.map(\.name).joined(separator: " ")
  guard let env = getenv("FUZZ_TARGET"), let target = FuzzTarget.named(String(cString: env)) else {
    say("set FUZZ_TARGET to one of: \(names)")
    exit(2)
  }
  selectedTarget = target
  return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  guard let target = selectedTarget else { return 0 }
  if let failure = target.check(UnsafeRawBufferPointer(start: data, count: size)) {
    say("\(target.name): \(failure)")
    abort()
  }
  return 0
}

private func say(_ message: String, prefix: String = "logkit-fuzz: ") {
  var text = "\(prefix)\(message)\n"
  text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
