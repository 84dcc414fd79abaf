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

extension LogAlertActions {
  /// A group's batch (--group-by): the notification's JSON line on stdin (its `events` array holds
  /// the events), LOGALERT_GROUP_* variables, and placeholders from its top-level and group fields.
  static func submitGroup(_ notification: AlertNotification, to actions: ProgramActions) {
    var json = notification.jsonBytes
    var fields = ProgramActions.fields(ofJSON: json).filter { $0.0 != "group" && $0.0 != "events" }
    json.append(UInt8(ascii: "\n"))
    let alerts = Set(notification.events.map(\.alert))
    let state = notification.firing > 0 ? "firing" : "resolved"
    let summary = notification.events.map(\.summary).joined(separator: "; ")
    fields += [("state", state), ("summary", summary), ("key", notification.groupKey)]
    if alerts.count == 1, let alert = alerts.first { fields.append(("alert", alert)) }
    var environment: [(String, String)] = [
      ("LOGALERT_GROUP_KEY", notification.groupKey),
      ("LOGALERT_GROUP_COUNT", String(notification.events.count)),
      ("LOGALERT_GROUP_FIRING", String(notification.firing)),
      ("LOGALERT_GROUP_RESOLVED", String(notification.events.count { $0.state == "resolved" })),
      ("LOGALERT_STATE", state),
      ("LOGALERT_SUMMARY", summary),
      ("LOGALERT_TIME", fields.first { $0.0 == "time" }?.1 ?? ""),
    ]
    if alerts.count == 1, let alert = alerts.first { environment.append(("LOGALERT_ALERT", alert)) }
    for (name, value) in notification.group {
      let text = ProgramActions.placeholderText(value)
      environment.append(("LOGALERT_GROUP_" + environmentName(name), text))
      fields.append((name, text))
    }
    actions.submit(
      fields: { name in fields.last { $0.0 == name }?.1 },
      environment: environment, stdin: json, about: "group \(notification.groupKey) (\(notification.events.count) events)")
  }
}
