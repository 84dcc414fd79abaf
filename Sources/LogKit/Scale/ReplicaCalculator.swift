/*
 One metric's replica proposal, as the HPA replica calculator computes it.

   average (AverageValue of an External metric): the value is a fleet total.
     usage ratio = value / (target × current); within tolerance -> current,
     else ceil(value / target).
   value (Value of an Object metric): the value is per replica.
     usage ratio = value / target; within tolerance -> current,
     else ceil(ratio × ready).

 With zero current replicas there is no ratio to hold: the proposal is
 ceil(value / target) for both kinds, as the controller does. A value metric
 with no ready replica has no proposal (the controller reports the metric as
 invalid), so it counts as missing.
*/

/// A metric's proposal for one evaluation.
package struct MetricProposal: Sendable, Equatable {
  package var replicas: Int
  /// The usage ratio (1 = on target); nil when there are no current replicas.
  package var ratio: Double?
  /// The ratio was within the tolerance, so the proposal is the current count.
  package var withinTolerance: Bool
}

package enum ReplicaCalculator {
  /// The proposal of `metric` for `value` with `current` replicas of which `ready` are ready.
  package static func propose(
    _ metric: ScaleMetric, value: Double, current: Int, ready: Int, toleranceUp: Double, toleranceDown: Double
  ) -> MetricProposal? {
    guard current > 0 else {
      return MetricProposal(replicas: ceilReplicas(value / metric.target), ratio: nil, withinTolerance: false)
    }
    let ratio: Double
    let proposal: Double
    switch metric.kind {
    case .average:
      ratio = value / (metric.target * Double(current))
      proposal = value / metric.target
    case .value:
      guard ready > 0 else { return nil }
      ratio = value / metric.target
      proposal = ratio * Double(ready)
    }
    if ratio >= 1 - toleranceDown && ratio <= 1 + toleranceUp {
      return MetricProposal(replicas: current, ratio: ratio, withinTolerance: true)
    }
    return MetricProposal(replicas: ceilReplicas(proposal), ratio: ratio, withinTolerance: false)
  }

  /// ceil(x) as a replica count, clamped to 0...replicaLimit (never traps on huge or odd values).
  package static func ceilReplicas(_ x: Double) -> Int {
    guard x.isFinite else { return x > 0 ? ScaleConfig.replicaLimit : 0 }
    if x <= 0 { return 0 }
    if x >= Double(ScaleConfig.replicaLimit) { return ScaleConfig.replicaLimit }
    return Int(x.rounded(.up))
  }
}
