import LogKit

CommandMain.run(LogDashCommand.spec, LogDashCommand.run)
