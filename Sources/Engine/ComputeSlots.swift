import Foundation
import Synchronization

/// The slots in which models compute: a counting semaphore for async tasks, first come first
/// served, that a waiter leaves when its task is cancelled. Each slot has a thread of its own on
/// which its models run (see ``ModelThread``).
///
/// A worker holds more tasks than it has slots so that, while one chunk's model runs, the chunk
/// before it is written out and recorded (and, with prefetch, the chunk after it is claimed and
/// read). Only the model's run takes a slot; that is what ``WorkerService/Configuration/slots``
/// bounds.
final class ComputeSlots: Sendable {
    private struct State {
        var free: [Int]
        var waiters: [(key: UUID, continuation: CheckedContinuation<Int, any Error>)] = []
    }

    private let state: Mutex<State>
    private let threads: [ModelThread]

    /// Creates `count` free slots and their threads.
    init(count: Int) {
        let count = max(1, count)
        state = Mutex(State(free: Array((0..<count).reversed())))
        threads = (0..<count).map { ModelThread(name: "bp-model-\($0)") }
    }

    /// Stops the slots' threads once they have nothing left to run.
    func stop() { for thread in threads { thread.stop() } }

    /// The thread of slot `slot`, for running its model.
    func thread(_ slot: Int) -> ModelThread { threads[slot] }

    /// Waits for a free slot and takes it; returns its number.
    /// - Throws: `CancellationError` when the waiting task is cancelled first; no slot is taken.
    func acquire() async throws -> Int {
        let key = UUID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                enum Now { case take(Int), cancelled, wait }
                let now = state.withLock { state -> Now in
                    if Task.isCancelled { return .cancelled }
                    if state.waiters.isEmpty, let slot = state.free.popLast() { return .take(slot) }
                    state.waiters.append((key, continuation))
                    return .wait
                }
                switch now {
                case .take(let slot): continuation.resume(returning: slot)
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .wait: break
                }
            }
        } onCancel: {
            // Only this waiter, and only if release() has not handed it a slot already.
            let waiter = state.withLock { state -> CheckedContinuation<Int, any Error>? in
                guard let index = state.waiters.firstIndex(where: { $0.key == key }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Tasks waiting for a slot now.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Gives slot `slot` back, to the longest waiter if there is one.
    func release(_ slot: Int) {
        let next = state.withLock { state -> CheckedContinuation<Int, any Error>? in
            guard !state.waiters.isEmpty else {
                state.free.append(slot)
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume(returning: slot)
    }
}
