/*
 Golden cases of every command in the registry: each
 Tests/Fixtures/<command>/<case>/ (layout in Tests/Fixtures/README.md) runs the
 built command on its input; stdout (byte for byte: field order is part of the
 record contract), stderr and the exit status must be what the case expects.
 A new command gets golden tests by adding case folders, no code. With
 LOGKIT_RECORD=1 the expectations are rewritten and the test fails, so a diff
 is always reviewed.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct GoldenTests {
  static let cases = GoldenCase.all()

  /// The commands whose behaviour the goldens pin down must keep their cases.
  @Test(arguments: [("logparse", 8), ("logwindow", 10)])
  func casesExist(command: String, atLeast: Int) {
    #expect(Shell.commands.contains(command))
    #expect(GoldenCase.cases(of: command).count >= atLeast)
  }

  @Test(arguments: cases)
  func golden(_ golden: GoldenCase) throws {
    try golden.check()
  }
}
