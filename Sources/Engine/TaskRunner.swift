import BulkPredictCore
import Formats
import Foundation
import JobQueue
import Models

/// Runs one claimed task: reads its records, runs the model, writes the chunk output durably and
/// reports the ending to the store.
struct TaskRunner: Sendable {
    let coordinator: Coordinator
    /// Where the model runs: reading the chunk before and writing its output after happen outside
    /// a slot, beside another chunk's model.
    let slots: ComputeSlots
    /// Called once the model is done with the chunk (or, having no record to run, skipped it), so
    /// the worker may claim the next task while this one's output is written. A run that fails
    /// before that point does not call it; the worker then counts the task out when it ends.
    var computeEnded: @Sendable () -> Void = {}
    /// Awaited just before the task's ending is written to the store; it returns once no lease
    /// renewal is under way, and none starts after it (a renewal meeting the cleared lease would
    /// pass for a lost one).
    var endingRecorded: @Sendable () async -> Void = {}

    /// Why a run stopped early.
    enum Stop: Error {
        /// The request is being cancelled.
        case requestCancelled
    }

    /// A model that threw: its message is the model's own and is shown in the error rows.
    struct ModelFailure: Error, CustomStringConvertible {
        let description: String
        /// Whether the model marked the error as worth another attempt.
        let retryable: Bool
        /// Whether the model process died or hung (see ``PredictorError/isCrash``).
        var isCrash = false
    }

    /// Crashes of one chunk after which it is split in two to find the record that causes them.
    static let crashesBeforeBisecting = 3

    /// Crashes before a chunk is split: three, or fewer if the model allows fewer attempts.
    private func crashLimit(_ task: ClaimedTask) -> Int {
        min(Self.crashesBeforeBisecting, coordinator.registry.catalog.model(task.modelID)?.maxAttempts ?? Self.crashesBeforeBisecting)
    }

    /// The middle record of a task and its byte offset in the stored input; for a retry of failed
    /// parts also the earlier output's block for each half, so that the halves keep its values.
    private func splitPoint(_ task: ClaimedTask) throws -> (row: Int, offset: UInt64, baseOutputKeys: [String]?) {
        let half = task.rowCount / 2
        let reader = try StoredInput.Reader(url: try coordinator.blobs.fileURL(for: task.inputKey), offset: task.inputOffset)
        for _ in 0..<half {
            guard try reader.nextInput() != nil else { throw EngineError("stored input ended inside a task") }
        }
        guard task.retriesFailedOnly, let baseKey = task.baseOutputKey else { return (task.startRow + half, reader.offset, nil) }
        let base = ChunkLocation(key: baseKey)
        let url = try coordinator.blobs.fileURL(for: base.fileKey)
        let whole = try base.range ?? 0..<UInt64(FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0)
        let earlier = try ChunkOutput.Reader(url: url, range: whole, types: [])
        var firstLength: UInt64 = 0
        for _ in 0..<half {
            guard let line = try earlier.nextRawLine() else { throw EngineError("the earlier output of this chunk is shorter than the chunk") }
            firstLength += UInt64(line.count + 1)
        }
        let cut = whole.lowerBound + firstLength
        let halves = [whole.lowerBound..<cut, cut..<whole.upperBound].map { ChunkLocation(fileKey: base.fileKey, range: $0).key }
        return (task.startRow + half, reader.offset, halves)
    }

    private func backoff(_ task: ClaimedTask) -> Duration {
        coordinator.retryPolicy.delay(afterAttempt: task.attempt)
    }

    /// How a run ended, as the store recorded it.
    struct Finished: Sendable {
        /// The store's answer.
        let receipt: FinishReceipt
        /// The chunk output, when the task succeeded.
        let outputKey: String?
    }

