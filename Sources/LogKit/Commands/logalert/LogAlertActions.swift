/*
 logalert --exec: one action per alert event (transitions and repeats, not
 --all's other evaluations). The program gets the event's JSON line on
 stdin, LOGALERT_* environment variables, and `{field}` placeholders in its
 arguments filled from the event's top-level fields, each inside its own
 argument; nothing goes through a shell.
*/

extension LogAlertSettings {
  /// logalert's defaults: 4 at once, 1000 queued, 2 retries after 1s and 2s.
  static let actionDefaults: ActionPolicy = {
    var policy = ActionPolicy()
    policy.retries = 2
    return policy
  }()
}

enum LogAlertActions {
  /// The event's action: argv, environment and stdin.
  static func submit(_ event: AlertEvent, to actions: ProgramActions) {
    var json = event.jsonBytes
    let fields = ProgramActions.fields(ofJSON: json)
    json.append(UInt8(ascii: "\n"))
    var environment: [(String, String)] = [
      ("LOGALERT_ALERT", event.alert),
      ("LOGALERT_STATE", event.state),
      ("LOGALERT_VALUE", ProgramActions.placeholderText(event.value)),
      ("LOGALERT_SUMMARY", event.summary),
      ("LOGALERT_TIME", fields.first { $0.0 == "time" }?.1 ?? ""),
      ("LOGALERT_SINCE", fields.first { $0.0 == "since" }?.1 ?? ""),
      ("LOGALERT_REPEAT", event.isRepeat ? "1" : "0"),
    ]
    var about = "\(event.alert) \(event.state)"
    for (name, value) in event.key {
      let text = ProgramActions.placeholderText(value)
      environment.append(("LOGALERT_KEY_" + environmentName(name), text))
      about += " \(name)=\(text)"
    }
    actions.submit(
      fields: { name in fields.last { $0.0 == name }?.1 },
      environment: environment, stdin: json, about: about)
  }
}
