import LogKit

CommandRegistry.main("loggen")
