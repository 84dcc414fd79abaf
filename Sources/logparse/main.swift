import LogKit

CommandMain.run(CommandSpec(name: "logparse", summary: "not yet built", usage: ["[OPTIONS]"], description: "", options: [])) { _ in
  writeStderr("logparse: not yet built\n")
  return .failure
}
