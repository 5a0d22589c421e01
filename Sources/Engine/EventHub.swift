import BulkPredictCore
import Foundation
import Synchronization

/// In-process news that a request changed, so event streams and waiting loops react at once
/// instead of at their next poll. Across processes, pollers still see every change in the store.
public final class EventHub: Sendable {
    /// One listener's view of a request's changes.
    public final class Subscription: Sendable {
        let signal: WakeSignal
        let cancelAction: @Sendable () -> Void

        init(signal: WakeSignal, cancel: @escaping @Sendable () -> Void) {
            self.signal = signal
            cancelAction = cancel
        }

        /// Returns when the request changed since the last call, after `timeout`, or on cancellation.
        public func wait(timeout: Duration) async { await signal.wait(timeout: timeout) }

        /// Stops listening.
        public func cancel() { cancelAction() }

        deinit { cancelAction() }
    }

    private let subscribers = Mutex<[RequestID: [ObjectIdentifier: WakeSignal]]>([:])

    /// Creates a hub.
    public init() {}

    /// Tells every subscriber of `id` that it changed.
    public func changed(_ id: RequestID) {
        let signals = subscribers.withLock { Array(($0[id] ?? [:]).values) }
        for signal in signals { signal.notify() }
    }

    /// Starts listening to changes of `id`; changes that arrive while nobody waits coalesce into one.
    public func subscribe(_ id: RequestID) -> Subscription {
        let signal = WakeSignal()
        let key = ObjectIdentifier(signal)
        subscribers.withLock { $0[id, default: [:]][key] = signal }
        return Subscription(signal: signal) { [weak self] in
            self?.subscribers.withLock { table in
                table[id]?[key] = nil
                if table[id]?.isEmpty == true { table[id] = nil }
            }
        }
    }

    /// Number of live subscriptions, for tests and metrics.
    public var subscriptionCount: Int { subscribers.withLock { $0.values.reduce(0) { $0 + $1.count } } }
}
