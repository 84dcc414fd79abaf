import LogKit

CommandRegistry.main("logparse")
