import LogKit

CommandRegistry.main("logdash")
