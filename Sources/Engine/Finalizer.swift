import BulkPredictCore
import Foundation
import Formats
import JobQueue

/// Merges every chunk output of a request, in input order, into the result: one row per record.
///
/// Runs at most once per request thanks to the compare-and-set in ``JobStore/beginMerge(_:)``;
/// any caller may try, and all but one get nothing to do.
struct Finalizer: Sendable {
    let coordinator: Coordinator

    /// Merges `id` if it is ready and nobody else is merging it.
    ///
    /// The merge runs in an unstructured task on purpose: cancelling the caller (shutdown, a worker
    /// exiting when idle) must not abandon a merge halfway and leave the request in `merging`.
    func mergeIfReady(_ id: RequestID) async {
        await Task { await merge(id) }.value
    }

    private func merge(_ id: RequestID) async {
        let store = coordinator.store
        do {
            guard let plan = try await store.beginMerge(id) else { return }
            coordinator.hub.changed(id)
            do {
                let result = try write(plan)
                if try await !store.finishMerge(id, result: result) {
                    // Cancelled while merging: the result must not outlive the request's promise.
                    try? coordinator.blobs.removeAll(prefix: "results/\(id.rawValue)")
                }
            } catch {
                coordinator.logger.error("merge failed", metadata: ["request": "\(id)", "error": "\(error)"])
                try await store.failMerge(id, reason: "the result could not be written: \(error)")
            }
            coordinator.hub.changed(id)
        } catch {
            coordinator.logger.error("finalize failed", metadata: ["request": "\(id)", "error": "\(error)"])
        }
    }

    /// The result columns: `row`, `id`, `input`, then each model's outputs and error.
    func columns(for plan: MergePlan) throws -> (names: [String], types: [[ValueType]]) {
        var names = ["row", "id", "input"]
        var types: [[ValueType]] = []
        for job in plan.jobs {
            guard let model = coordinator.registry.catalog.model(job.modelID) else {
                throw EngineError("model \(job.modelID) is no longer registered")
            }
            names += model.outputs.map { "\(job.modelID).\($0.name)" } + ["\(job.modelID).error"]
            types.append(model.outputs.map(\.type))
        }
        return (names, types)
    }

    private func write(_ plan: MergePlan) throws -> MergeResult {
        let (names, types) = try columns(for: plan)
        let key = BlobKeys.resultCSV(plan.requestID.rawValue)
        let url = try coordinator.blobs.fileURL(for: key)
        let writer = try CSVResultWriter(url: url, columns: names)
        var hasErrors = false
        do {
            let input = try StoredInput.Reader(url: try coordinator.blobs.fileURL(for: plan.inputKey))
            let cursors = try plan.jobs.enumerated().map { index, job in
                try ChunkCursor(chunks: job.chunks, types: types[index], blobs: coordinator.blobs)
            }
            var row: [OutputValue] = []
            for position in 0..<plan.recordCount {
                guard let record = try input.next() else {
                    throw EngineError("stored input ended at record \(position) of \(plan.recordCount)")
                }
                row.removeAll(keepingCapacity: true)
                row.append(.int(Int64(position)))
                row.append(record.id.map(OutputValue.string) ?? .null)
                row.append(.string(record.input))
                for index in cursors.indices {
                    switch try cursors[index].next(position: position) {
                    case .values(let values):
                        row.append(contentsOf: values)
                        row.append(.null)
                    case .error(let message):
                        hasErrors = true
                        row.append(contentsOf: repeatElement(.null, count: types[index].count))
                        row.append(.string(message))
                    }
                }
                try writer.appendRow(row)
            }
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
        return MergeResult(csvKey: key, rowCount: writer.rowCount, byteCount: Int64(writer.byteCount), hasErrors: hasErrors)
    }
}

/// Walks one job's chunks in order, yielding exactly one outcome per record and refusing a chunk
/// whose output has more or fewer rows than it should.
final class ChunkCursor {
    private let chunks: [MergePlan.Chunk]
    private let types: [ValueType]
    private let blobs: any BlobStore
    private var index = -1
    private var reader: ChunkOutput.Reader?
    private var remaining = 0

    init(chunks: [MergePlan.Chunk], types: [ValueType], blobs: any BlobStore) throws {
        self.chunks = chunks
        self.types = types
        self.blobs = blobs
    }

    func next(position: Int) throws -> RecordOutcome {
        if remaining == 0 { try advance(to: position) }
        remaining -= 1
        let chunk = chunks[index]
        switch chunk.state {
        case .succeeded:
            guard let outcome = try reader?.next() else {
                throw EngineError("chunk output for records \(chunk.startRow)… is shorter than \(chunk.rowCount) rows")
            }
            if remaining == 0, try reader?.next() != nil {
                throw EngineError("chunk output for records \(chunk.startRow)… is longer than \(chunk.rowCount) rows")
            }
            return outcome
        case .cancelled: return .error("cancelled before this record ran")
        default: return .error(chunk.error ?? "the model did not produce a result for this record")
        }
    }

    private func advance(to position: Int) throws {
        index += 1
        guard index < chunks.count, chunks[index].startRow == position else {
            throw EngineError("no chunk starts at record \(position)")
        }
        let chunk = chunks[index]
        remaining = chunk.rowCount
        reader = nil
        if chunk.state == .succeeded, let key = chunk.outputKey {
            reader = try ChunkOutput.Reader(url: try blobs.fileURL(for: key), types: types)
        }
    }
}
