/*
 Table-driven continuous distributions for the hot loop.

 Log-normal sizes and latencies need a standard normal sample per line, and
 Poisson arrivals an exponential one. Instead of Box-Muller or log() per line,
 each is read from a table of 4096 quantiles at a random index: one random
 number and one load. The tables stop at about ±3.5 sigma, which suits traffic.
*/
import Glibc

package final class Distributions {
  private static let size = 4096
  private let normalTable: UnsafeMutablePointer<Double>
  private let exponentialTable: UnsafeMutablePointer<Double>

  package init() {
    normalTable = .allocate(capacity: Self.size)
    exponentialTable = .allocate(capacity: Self.size)
    for i in 0..<Self.size {
      let p = (Double(i) + 0.5) / Double(Self.size)
      normalTable[i] = Self.normalQuantile(p)
      exponentialTable[i] = -log(1 - p)
    }
  }

  deinit {
    normalTable.deallocate()
    exponentialTable.deallocate()
  }

  /// A standard normal sample.
  @inline(__always)
  package func normal(_ rng: inout Xoshiro256) -> Double {
    normalTable[Int(truncatingIfNeeded: rng.next() >> 52)]
  }

  /// An exponential sample with mean 1.
  @inline(__always)
  package func exponential(_ rng: inout Xoshiro256) -> Double {
    exponentialTable[Int(truncatingIfNeeded: rng.next() >> 52)]
  }

  /// exp(mu + sigma * z): a log-normal sample with median e^mu.
  @inline(__always)
  package func logNormal(_ rng: inout Xoshiro256, mu: Double, sigma: Double) -> Double {
    exp(mu + sigma * normal(&rng))
  }

  /// Inverse of the standard normal CDF (Acklam's rational approximation, error < 1.2e-9).
  package static func normalQuantile(_ p: Double) -> Double {
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
             6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    if p < low {
      let q = sqrt(-2 * log(p))
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    if p > 1 - low { return -normalQuantile(1 - p) }
    let q = p - 0.5
    let r = q * q
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
      / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  }
}
