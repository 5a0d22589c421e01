import BulkPredictCore
import Synchronization

/// The tasks this worker process is running now, shared between its claim loop, its task children
/// and its sweep.
final class RunningTasks: Sendable {
    private let tasks = Mutex<[Int64: RequestID]>([:])

    var count: Int { tasks.withLock { $0.count } }

    var requestIDs: Set<RequestID> { tasks.withLock { Set($0.values) } }

    func insert(_ taskID: Int64, _ requestID: RequestID) { tasks.withLock { $0[taskID] = requestID } }

    func remove(_ taskID: Int64) { tasks.withLock { $0[taskID] = nil } }
}
