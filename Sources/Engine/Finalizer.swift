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
    /// Rows written ahead while the request's tasks ran, adopted by the merge when they still fit.
    let rolling: RollingMerges

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
            let result: MergeResult
            do {
                result = try await withThrowingTaskGroup(of: MergeResult?.self) { group in
                    group.addTask { try await write(plan) }
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
            } catch {
                coordinator.logger.error("merge failed", metadata: ["request": "\(id)", "error": "\(error)"])
                let reason = (error as? EngineError)?.message ?? "an internal error stopped the merge; see the server log"
                try await store.failMerge(plan, reason: "the result could not be written: \(reason)")
                coordinator.hub.changed(id)
                return
            }
            // The result is complete; only recording it can fail now. A database that blinked must
            // not throw a good result away: recording is tried again for a while, and after that
            // the merge lease runs out and the sweep merges again. Any other error fails the merge.
            var tries = 1
            while true {
                do {
                    if try await !store.finishMerge(plan, result: result) {
                        // Cancelled, or taken over, while merging: this merge must not announce
                        // anything. The result file is the same bytes either way; it is left for the taker.
                        coordinator.logger.notice("merge superseded", metadata: ["request": "\(id)"])
                    }
                } catch let error as JobStoreUnavailable where tries < Self.recordingTries {
                    coordinator.logger.warning(
                        "could not record the finished merge; trying again", metadata: ["request": "\(id)", "error": "\(error)"])
                    tries += 1
                    try? await Task.sleep(for: min(.seconds(1), lease / 4))
                    continue
                } catch let error as JobStoreUnavailable {
                    coordinator.logger.error(
                        "could not record the finished merge; it runs again when its lease expires",
                        metadata: ["request": "\(id)", "error": "\(error)"])
                } catch {
                    coordinator.logger.error("could not record the finished merge", metadata: ["request": "\(id)", "error": "\(error)"])
                    try await store.failMerge(plan, reason: "the result could not be recorded; see the server log")
                }
                break
            }
            coordinator.hub.changed(id)
        } catch {
            coordinator.logger.error("finalize failed", metadata: ["request": "\(id)", "error": "\(error)"])
        }
    }

    /// Attempts at recording a finished merge while the store is unavailable.
    static let recordingTries = 10

    /// The result's schema (see ``Coordinator/resultSchema(for:models:inputKey:)``).
    func schema(for plan: MergePlan) throws -> ResultSchema {
        try coordinator.resultSchema(
            for: plan.requestID, models: plan.jobs.map { (id: $0.modelID, version: $0.modelVersion) }, inputKey: plan.inputKey)
    }

    /// Writes the CSV result and its schema. Rows already written ahead by a rolling merge (see
    /// ``RollingMerge``) are kept when they came from exactly the chunks the plan names; the rest
    /// are written here. Formats derived from an earlier version of the result are removed.
    private func write(_ plan: MergePlan) async throws -> MergeResult {
        let schema = try schema(for: plan)
        let request = plan.requestID.rawValue
        try ResultFiles.removeDerived(request: request, blobs: coordinator.blobs)
        let schemaURL = try coordinator.blobs.fileURL(for: BlobKeys.resultSchema(request))
        try FileManager.default.createDirectory(at: schemaURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try BufferedFileWriter.writeDurably(JSONEncoder().encode(schema), to: schemaURL)
        let key = BlobKeys.resultCSV(request)
        let url = try coordinator.blobs.fileURL(for: key)
        coordinator.segments.forget(plan.requestID)
        let adopted = await rolling.take(plan.requestID)?.adopt(plan, schema: schema)
        let rows = try adopted ?? ResultRows(schema: schema, inputKey: plan.inputKey, resultURL: url, blobs: coordinator.blobs)
        do {
            if adopted == nil {
                for (cursor, job) in zip(rows.cursors, plan.jobs) { cursor.extend(with: job.chunks) }
            }
            try rows.write(upTo: plan.recordCount)
            try rows.close(recordCount: plan.recordCount)
        } catch {
            rows.discard()
            throw error
        }
        if !schema.vectors.isEmpty { try VectorFiles.merge(plan, schema: schema, blobs: coordinator.blobs) }
        return MergeResult(
            csvKey: key, rowCount: rows.writer.rowCount, byteCount: Int64(rows.writer.byteCount), hasErrors: rows.hasErrors,
            sha256: FileDigest.hex(try rows.writer.sha256 ?? FileDigest.sha256(of: url)))
    }
}

extension Coordinator {
    /// The schema of the result of request `id`: `row`, `id`, the input's passthrough columns,
    /// `input`, then each model's outputs and error (see
    /// ``ResultSchema/wide(requestID:models:passthrough:)``).
    /// - Throws: when a model is no longer registered or the passthrough names cannot be read.
    func resultSchema(for id: RequestID, models: [(id: String, version: String)], inputKey: String) throws -> ResultSchema {
        let described = try models.map { job in
            guard let model = registry.catalog.model(job.id) else {
                throw EngineError("model \(job.id) is no longer registered")
            }
            return ResultSchema.Model(id: job.id, version: job.version, outputs: model.outputs)
        }
        return ResultSchema.wide(requestID: id.rawValue, models: described, passthrough: try passthroughColumns(inputKey: inputKey))
    }

