// libFuzzer entry point for the expression parser and evaluator.
// Properties: no crash; errors point inside the text; the canonical rendering
// parses back to the same tree; compiled trees evaluate. Built by fuzz/build.sh.
import LogKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpr(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  do throws(ExprError) {
    let expr = try Expr.parse(text)
    precondition((try? Expr.parse(expr.description)) == expr, "rendering does not parse back")
    let slots = RecordSlots()
    let compiled = try CompiledExpr(expr, slots: slots)
    _ = compiled.evaluate(slots).description
  } catch {
    precondition(error.column >= 1 && error.column <= text.utf8.count + 1, "error column outside the text")
  }
  return 0
}
