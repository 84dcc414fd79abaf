import LogKit

CommandMain.run(LogParseCommand.spec, LogParseCommand.run)
