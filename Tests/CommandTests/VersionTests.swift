import LogKitTestSupport
import Testing

@Suite struct VersionTests {
  @Test(arguments: Shell.commands)
  func versionAndUsageErrors(command: String) throws {
    let version = try Shell.run("\(command) --version")
    #expect(version.status == 0)
    #expect(version.stdout.hasPrefix("\(command) "))
    let bad = try Shell.run("\(command) --no-such-option")
    #expect(bad.status == 2)
    #expect(bad.stderr.hasPrefix("\(command): unknown option"))
  }
}
