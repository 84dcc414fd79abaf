import LogKit

CommandRegistry.main("logalert")
