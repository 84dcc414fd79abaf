/*
 The fuzz targets' checks (Tests/Support/Fuzz/) in the debug test build:
 every regression input under Tests/Fixtures/fuzz/<target>/ (what the
 campaigns found, kept with the seeds written by hand), then a seeded random
 pass per target: mutations of its seeds, same properties.
*/
import Foundation
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct FuzzRegressionTests {
  static var targetNames: [String] { FuzzTarget.all.map(\.name) }

  /// Every file of a fixture folder; a golden case's (or a folder of golden cases') input files.
  static func seedInputs(_ target: FuzzTarget) -> [[UInt8]] {
    var inputs: [[UInt8]] = []
    for folder in ["fuzz/\(target.name)"] + target.seeds {
      let path = Fixtures.path(folder)
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { continue }
      for name in names.sorted() {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isDir), isDir.boolValue {
          inputs += Fixtures.names(in: folder + "/" + name).filter { $0.hasPrefix("input.") }.map { Fixtures.bytes(folder + "/" + name, $0) }
        } else if names.contains("args") ? name.hasPrefix("input.") : !name.hasSuffix(".md") {
          inputs.append(Fixtures.bytes(folder, name))
        }
      }
    }
    return inputs
  }

  @Test(arguments: targetNames) func regressionInputsPass(_ name: String) throws {
    let target = try #require(FuzzTarget.named(name))
    let folder = "fuzz/\(name)"
    let names = FileManager.default.fileExists(atPath: Fixtures.path(folder)) ? Fixtures.names(in: folder) : []
    for file in names {
      let failure = target.run(Fixtures.bytes(folder, file))
      #expect(failure == nil, "\(folder)/\(file): \(failure ?? "")")
    }
  }

  @Test(arguments: targetNames) func everyTargetHasSeeds(_ name: String) throws {
    let target = try #require(FuzzTarget.named(name))
    let seeds = Self.seedInputs(target)
    #expect(!seeds.isEmpty)
    for (k, seed) in seeds.enumerated() {
      let failure = target.run(seed)
      #expect(failure == nil, "seed \(k): \(failure ?? "")")
    }
  }

  @Test(arguments: targetNames) func seededMutationsPass(_ name: String) throws {
    let target = try #require(FuzzTarget.named(name))
    let seeds = Self.seedInputs(target).map { Array($0.prefix(target.maxLength)) }
    try #require(!seeds.isEmpty)
    var rng = TestRNG(seed: 0xF022 &+ UInt64(name.utf8.reduce(0) { $0 &* 31 &+ Int($1) }.magnitude))
    let rounds = name == "partial" ? 150 : 600
    for round in 0..<rounds {
      let input = Mutator.mutate(seeds[round % seeds.count], other: seeds[Int(rng.next() % UInt64(seeds.count))], &rng)
      let failure = target.run(input)
      #expect(failure == nil, "\(name) round \(round): \(failure ?? "") input: \(String(decoding: input.prefix(300), as: UTF8.self))")
      if failure != nil { break }
    }
  }
}

/// Byte-level mutations in the spirit of libFuzzer's: flips, inserts of
/// tokens that matter to the parsers, deletions, duplications, splices.
enum Mutator {
  static let tokens: [[UInt8]] = [
    "\"", "\\", "\\\"", "{", "}", "[", "]", ":", ",", " ", "\t", "\n", "-", "%", "$", "#", "#Fields: ", "#Date: ",
    "\\u0000", "\\ud800", "\\u00e9", "1e309", "-0", "9223372036854775808", "99999999999999999999", "0.000001",
    "[10/Oct/2000:13:55:36 -0700]", "2000-10-10T13:55:36Z", "%{X}i", "%t", "%>s", "$request", "${", "null", "true",
  ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [0xE2, 0x82]]

  static func mutate(_ seed: [UInt8], other: [UInt8], _ rng: inout TestRNG) -> [UInt8] {
    var bytes = seed
    for _ in 0...(rng.next() % 4) {
      let at = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count + 1))
      switch rng.next() % 7 {
      case 0 where at < bytes.count:
        bytes[at] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
      case 1:
        bytes.insert(contentsOf: tokens[Int(rng.next() % UInt64(tokens.count))], at: at)
      case 2 where at < bytes.count:
        bytes.removeSubrange(at..<min(bytes.count, at + 1 + Int(rng.next() % 16)))
      case 3 where at < bytes.count:
        let end = min(bytes.count, at + 1 + Int(rng.next() % 32))
        bytes.insert(contentsOf: bytes[at..<end], at: at)
      case 4 where !other.isEmpty:
        let from = Int(rng.next() % UInt64(other.count))
        bytes.insert(contentsOf: other[from..<min(other.count, from + 1 + Int(rng.next() % 64))], at: at)
      case 5:
        bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
      default:
        if at < bytes.count, bytes[at] >= 0x30 && bytes[at] <= 0x39 { bytes[at] = 0x30 + UInt8(rng.next() % 10) }
      }
    }
    return bytes
  }
}
