import LogKit

CommandMain.run(CommandSpec(name: "loggen", summary: "not yet built", usage: ["[OPTIONS]"], description: "", options: [])) { _ in
  writeStderr("loggen: not yet built\n")
  return .failure
}
