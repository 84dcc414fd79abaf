import LogKit

CommandMain.run(LogAlertCommand.spec, LogAlertCommand.run)