    /// Runs `task` to its end. Returns what the store recorded, or `nil` when the task was given
    /// back or its ending could not be recorded (the lease then brings it back).
    func run(_ task: ClaimedTask) async -> Finished? {
        let ending: TaskEnding
        do {
            let output = try await produce(task)
            ending = .succeeded(outputKey: output.key, succeeded: output.succeeded, failed: output.failed)
        } catch Stop.requestCancelled {
            ending = .cancelled
        } catch is CancellationError {
            // The process is shutting down: give the task back for another worker.
            await record { try await $0.release(task) }
            return nil
        } catch let failure as ModelFailure {
            let reason = "\(task.modelID) failed on this chunk: \(failure.description)"
            if failure.isCrash, task.rowCount > 1, task.attempt >= crashLimit(task), let split = try? splitPoint(task) {
                ending = .bisect(reason: reason, splitRow: split.row, splitOffset: split.offset, baseOutputKeys: split.baseOutputKeys)
            } else {
                ending = failure.retryable ? .retry(reason: reason, after: backoff(task)) : .failed(reason: reason)
            }
        } catch let failure as EngineError {
            ending = .failed(reason: failure.message)
        } catch {
            // File and database errors name paths and internals: log them, show a plain reason.
            // They are often passing (a full disk, a busy database), so the chunk is tried again.
            coordinator.logger.error("task failed", metadata: ["task": "\(task.taskID)", "error": "\(error)"])
            ending = .retry(reason: "an internal error stopped this chunk; see the server log", after: backoff(task))
        }
        await endingRecorded()
        guard let receipt = await record({ try await $0.finish(task, as: ending) }) else { return nil }
        guard case .succeeded(let outputKey, _, _) = ending else { return Finished(receipt: receipt, outputKey: nil) }
        return Finished(receipt: receipt, outputKey: outputKey)
    }

    /// Writes a task's ending to the store even while the caller is being cancelled: an ending
    /// that is computed but never recorded would waste the work or leave the task hanging.
    private func record<T: Sendable>(_ write: @escaping @Sendable (any JobStore) async throws -> T) async -> T? {
        let store = coordinator.store
        let logger = coordinator.logger
        return await Task {
            do {
                return try await write(store)
            } catch {
                logger.error("could not record a task's ending; its lease will bring it back", metadata: ["error": "\(error)"])
                return nil
            }
        }.value
    }

    /// The outcome itself, or an error row when its values do not match the declared outputs: a
    /// value of the wrong type must never turn into a silently empty cell.
    static func checked(_ outcome: RecordOutcome, against outputs: [OutputColumn]) -> RecordOutcome {
        guard case .values(let values) = outcome else { return outcome }
        guard values.count == outputs.count else {
            return .error("the model returned \(values.count) values for \(outputs.count) declared outputs")
        }
        for (index, (value, output)) in zip(values, outputs).enumerated() {
            let matches: Bool =
                switch (value, output.type) {
                case (.null, _), (.bool, .bool), (.int, .int), (.double, .double), (.string, .string): true
                case (.vector(let vector), .vector): vector.count == output.dimension
                default: false
                }
            if !matches {
                let declared = output.type == .vector ? "a vector of \(output.dimension ?? 0)" : output.type.rawValue
                return .error("the model returned a value of the wrong type for output \(index + 1) (declared \(declared))")
            }
        }
        return outcome
    }

