import LogKit

CommandMain.run(LogScaleCommand.spec, LogScaleCommand.run)
