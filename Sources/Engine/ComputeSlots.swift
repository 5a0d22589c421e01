import Foundation
import Synchronization

/// The slots in which models compute: a counting semaphore for async tasks, first come first
/// served, that a waiter leaves when its task is cancelled.
///
/// A worker holds more tasks than it has slots so that, while one chunk's model runs, the chunk
/// before it is written out and recorded (and, with prefetch, the chunk after it is claimed and
/// read). Only the model's run takes a slot; that is what ``WorkerService/Configuration/slots``
/// bounds.
final class ComputeSlots: Sendable {
    private struct State {
        var free: Int
        var waiters: [(key: UUID, continuation: CheckedContinuation<Void, any Error>)] = []
    }

    private let state: Mutex<State>

    /// Creates `count` free slots.
    init(count: Int) {
        state = Mutex(State(free: max(1, count)))
    }

    /// Waits for a free slot and takes it.
    /// - Throws: `CancellationError` when the waiting task is cancelled first; no slot is taken.
    func acquire() async throws {
        let key = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Now { case take, cancelled, wait }
                let now = state.withLock { state -> Now in
                    if Task.isCancelled { return .cancelled }
                    if state.free > 0, state.waiters.isEmpty {
                        state.free -= 1
                        return .take
                    }
                    state.waiters.append((key, continuation))
                    return .wait
                }
                switch now {
                case .take: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .wait: break
                }
            }
        } onCancel: {
            // Only this waiter, and only if release() has not handed it the slot already.
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.waiters.firstIndex(where: { $0.key == key }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Tasks waiting for a slot now.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Gives a slot back, to the longest waiter if there is one.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            guard !state.waiters.isEmpty else {
                state.free += 1
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume()
    }
}
