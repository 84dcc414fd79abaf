/*
 Every command's spec, for the generators and the tests that keep man/ and
 completions/ in sync with the option tables.
*/

package enum CommandRegistry {
  package static let all: [CommandSpec] = [
    LogParseCommand.spec,
    LogGenCommand.spec,
    LogWindowCommand.spec,
    LogScaleCommand.spec,
  ]
}
