import BulkPredictCore
import Synchronization

/// The requests this process knows to be cancelled, so running tasks can stop within a fraction
/// of a second instead of waiting for the next look at the store.
final class CancelBoard: Sendable {
    /// Beyond this many entries the board starts afresh; the worker sweep re-adds, from the store,
    /// every cancelled request that still runs here, so forgetting costs at most one sweep.
    static let capacity = 10_000

    private let ids = Mutex<Set<RequestID>>([])

    func insert(_ id: RequestID) {
        ids.withLock {
            if $0.count >= Self.capacity { $0.removeAll() }
            $0.insert(id)
        }
    }

    func formUnion(_ more: Set<RequestID>) { ids.withLock { $0.formUnion(more) } }

    func contains(_ id: RequestID) -> Bool { ids.withLock { $0.contains(id) } }

    /// Forgets requests that no longer run here, so the set does not grow forever.
    func keepOnly(_ live: Set<RequestID>) { ids.withLock { $0.formIntersection(live) } }
}
