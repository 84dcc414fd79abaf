import LogKit

CommandMain.run(LogWindowCommand.spec, LogWindowCommand.run)
