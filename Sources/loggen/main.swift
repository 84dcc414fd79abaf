import LogKit

CommandMain.run(LogGenCommand.spec, LogGenCommand.run)
