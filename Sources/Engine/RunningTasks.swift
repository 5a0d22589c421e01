import BulkPredictCore
import Synchronization

/// The tasks this worker process holds now, shared between its claim loop, its task children and
/// its sweep; and of those, the ones whose model has not run yet (waiting for a slot, or running).
final class RunningTasks: Sendable {
    private struct State {
        var tasks: [Int64: RequestID] = [:]
        var beforeCompute: Set<Int64> = []
    }

    private let state = Mutex(State())

    /// Tasks held.
    var count: Int { state.withLock { $0.tasks.count } }

    /// Held tasks whose model has not finished yet.
    var beforeComputeCount: Int { state.withLock { $0.beforeCompute.count } }

    var requestIDs: Set<RequestID> { state.withLock { Set($0.tasks.values) } }

    func insert(_ taskID: Int64, _ requestID: RequestID) {
        state.withLock { state in
            state.tasks[taskID] = requestID
            state.beforeCompute.insert(taskID)
        }
    }

    /// Notes that the model of `taskID` is done: what remains is writing and recording its output.
    func computeEnded(_ taskID: Int64) { _ = state.withLock { $0.beforeCompute.remove(taskID) } }

    func remove(_ taskID: Int64) {
        state.withLock { state in
            state.tasks[taskID] = nil
            state.beforeCompute.remove(taskID)
        }
    }
}
