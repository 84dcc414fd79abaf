/*
 The `reason` sentence of a decision: which metric drove it, then which
 window, policy or limit changed the metrics' recommendation. Built only when
 a decision is written, so evaluations that print nothing cost no strings.
*/

extension ScaleDecision {
  package func reason(_ config: ScaleConfig) -> String {
    var text = causeText(config)
    if let stabilized { text += "; " + limitText(stabilized, config) }
    if let limited { text += "; " + limitText(limited, config) }
    return text
  }

  private func causeText(_ config: ScaleConfig) -> String {
    let metrics = config.metrics
    switch cause {
    case .metrics(let driver):
      var text = metricText(driver, config)
      if metrics.count > 1 { text += ", the largest of \(metrics.count) metrics" }
      return text
    case .allMissing:
      let names = metrics.map(\.name).joined(separator: ", ")
      return metrics.count == 1 ? "metric \(names) is missing: keeping \(from)" : "every metric is missing (\(names)): keeping \(from)"
    case .missingBlocksScaleDown(let driver):
      let missing = metrics.indices.filter { proposals[$0] == nil }.map { metrics[$0].name }.joined(separator: ", ")
      return "\(missing) missing and \(metricText(driver, config)): not scaling down while a metric is missing (as the HPA)"
    case .pausedAtZero:
      return "current replicas are 0 and min replicas is \(config.minReplicas): autoscaling is off at 0 (as in Kubernetes)"
    case .aboveMax:
      return "current \(from) is above max replicas \(config.maxReplicas)"
    case .belowMin:
      return "current \(from) is below min replicas \(config.hpaMinimum)"
    case .activated(let i):
      return "\(metrics[i].name) \(number(values[i])) is above activation \(number(metrics[i].activation ?? 0)): waking from zero"
    case .idleAtZero:
      return "no metric is above its activation: staying at zero"
    case .cooledDown(let since):
      return "no metric above its activation since \(formatRFC3339(since)) (cooldown \(describeSeconds(config.cooldown))): scaling to zero"
    }
  }

  private func metricText(_ i: Int, _ config: ScaleConfig) -> String {
    let metric = config.metrics[i]
    let value = number(values[i])
    let target = metric.kind == .average ? "target \(number(metric.target)) per replica" : "target \(number(metric.target))"
    guard let p = proposals[i] else { return "\(metric.name) \(value) has no proposal" }
    guard let ratio = p.ratio else { return "\(metric.name) \(value) at \(target) proposes \(p.replicas)" }
    let ratioText = "ratio \(number(ratio, digits: 2))"
    if p.withinTolerance {
      let band = config.toleranceUp == config.toleranceDown
        ? "tolerance \(number(config.toleranceUp))" : "tolerance -\(number(config.toleranceDown))/+\(number(config.toleranceUp))"
      return "\(metric.name) \(value) at \(target) is within \(band) (\(ratioText)): keep \(from)"
    }
    return "\(metric.name) \(value) at \(target) proposes \(p.replicas) (\(ratioText))"
  }

  private func limitText(_ limit: ScaleLimit, _ config: ScaleConfig) -> String {
    switch limit {
    case .upWindow(let n): return "the scale-up window \(describeSeconds(config.up.window)) holds the lowest recent recommendation, \(n)"
    case .downWindow(let n): return "the scale-down window \(describeSeconds(config.down.window)) holds the highest recent recommendation, \(n)"
    case .upPolicy(let p): return "up policy \(p) allows \(to)"
    case .downPolicy(let p): return "down policy \(p) allows \(to)"
    case .upDisabled: return "scale-up is disabled"
    case .downDisabled: return "scale-down is disabled"
    case .maxReplicas: return "max replicas \(config.maxReplicas)"
    case .minReplicas: return "min replicas \(config.hpaMinimum)"
    }
  }

  private func number(_ x: Double?, digits: Int = 3) -> String {
    guard let x else { return "missing" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (x * scale).rounded() / scale
    return Swift.abs(rounded) < 1e15 ? formatExprNumber(rounded) : formatExprNumber(x)
  }
}
