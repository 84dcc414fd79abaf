/*
 The typed configuration of the scaling engine: metrics with their targets,
 replica limits, tolerance, and the HPA `behavior` (per direction: a
 stabilization window, rate policies and how to select among them), plus the
 KEDA-style activation and cooldown for scaling to and from zero.

 Defaults are the ones Kubernetes documents for the HPA `behavior` field:
 scale-up has no stabilization window and allows, every 15 s, the larger of
 +100 % and +4 replicas; scale-down has a 300 s window and allows -100 % per
 15 s.
*/

/// How a metric's value relates to the replica count (the HPA target types).
package enum ScaleMetricKind: String, Sendable, Equatable, CaseIterable {
  /// The value is a fleet total; its average per replica is held at the target
  /// (HPA `AverageValue`): desired = ceil(value / target).
  case average
  /// The value is a per-replica quantity (latency, utilization) held at the
  /// target (HPA `Value`): desired = ceil(ready × value / target).
  case value
}

/// One metric the autoscaler follows.
package struct ScaleMetric: Sendable, Equatable {
  package var name: String
  package var target: Double
  package var kind: ScaleMetricKind
  /// KEDA activation threshold: with scale-to-zero the fleet wakes when the
  /// value is above it. Nil means 0.
  package var activation: Double?

  package init(name: String, target: Double, kind: ScaleMetricKind = .average, activation: Double? = nil) {
    self.name = name
    self.target = target
    self.kind = kind
    self.activation = activation
  }
}

/// A rate limit on one direction (HPA `HPAScalingPolicy`).
package struct ScalingPolicy: Sendable, Equatable, CustomStringConvertible {
  package enum Kind: String, Sendable, Equatable {
    case pods, percent
  }
  package var kind: Kind
  package var value: Int
  /// Microseconds: changes made in (now - period, now] count against the policy.
  package var period: Int64

  package init(_ kind: Kind, _ value: Int, per period: Int64) {
    self.kind = kind
    self.value = value
    self.period = period
  }

  /// `pods=4 per 15s`, as the options spell it.
  package var description: String { "\(kind.rawValue)=\(value) per \(describeSeconds(period))" }
}

/// Which policy wins when a direction has several (HPA `selectPolicy`).
package enum PolicySelect: String, Sendable, Equatable, CaseIterable {
  /// The policy allowing the largest change.
  case max
  /// The policy allowing the smallest change.
  case min
  /// No scaling in this direction.
  case disabled
}

/// The behavior of one direction (HPA `HPAScalingRules`).
package struct ScalingRules: Sendable, Equatable {
  /// Microseconds of past recommendations considered.
  package var window: Int64
  package var policies: [ScalingPolicy]
  package var select: PolicySelect

  package init(window: Int64, policies: [ScalingPolicy], select: PolicySelect = .max) {
    self.window = window
    self.policies = policies
    self.select = select
  }

  /// Kubernetes' default scale-up rules.
  package static let defaultUp = ScalingRules(
    window: 0, policies: [ScalingPolicy(.percent, 100, per: 15_000_000), ScalingPolicy(.pods, 4, per: 15_000_000)])
  /// Kubernetes' default scale-down rules.
  package static let defaultDown = ScalingRules(
    window: 300_000_000, policies: [ScalingPolicy(.percent, 100, per: 15_000_000)])

  /// The longest policy period: older scale events no longer matter.
  var longestPeriod: Int64 { policies.map(\.period).max() ?? 0 }
}