    /// Waits for a compute slot, and gives up as soon as the request is known to be cancelled: a
    /// chunk claimed ahead may wait a whole model run for its slot.
    /// - Throws: ``Stop/requestCancelled``, or `CancellationError` when this task is cancelled;
    ///   either way no slot is held.
    private func acquireSlot(for requestID: RequestID) async throws -> Int {
        let board = coordinator.cancelBoard
        let slots = self.slots
        return try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask { try await slots.acquire() }
            group.addTask {
                while !board.contains(requestID) { try await Task.sleep(for: .milliseconds(50)) }
                return nil
            }
            // The first child to end decides; the other is cancelled and awaited, and a slot it
            // obtained in the meantime is given back.
            var first: Result<Int?, any Error>?
            var held: Int?
            while let result = await group.nextResult() {
                if case .success(let slot?) = result { held = slot }
                if first == nil {
                    first = result
                    group.cancelAll()
                }
            }
            switch first {
            case .success(let slot?): return slot
            case .success(nil):
                if let held { slots.release(held) }
                throw Stop.requestCancelled
            case .failure(let error):
                if let held { slots.release(held) }
                throw error
            case nil:
                throw CancellationError()
            }
        }
    }

    /// Runs the model in a child task and cancels it as soon as the request is known to be
    /// cancelled, so that cancel stops work within a fraction of a second.
    private func predictWatchingCancel(
        _ predictor: any Predictor, _ inputs: [String], requestID: RequestID, on thread: ModelThread
    ) async throws -> [RecordOutcome] {
        let board = coordinator.cancelBoard
        return try await withThrowingTaskGroup(of: [RecordOutcome].self) { group in
            // The model on its slot's thread; the watcher on the shared pool, so that it runs
            // while the model computes.
            group.addTask(executorPreference: thread) {
                do {
                    // The preference is stated again around the call itself: under heavy load the
                    // runtime was seen to run a chunk on the shared pool now and then, and this
                    // made it rarer (not impossible; see `modelsRunOnTheirSlotsOwnThreads`).
                    return try await withTaskExecutorPreference(thread) { try await predictor.predict(inputs) }
                } catch let error as CancellationError {
                    throw error
                } catch let error as PredictorError {
                    throw ModelFailure(description: error.message, retryable: error.retryable, isCrash: error.isCrash)
                } catch {
                    throw ModelFailure(description: "\(error)", retryable: false)
                }
            }
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

    /// Reads the chunk, predicts, and writes the output to a segment; returns where it is and the
    /// record counts.
    ///
    /// For a retry of failed parts, rows that had values in the chunk's earlier output are copied
    /// from it byte for byte and only the other rows run again.
    private func produce(_ task: ClaimedTask) async throws -> (key: String, succeeded: Int, failed: Int) {
        let predictor = try coordinator.registry.predictor(for: task.modelID)
        let reader = try StoredInput.Reader(url: try coordinator.blobs.fileURL(for: task.inputKey), offset: task.inputOffset)
        let previous = try task.baseOutputKey.flatMap { key in
            task.retriesFailedOnly ? try coordinator.blobs.chunkOutput(key, types: []) : nil
        }
        var inputs: [String] = []
        var readErrors: [Int: String] = [:]
        var kept: [Int: ArraySlice<UInt8>] = [:]
        inputs.reserveCapacity(task.rowCount)
        for position in 0..<task.rowCount {
            guard let record = try reader.nextInput() else {
                throw EngineError("stored input ended at record \(task.startRow + position)")
            }
            if let previous {
                guard let line = try previous.nextRawLine() else {
                    throw EngineError("the earlier output of records \(task.startRow)… is shorter than \(task.rowCount) rows")
                }
                if ChunkOutput.Reader.isValueLine(line) {
                    kept[position] = line
                    continue
                }
            }
            if let error = record.error {
                readErrors[position] = error
            } else {
                inputs.append(record.input)
            }
        }
        var outcomes: [RecordOutcome] = []
        if !inputs.isEmpty {
            let slot = try await acquireSlot(for: task.requestID)
            defer { slots.release(slot) }
            outcomes = try await predictWatchingCancel(predictor, inputs, requestID: task.requestID, on: slots.thread(slot))
        }
        // Reached only when the model ran (or had nothing to run); a failure before this point
        // leaves the count to the worker, which clears it when the task ends.
        computeEnded()
        guard outcomes.count == inputs.count else {
            throw EngineError("the model returned \(outcomes.count) outcomes for \(inputs.count) records")
        }
        let outputs = predictor.descriptor.outputs
        let segment = coordinator.segments.borrow(task.requestID)
        defer { coordinator.segments.giveBack(task.requestID, number: segment.number) }
        let writer = try ChunkOutput.Writer(segment: try coordinator.blobs.fileURL(for: segment.key))
        let range: Range<UInt64>
        do {
            var next = outcomes.makeIterator()
            for position in 0..<task.rowCount {
                if let line = kept[position] {
                    try writer.appendRaw(line)
                } else if let error = readErrors[position] {
                    try writer.append(.error(error))
                } else if let outcome = next.next() {
                    try writer.append(Self.checked(outcome, against: outputs))
                }
            }
            range = try writer.close()
        } catch {
            writer.discard()
            throw error
        }
        return (ChunkLocation(fileKey: segment.key, range: range).key, writer.succeeded, writer.failed)
    }
}
