import BulkPredictCore
import Formats
import Foundation
import JobQueue

/// Merges every chunk output of a request, in input order, into the result: one row per record.
///
/// Runs at most once per request thanks to the compare-and-set in ``JobStore/beginMerge(_:lease:)``;
/// any caller may try, and all but one get nothing to do. A merge whose process died is taken over
/// once its lease runs out.
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
        let lease = coordinator.mergeLease
        do {
            guard let plan = try await store.beginMerge(id, lease: lease) else { return }
            coordinator.hub.changed(id)
            do {
                let result = try await withThrowingTaskGroup(of: MergeResult?.self) { group in
                    group.addTask { try write(plan) }
                    group.addTask {
                        // Renew the lease while writing; if this process dies, another takes over.
                        while true {
                            try await Task.sleep(for: lease / 3)
                            _ = try? await store.extendMerge(plan, lease: lease)
                        }
                    }
                    defer { group.cancelAll() }
                    guard let first = try await group.next(), let result = first else { throw CancellationError() }
                    return result
                }
                if try await !store.finishMerge(plan, result: result) {
                    // Cancelled, or taken over, while merging: this merge must not announce anything.
                    // The result file is the same bytes either way, so it is left for the taker.
                    coordinator.logger.notice("merge superseded", metadata: ["request": "\(id)"])
                }
            } catch {
                coordinator.logger.error("merge failed", metadata: ["request": "\(id)", "error": "\(error)"])
                let reason = (error as? EngineError)?.message ?? "an internal error stopped the merge; see the server log"
                try await store.failMerge(plan, reason: "the result could not be written: \(reason)")
            }
            coordinator.hub.changed(id)
        } catch {
            coordinator.logger.error("finalize failed", metadata: ["request": "\(id)", "error": "\(error)"])
        }
    }

    /// The result columns: `row`, `id`, the input's passthrough columns, `input`, then each
    /// model's outputs and error. A passthrough column whose name is taken by another column is
    /// called `input.<name>`.
    func columns(for plan: MergePlan) throws -> (names: [String], types: [[ValueType]], passthrough: Int) {
        let passthrough = try passthroughColumns(for: plan)
        var names = ["row", "id"]
        var taken: Set<String> = ["row", "id", "input"]
        for job in plan.jobs {
            for output in coordinator.registry.catalog.model(job.modelID)?.outputs ?? [] {
                taken.insert("\(job.modelID).\(output.name)")
            }
            taken.insert("\(job.modelID).error")
        }
        for name in passthrough {
            let unique = taken.contains(name) ? "input.\(name)" : name
            taken.insert(unique)
            names.append(unique)
        }
        names.append("input")
        var types: [[ValueType]] = []
        for job in plan.jobs {
            guard let model = coordinator.registry.catalog.model(job.modelID) else {
                throw EngineError("model \(job.modelID) is no longer registered")
            }
            names += model.outputs.map { "\(job.modelID).\($0.name)" } + ["\(job.modelID).error"]
            types.append(model.outputs.map(\.type))
        }
        return (names, types, passthrough.count)
    }

    /// The passthrough column names saved with the stored input, if any.
    func passthroughColumns(for plan: MergePlan) throws -> [String] {
        let url = try coordinator.blobs.fileURL(for: BlobKeys.inputColumns(forInputKey: plan.inputKey))
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try JSONDecoder().decode([String].self, from: Data(contentsOf: url))
    }

    /// Writes the CSV result. Cells are copied from the stored files as bytes (unescaped and
    /// quoted only where needed) rather than decoded into values and formatted again: the merge
    /// touches every cell of every row, so this is most of its cost.
    private func write(_ plan: MergePlan) throws -> MergeResult {
        let (names, types, passthroughCount) = try columns(for: plan)
        let key = BlobKeys.resultCSV(plan.requestID.rawValue)
        let writer = try CSVResultWriter(url: try coordinator.blobs.fileURL(for: key), columns: names)
        var hasErrors = false
        do {
            let input = try StoredInput.Reader(url: try coordinator.blobs.fileURL(for: plan.inputKey))
            let cursors = try plan.jobs.enumerated().map { index, job in
                try ChunkCursor(chunks: job.chunks, types: types[index], blobs: coordinator.blobs)
            }
            var row: [UInt8] = []
            for position in 0..<plan.recordCount {
                row.removeAll(keepingCapacity: true)
                row.append(contentsOf: String(position).utf8)
                row.append(CSVCell.comma)
                guard try input.appendCSVCells(to: &row, passthroughCount: passthroughCount) else {
                    throw EngineError("stored input ended at record \(position) of \(plan.recordCount)")
                }
                for cursor in cursors where try cursor.appendNext(position: position, to: &row) {
                    hasErrors = true
                }
                try writer.appendEncodedRow(row)
            }
            if try input.appendCSVCells(to: &row) {
                throw EngineError("stored input has more than \(plan.recordCount) records")
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

    /// Appends `,cell…,error` for the record at `position`; returns whether it is an error row.
    func appendNext(position: Int, to row: inout [UInt8]) throws -> Bool {
        if remaining == 0 { try advance(to: position) }
        remaining -= 1
        let chunk = chunks[index]
        guard chunk.state == .succeeded else {
            let message =
                chunk.state == .cancelled
                ? "cancelled before this record ran" : chunk.error ?? "the model did not produce a result for this record"
            for _ in 0...types.count { row.append(CSVCell.comma) }
            CSVCell.append(message.utf8, to: &row)
            return true
        }
        guard let failed = try reader?.appendCSVCells(to: &row) else {
            throw EngineError("chunk output for records \(chunk.startRow)… is shorter than \(chunk.rowCount) rows")
        }
        if remaining == 0, try reader?.appendCSVCells(to: &row) != nil {
            throw EngineError("chunk output for records \(chunk.startRow)… is longer than \(chunk.rowCount) rows")
        }
        return failed
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
