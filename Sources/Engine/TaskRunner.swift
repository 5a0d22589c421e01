import BulkPredictCore
import Foundation
import Formats
import JobQueue
import Models

/// Runs one claimed task: reads its records, runs the model, writes the chunk output durably and
/// reports the ending to the store.
struct TaskRunner: Sendable {
    let coordinator: Coordinator

    /// Why a run stopped early.
    enum Stop: Error {
        /// The request is being cancelled.
        case requestCancelled
        /// The lease was lost: someone else owns the task now.
        case leaseLost
    }

    /// Runs `task` to its end. Returns the store's receipt, or `nil` when the task was released.
    func run(_ task: ClaimedTask) async -> FinishReceipt? {
        let store = coordinator.store
        do {
            let outputKey = BlobKeys.chunk(task.requestID.rawValue, task: task.taskID, attempt: task.attempt)
            let counts = try await produce(task, outputKey: outputKey)
            return try await store.finish(task, as: .succeeded(outputKey: outputKey, succeeded: counts.succeeded, failed: counts.failed))
        } catch Stop.requestCancelled {
            return try? await store.finish(task, as: .cancelled)
        } catch Stop.leaseLost {
            return nil
        } catch is CancellationError {
            // The process is shutting down: give the task back for another worker.
            try? await store.release(task)
            return nil
        } catch {
            coordinator.logger.warning("task failed", metadata: ["task": "\(task.taskID)", "error": "\(error)"])
            return try? await store.finish(task, as: .failed(reason: "\(task.modelID) failed on this chunk: \(error)"))
        }
    }

    /// Runs the model in a child task and cancels it as soon as the request is known to be
    /// cancelled, so that cancel stops work within a fraction of a second.
    private func predictWatchingCancel(_ predictor: any Predictor, _ inputs: [String], requestID: RequestID) async throws -> [RecordOutcome] {
        let board = coordinator.cancelBoard
        return try await withThrowingTaskGroup(of: [RecordOutcome].self) { group in
            group.addTask { try await predictor.predict(inputs) }
            group.addTask {
                while true {
                    try await Task.sleep(for: .milliseconds(50))
                    if board.contains(requestID) { throw Stop.requestCancelled }
                }
            }
            defer { group.cancelAll() }
            guard let outcomes = try await group.next() else { throw CancellationError() }
            return outcomes
        }
    }

    /// Reads the chunk, predicts, and writes the output file; returns the record counts.
    private func produce(_ task: ClaimedTask, outputKey: String) async throws -> (succeeded: Int, failed: Int) {
        let predictor = try coordinator.registry.predictor(for: task.modelID)
        let reader = try StoredInput.Reader(url: try coordinator.blobs.fileURL(for: task.inputKey), offset: task.inputOffset)
        var inputs: [String] = []
        var readErrors: [Int: String] = [:]
        inputs.reserveCapacity(task.rowCount)
        for position in 0..<task.rowCount {
            guard let record = try reader.next() else {
                throw EngineError("stored input ended at record \(task.startRow + position)")
            }
            if let error = record.error {
                readErrors[position] = error
            } else {
                inputs.append(record.input)
            }
        }
        let outcomes = try await predictWatchingCancel(predictor, inputs, requestID: task.requestID)
        guard outcomes.count == inputs.count else {
            throw EngineError("the model returned \(outcomes.count) outcomes for \(inputs.count) records")
        }
        let width = predictor.descriptor.outputs.count
        let writer = try ChunkOutput.Writer(url: try coordinator.blobs.fileURL(for: outputKey))
        do {
            var next = outcomes.makeIterator()
            for position in 0..<task.rowCount {
                if let error = readErrors[position] {
                    try writer.append(.error(error))
                } else if let outcome = next.next() {
                    if case .values(let values) = outcome, values.count != width {
                        try writer.append(.error("the model returned \(values.count) values for \(width) declared outputs"))
                    } else {
                        try writer.append(outcome)
                    }
                }
            }
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
        return (writer.succeeded, writer.failed)
    }
}
