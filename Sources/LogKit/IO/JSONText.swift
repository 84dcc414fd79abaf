/*
 JSON string text for the IO layer, which sits below JSON/ (state file
 headers, {field:json} placeholders of actions): one escaper for both.
*/

/// `text` escaped for the inside of a JSON string: quote, backslash and control characters.
func jsonEscaped(_ text: String) -> String {
  var out = ""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    default:
      if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out
}

/// Appends `text` as a JSON string literal.
func appendJSONString(_ text: String, to output: inout [UInt8]) {
  output.append(UInt8(ascii: "\""))
  output += Array(jsonEscaped(text).utf8)
  output.append(UInt8(ascii: "\""))
}