/// Everything the autoscaler needs, validated by `validate()`.
package struct ScaleConfig: Sendable, Equatable {
  package var metrics: [ScaleMetric]
  package var minReplicas: Int
  package var maxReplicas: Int
  /// Relative deviation from the target ignored upwards and downwards.
  package var toleranceUp = 0.1
  package var toleranceDown = 0.1
  package var up = ScalingRules.defaultUp
  package var down = ScalingRules.defaultDown
  /// With minReplicas 0: how long every metric must stay at or below its
  /// activation before the fleet goes to zero (KEDA `cooldownPeriod`).
  package var cooldown: Int64 = 300_000_000

  package init(metrics: [ScaleMetric], minReplicas: Int = 1, maxReplicas: Int) {
    self.metrics = metrics
    self.minReplicas = minReplicas
    self.maxReplicas = maxReplicas
  }

  /// Scale to and from zero (KEDA): minReplicas is 0.
  package var scalesToZero: Bool { minReplicas == 0 }

  /// The floor the HPA part works with: KEDA keeps it at 1 and does the zero part itself.
  var hpaMinimum: Int { Swift.max(minReplicas, 1) }

  /// The most replicas accepted anywhere (keeps every computation far from overflow).
  package static let replicaLimit = 1_000_000

  package func validate() throws(ScaleConfigError) {
    guard !metrics.isEmpty else { throw .noMetric }
    var names = Set<String>()
    for metric in metrics {
      guard names.insert(metric.name).inserted else { throw .duplicateMetric(metric.name) }
      guard metric.target.isFinite, metric.target > 0 else { throw .badTarget(metric: metric.name, metric.target) }
      if let a = metric.activation, !a.isFinite || a < 0 { throw .badActivation(metric: metric.name, a) }
    }
    guard minReplicas >= 0, minReplicas <= Self.replicaLimit else { throw .badReplicas("min", minReplicas) }
    guard maxReplicas >= 1, maxReplicas <= Self.replicaLimit else { throw .badReplicas("max", maxReplicas) }
    guard minReplicas <= maxReplicas else { throw .minAboveMax(min: minReplicas, max: maxReplicas) }
    for (direction, t) in [("up", toleranceUp), ("down", toleranceDown)] where !(t >= 0 && t < 1) {
      throw .badTolerance(direction: direction, t)
    }
    for (direction, rules) in [("up", up), ("down", down)] {
      guard rules.window >= 0, rules.window <= 3_600_000_000 else { throw .badWindow(direction: direction, rules.window) }
      guard !rules.policies.isEmpty || rules.select == .disabled else { throw .noPolicy(direction: direction) }
      for policy in rules.policies {
        guard policy.value > 0, policy.value <= Self.replicaLimit else { throw .badPolicy(direction: direction, policy, "the value must be positive") }
        guard policy.period >= 1_000_000, policy.period <= 1_800_000_000 else {
          throw .badPolicy(direction: direction, policy, "the period must be between 1s and 30m")
        }
      }
    }
    guard cooldown >= 0 else { throw .badCooldown(cooldown) }
  }
}

/// A configuration the engine cannot run with.
package enum ScaleConfigError: Error, Equatable, Sendable, CustomStringConvertible {
  case noMetric
  case duplicateMetric(String)
  case badTarget(metric: String, Double)
  case badActivation(metric: String, Double)
  case badReplicas(String, Int)
  case minAboveMax(min: Int, max: Int)
  case badTolerance(direction: String, Double)
  case badWindow(direction: String, Int64)
  case noPolicy(direction: String)
  case badPolicy(direction: String, ScalingPolicy, String)
  case badCooldown(Int64)

  package var description: String {
    switch self {
    case .noMetric: "no metric to scale on"
    case .duplicateMetric(let name): "metric '\(name)' is defined twice"
    case .badTarget(let name, let t): "target \(formatExprNumber(t)) of metric '\(name)' must be a positive number"
    case .badActivation(let name, let a): "activation \(formatExprNumber(a)) of metric '\(name)' must be a number >= 0"
    case .badReplicas(let which, let n): "\(which) replicas \(n) must be between \(which == "min" ? 0 : 1) and \(ScaleConfig.replicaLimit)"
    case .minAboveMax(let lo, let hi): "min replicas \(lo) is above max replicas \(hi)"
    case .badTolerance(let d, let t): "scale-\(d) tolerance \(formatExprNumber(t)) must be at least 0 and below 1"
    case .badWindow(let d, let w): "scale-\(d) window \(describeSeconds(w)) must be between 0s and 1h"
    case .noPolicy(let d): "scale-\(d) needs at least one policy (or select disabled)"
    case .badPolicy(let d, let p, let why): "scale-\(d) policy '\(p)': \(why)"
    case .badCooldown(let c): "cooldown \(describeSeconds(c)) must not be negative"
    }
  }
}

/// Microseconds as the shortest exact unit (`300s` is written `5m`): for reasons and messages.
package func describeSeconds(_ micros: Int64) -> String {
  let units: [(String, Int64)] = [("d", 86_400_000_000), ("h", 3_600_000_000), ("m", 60_000_000), ("s", 1_000_000), ("ms", 1_000)]
  for (name, size) in units where micros != 0 && micros % size == 0 { return "\(micros / size)\(name)" }
  return micros == 0 ? "0s" : "\(micros)us"
}