    /// The passthrough column names saved with the stored input, if any.
    func passthroughColumns(inputKey: String) throws -> [String] {
        let url = try blobs.fileURL(for: BlobKeys.inputColumns(forInputKey: inputKey))
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try JSONDecoder().decode([String].self, from: Data(contentsOf: url))
    }
}

/// Writes the rows of a CSV result in input order from the stored input and each job's chunk
/// outputs, up to a record position that can grow: a merge writes all rows at once, a rolling
/// merge writes them as the chunks before them end.
///
/// Cells are copied from the stored files as bytes (unescaped and quoted only where needed) rather
/// than decoded into values and formatted again: the merge touches every cell of every row, so this
/// is most of its cost.
///
/// Unchecked `Sendable` because it is handed over, never shared: a rolling merge writes it, then
/// gives it to the merge and drops its own reference before the merge touches it.
final class ResultRows: @unchecked Sendable {
    /// The result file being written.
    let writer: CSVResultWriter
    /// One cursor per job, in routing order; chunks are added to them as they become known.
    let cursors: [ChunkCursor]
    /// The schema the rows follow.
    let schema: ResultSchema
    /// The stored input the rows came from.
    let inputKey: String
    /// Rows written so far.
    private(set) var position = 0
    /// Whether any written row has an error.
    private(set) var hasErrors = false
    private let input: StoredInput.Reader
    private let canonical: (model: Int, cell: Int)?
    private var row: [UInt8] = []
    private var models: [UInt8] = []

    /// Starts a result at `resultURL` (under a temporary name until ``close(recordCount:)``).
    /// - Throws: when the stored input cannot be opened or the file cannot be created.
    init(schema: ResultSchema, inputKey: String, resultURL: URL, blobs: any BlobStore) throws {
        self.schema = schema
        self.inputKey = inputKey
        input = try StoredInput.Reader(url: try blobs.fileURL(for: inputKey))
        let types = schema.models.map { $0.outputs.map(\.type) }
        cursors = types.map { ChunkCursor(types: $0, blobs: blobs) }
        canonical = ResultSchema.canonicalSource(schema.models)
        writer = try CSVResultWriter(url: resultURL, columns: schema.columns.map(\.name))
    }

    /// Writes the rows from ``position`` up to (not including) `end`.
    /// - Throws: when a file is damaged or shorter than its chunk, or writing fails.
    func write(upTo end: Int) throws {
        // The loop runs once per record of the request: it works on local copies of the buffers
        // and counts, which the optimiser keeps out of the object's (checked) storage.
        var row = self.row
        var models = self.models
        var position = self.position
        var hasErrors = self.hasErrors
        let passthroughCount = schema.passthroughCount
        defer {
            self.row = row
            self.models = models
            self.position = position
            self.hasErrors = hasErrors
        }
        while position < end {
            row.removeAll(keepingCapacity: true)
            models.removeAll(keepingCapacity: true)
            Self.appendDecimal(position, to: &row)
            row.append(CSVCell.comma)
            guard try input.appendCSVCells(to: &row, passthroughCount: passthroughCount) else {
                throw EngineError("stored input ended at record \(position)")
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
            position += 1
        }
    }

    /// Appends the decimal digits of a non-negative `number` without making a string.
    static func appendDecimal(_ number: Int, to line: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var value = UInt(number)
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            line.append(contentsOf: buffer[index...])
        }
    }

    /// Checks that the stored input holds exactly `recordCount` records and puts the file in place.
    /// - Throws: when it holds more, or the file cannot be made durable.
    func close(recordCount: Int) throws {
        row.removeAll(keepingCapacity: true)
        if try input.appendCSVCells(to: &row) {
            throw EngineError("stored input has more than \(recordCount) records")
        }
        try writer.close()
    }

    /// Abandons the file.
    func discard() { writer.discard() }
}

/// Walks one job's chunks in order, yielding exactly one outcome per record and refusing a chunk
/// whose output has more or fewer rows than it should.
final class ChunkCursor {
    /// The chunks known so far, in order.
    private(set) var chunks: [MergePlan.Chunk] = []
    private let types: [ValueType]
    private let blobs: any BlobStore
    private var index = -1
    private var reader: ChunkOutput.Reader?
    private var remaining = 0

    init(types: [ValueType], blobs: any BlobStore) {
        self.types = types
        self.blobs = blobs
    }

    /// The first record after the known chunks.
    var coveredEnd: Int { chunks.last.map { $0.startRow + $0.rowCount } ?? 0 }

    /// Adds the chunks that follow the known ones.
    func extend(with more: some Sequence<MergePlan.Chunk>) { chunks.append(contentsOf: more) }

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
            reader = try blobs.chunkOutput(key, types: types)
        }
    }
}
