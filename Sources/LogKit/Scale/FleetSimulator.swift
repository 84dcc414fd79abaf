/*
 The fleet in --simulate: each decision becomes the next evaluation's
 replica count at once, but added replicas count as ready only after the
 startup delay. A scale-down removes replicas that are still starting first
 (newest first), then ready ones, as a ReplicaSet deletes unready pods first.
*/

package struct FleetSimulator: Sendable {
  package let startupDelay: Int64
  package private(set) var ready: Int
  /// Replicas still starting: (time they become ready, count), oldest first.
  private var starting: [TimedCount] = []

  package init(replicas: Int, startupDelay: Int64) {
    ready = replicas
    self.startupDelay = startupDelay
  }

  /// Every replica, ready or starting.
  package var total: Int { ready + starting.reduce(0) { $0 + $1.replicas } }

  /// Makes replicas whose startup delay has passed by `now` ready.
  package mutating func advance(to now: EpochMicros) {
    while let first = starting.first, first.time <= now {
      ready += first.replicas
      starting.removeFirst()
    }
  }

  /// Applies a decision taken at `now`.
  package mutating func scale(to replicas: Int, at now: EpochMicros) {
    var excess = total - replicas
    if excess < 0 {
      starting.append(TimedCount(time: now &+ startupDelay, replicas: -excess))
      advance(to: now)  // a zero delay means ready at once
      return
    }
    while excess > 0, var last = starting.popLast() {
      let removed = Swift.min(excess, last.replicas)
      last.replicas -= removed
      excess -= removed
      if last.replicas > 0 { starting.append(last) }
    }
    ready -= excess
  }
}
