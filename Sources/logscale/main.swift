import LogKit

CommandRegistry.main("logscale")
