import LogKit

CommandRegistry.main("logwindow")
