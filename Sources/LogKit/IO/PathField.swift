/*
 A path as the last field of a line in a state file (--offsets, the
 archive's list of open files): '%', CR and LF percent-escaped, so any file
 name fits on one line and reads back byte for byte.
*/

/// `path` with %, CR and LF as %25, %0D, %0A.
func escapePathField(_ path: String) -> [UInt8] {
  var out: [UInt8] = []
  for byte in path.utf8 {
    switch byte {
    case 0x25: out += Array("%25".utf8)
    case 0x0A: out += Array("%0A".utf8)
    case 0x0D: out += Array("%0D".utf8)
    default: out.append(byte)
    }
  }
  return out
}

/// The inverse of `escapePathField`.
func unescapePathField(_ bytes: ArraySlice<UInt8>) -> String {
  var out: [UInt8] = []
  var index = bytes.startIndex
  while index < bytes.endIndex {
    if bytes[index] == 0x25, index + 2 < bytes.endIndex,
      let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
    {
      out.append(value)
      index += 3
      continue
    }
    out.append(bytes[index])
    index += 1
  }
  return String(decoding: out, as: UTF8.self)
}
