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

    /// The result's schema: `row`, `id`, the input's passthrough columns, `input`, then each
    /// model's outputs and error (see ``ResultSchema/wide(requestID:models:passthrough:)``).
    func schema(for plan: MergePlan) throws -> ResultSchema {
        let models = try plan.jobs.map { job in
            guard let model = coordinator.registry.catalog.model(job.modelID) else {
                throw EngineError("model \(job.modelID) is no longer registered")
            }
            return ResultSchema.Model(id: job.modelID, version: job.modelVersion, outputs: model.outputs)
        }
        return ResultSchema.wide(requestID: plan.requestID.rawValue, models: models, passthrough: try passthroughColumns(for: plan))
    }

    /// The passthrough column names saved with the stored input, if any.
    func passthroughColumns(for plan: MergePlan) throws -> [String] {
        let url = try coordinator.blobs.fileURL(for: BlobKeys.inputColumns(forInputKey: plan.inputKey))
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try JSONDecoder().decode([String].self, from: Data(contentsOf: url))
    }

    /// Writes the CSV result and its schema. Cells are copied from the stored files as bytes
    /// (unescaped and quoted only where needed) rather than decoded into values and formatted
    /// again: the merge touches every cell of every row, so this is most of its cost. Formats
    /// derived from an earlier version of the result are removed.
    private func write(_ plan: MergePlan) throws -> MergeResult {
        let schema = try schema(for: plan)
        let request = plan.requestID.rawValue
        try ResultFiles.removeDerived(request: request, blobs: coordinator.blobs)
        let schemaURL = try coordinator.blobs.fileURL(for: BlobKeys.resultSchema(request))
        try FileManager.default.createDirectory(at: schemaURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder().encode(schema).write(to: schemaURL, options: .atomic)
        let types = schema.models.map { $0.outputs.map(\.type) }
        let key = BlobKeys.resultCSV(request)
        let url = try coordinator.blobs.fileURL(for: key)
        let writer = try CSVResultWriter(url: url, columns: schema.columns.map(\.name))
        var hasErrors = false
        let canonical = ResultSchema.canonicalSource(schema.models)
        do {
            let input = try StoredInput.Reader(url: try coordinator.blobs.fileURL(for: plan.inputKey))
            let cursors = try plan.jobs.enumerated().map { index, job in
                try ChunkCursor(chunks: job.chunks, types: types[index], blobs: coordinator.blobs)
            }
            var row: [UInt8] = []
            var models: [UInt8] = []
            for position in 0..<plan.recordCount {
                row.removeAll(keepingCapacity: true)
                models.removeAll(keepingCapacity: true)
                row.append(contentsOf: String(position).utf8)
                row.append(CSVCell.comma)
                guard try input.appendCSVCells(to: &row, passthroughCount: schema.passthroughCount) else {
                    throw EngineError("stored input ended at record \(position) of \(plan.recordCount)")
                }
                for cursor in cursors where try cursor.appendNext(position: position, to: &models) {
                    hasErrors = true
                }
                if let canonical {
                    // The model cells start with a comma each; the canonical SMILES is copied as
                    // it is already written there (SMILES hold no commas or quotes).
                    row.append(CSVCell.comma)
                    row.append(contentsOf: CSVCell.cell(canonical.cell, inRow: models[...]))
                }
                row.append(contentsOf: models)
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
        if !schema.vectors.isEmpty { try VectorFiles.merge(plan, schema: schema, blobs: coordinator.blobs) }
        return MergeResult(
            csvKey: key, rowCount: writer.rowCount, byteCount: Int64(writer.byteCount), hasErrors: hasErrors,
            sha256: FileDigest.hex(try FileDigest.sha256(of: url)))
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
            for type in types where type != .vector { row.append(CSVCell.comma) }
            row.append(CSVCell.comma)
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
