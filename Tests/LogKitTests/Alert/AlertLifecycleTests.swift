// Every lifecycle transition, driven by injected event times.
import Testing
@testable import LogKit

@Suite struct AlertLifecycleTests {
  let minute: Int64 = 60_000_000

  /// Runs evaluations (time in minutes, condition, resolve) and returns the transitions.
  func run(_ steps: [(Int64, Bool, Bool?)], timing: AlertTiming) -> [AlertTransition?] {
    var lifecycle = AlertLifecycle()
    return steps.map { lifecycle.evaluate(at: $0.0 * minute, active: $0.1, resolveHolds: $0.2, timing: timing) }
  }

  @Test func firesAtOnceWithoutFor() {
    let out = run([(0, false, nil), (1, true, nil), (2, true, nil), (3, false, nil)], timing: AlertTiming(repeatEvery: 0))
    #expect(out == [nil, .firing, nil, .resolved])
  }

  @Test func pendingUntilForElapsed() {
    let timing = AlertTiming(forDuration: 2 * minute, repeatEvery: 0)
    #expect(run([(1, true, nil), (2, true, nil), (3, true, nil), (4, true, nil)], timing: timing) == [.pending, nil, .firing, nil])
    // A false evaluation while pending resets the episode.
    #expect(run([(1, true, nil), (2, false, nil), (3, true, nil), (4, true, nil), (5, true, nil)], timing: timing) == [.pending, nil, .pending, nil, .firing])
  }

  @Test func sinceIsTheEpisodeStart() {
    var lifecycle = AlertLifecycle()
    let timing = AlertTiming(forDuration: minute, repeatEvery: 0)
    _ = lifecycle.evaluate(at: 5 * minute, active: true, resolveHolds: nil, timing: timing)
    #expect(lifecycle.evaluate(at: 6 * minute, active: true, resolveHolds: nil, timing: timing) == .firing)
    #expect(lifecycle.since == 5 * minute)
    #expect(lifecycle.evaluate(at: 7 * minute, active: false, resolveHolds: nil, timing: timing) == .resolved)
    #expect(lifecycle.since == 5 * minute)
    #expect(lifecycle.phase == .inactive)
  }

  @Test func keepHoldsFiringUntilClearedLongEnough() {
    let timing = AlertTiming(keep: 2 * minute, repeatEvery: 0)
    #expect(run([(0, true, nil), (1, false, nil), (2, false, nil), (3, false, nil)], timing: timing) == [.firing, nil, nil, .resolved])
    // A true evaluation while clearing restarts the keep interval.
    #expect(run([(0, true, nil), (1, false, nil), (2, true, nil), (3, false, nil), (4, false, nil), (5, false, nil)], timing: timing)
      == [.firing, nil, nil, nil, nil, .resolved])
  }

  @Test func resolveExpressionIsASeparateThreshold() {
    let timing = AlertTiming(repeatEvery: 0)
    // condition false but resolve not yet true: stays firing.
    #expect(run([(0, true, false), (1, false, false), (2, false, false), (3, false, true)], timing: timing) == [.firing, nil, nil, .resolved])
    // resolve true while the condition still holds does not resolve.
    #expect(run([(0, true, true), (1, true, true), (2, false, true)], timing: timing) == [.firing, nil, .resolved])
  }

  @Test func repeatWhileFiring() {
    let timing = AlertTiming(repeatEvery: 3 * minute)
    #expect(run([(0, true, nil), (1, true, nil), (2, true, nil), (3, true, nil), (4, true, nil), (6, true, nil), (7, false, nil)], timing: timing)
      == [.firing, nil, nil, .repeated, nil, .repeated, .resolved])
  }

  @Test func staleResolvesFiringAndDropsPending() {
    var firing = AlertLifecycle()
    _ = firing.evaluate(at: 0, active: true, resolveHolds: nil, timing: AlertTiming())
    #expect(firing.checkStale(at: 4 * minute, lastSeen: 0, stale: 5 * minute) == nil)
    #expect(firing.phase == .firing)
    #expect(firing.checkStale(at: 5 * minute, lastSeen: 0, stale: 5 * minute) == .staleResolved)
    #expect(firing.phase == .inactive)
    var pending = AlertLifecycle()
    _ = pending.evaluate(at: 0, active: true, resolveHolds: nil, timing: AlertTiming(forDuration: 10 * minute))
    #expect(pending.phase == .pending)
    #expect(pending.checkStale(at: 5 * minute, lastSeen: 0, stale: 5 * minute) == nil)
    #expect(pending.phase == .inactive)
    var inactive = AlertLifecycle()
    #expect(inactive.checkStale(at: 50 * minute, lastSeen: 0, stale: 5 * minute) == nil)
  }
}
