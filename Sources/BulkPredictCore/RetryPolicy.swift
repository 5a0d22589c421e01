/// How long a task waits before its next attempt: exponential backoff with jitter, capped.
///
/// Jitter spreads retries of many chunks that failed together (a model server restarting, say)
/// so they do not all come back at the same instant.
public struct RetryPolicy: Sendable, Equatable {
    /// Delay before the second attempt.
    public var baseDelay: Duration = .seconds(1)
    /// Longest delay, whatever the attempt.
    public var maximumDelay: Duration = .seconds(60)
    /// Fraction of the delay by which it may randomly shrink or grow (0.25 means ±25%).
    public var jitter: Double = 0.25

    /// The default policy.
    public init() {}

    /// Creates a policy.
    public init(baseDelay: Duration, maximumDelay: Duration, jitter: Double) {
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The wait after attempt `attempt` (1 for the first) failed.
    /// - Parameter random: a number in 0...1 (injected so that tests are deterministic).
    public func delay(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let doubled = baseDelay * (1 << exponent)
        let capped = min(doubled, maximumDelay)
        let factor = 1 + jitter * (2 * min(max(random, 0), 1) - 1)
        return capped * factor
    }

    /// The wait after attempt `attempt` failed, with system randomness.
    public func delay(afterAttempt attempt: Int) -> Duration {
        delay(afterAttempt: attempt, random: Double.random(in: 0...1))
    }
}
