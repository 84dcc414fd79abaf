import LogKit

CommandMain.run(CommandSpec(name: "logwindow", summary: "not yet built", usage: ["[OPTIONS]"], description: "", options: [])) { _ in
  writeStderr("logwindow: not yet built\n")
  return .failure
}
