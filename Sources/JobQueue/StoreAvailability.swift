import Synchronization

/// The job store cannot be reached right now (its database is restarting, or the network to it
/// is down). Callers should retry later. A write that was under way when the connection broke may
/// have committed, which is why repeatable writes (submissions with an idempotency key, claims
/// fenced by tokens) are built to be repeated.
public struct JobStoreUnavailable: Error, Sendable, CustomStringConvertible {
    /// What was observed.
    public let reason: String
    /// Whether the failed call may have changed something anyway: `false` when it never reached
    /// the database (no connection), `true` when the connection broke while it ran, possibly
    /// after its commit.
    public let mayHaveChanged: Bool

    /// Creates the error.
    public init(_ reason: String, mayHaveChanged: Bool = true) {
        self.reason = reason
        self.mayHaveChanged = mayHaveChanged
    }

    public var description: String { "the job store is unavailable: \(reason)" }
}

extension JobStore {
    /// Whether the store answered the last time it was used; a store that cannot fail this way
    /// is always available.
    public var isAvailable: Bool { true }
}

/// Whether a store's database is reachable, as last observed, with the one probe that runs
/// while it is not.
final class Availability: Sendable {
    private let state = Mutex<(available: Bool, probing: Bool)>((true, false))

    var isAvailable: Bool { state.withLock { $0.available } }

    /// Records a failure to reach the database; returns true when the caller should start the
    /// probe (none is running yet).
    func markUnavailable() -> Bool {
        state.withLock { state in
            state.available = false
            guard !state.probing else { return false }
            state.probing = true
            return true
        }
    }

    /// Records that the database answered.
    func markAvailable() {
        state.withLock { $0 = (true, false) }
    }
}
