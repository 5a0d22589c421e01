import BulkPredictCore
import Formats
import Foundation
import JobQueue

extension Coordinator {
    /// Accepts a submission whose records come from an uploaded file.
    ///
    /// Routing and options are checked before the file is read, and nothing is stored for a rejected
    /// submission. The file is read once, streaming, into the stored input.
    /// - Throws: ``RoutingError``, ``SubmissionError``, or an I/O error.
    public func submit(_ submission: Submission, file: URL, reading configuration: RecordReader.Configuration) async throws -> RequestID {
        let reader = try RecordReader(url: file, configuration: configuration)
        return try await submit(submission, kind: .smiles) { try reader.next() }
    }

    /// Accepts a submission whose records are already in memory (a JSON body).
    /// - Throws: ``RoutingError``, ``SubmissionError``, or an I/O error.
    public func submit(_ submission: Submission, records: [InputRecord]) async throws -> RequestID {
        var iterator = records.makeIterator()
        return try await submit(submission, kind: .smiles) { iterator.next() }
    }

    private func submit(_ submission: Submission, kind: InputKind, next: () throws -> InputRecord?) async throws -> RequestID {
        let models = try registry.catalog.resolve(submission.routing)
        let chunkSize = try limits.chunkSize(for: submission.chunkSize)
        let maxParallel = try limits.maxParallel(for: submission.maxParallel)
        let id = RequestID()
        let inputKey = BlobKeys.input(id.rawValue)
        let writer = try StoredInput.Writer(url: try blobs.fileURL(for: inputKey), chunkSize: chunkSize)
        do {
            while var record = try next() {
                guard writer.count < limits.maxRecords else {
                    throw SubmissionError(
                        code: .tooLarge, message: "the input has more than \(limits.maxRecords) records, the limit per request")
                }
                if record.error == nil, record.input.utf8.count > limits.maxRecordBytes {
                    record.error = "record is longer than \(limits.maxRecordBytes) bytes"
                }
                try writer.append(record)
            }
            guard writer.count > 0 else {
                throw SubmissionError(code: .emptyInput, message: "the input holds no records")
            }
            try limits.checkTaskCount(records: writer.count, chunkSize: chunkSize, models: models.count)
            try writer.close()
        } catch {
            writer.discard()
            try? blobs.removeAll(prefix: "inputs/\(id.rawValue)")
            throw error
        }
        let request = NewRequest(
            id: id, owner: submission.owner, inputKind: kind, inputName: submission.inputName, inputKey: inputKey,
            recordCount: writer.count, chunkSize: chunkSize, maxParallel: maxParallel, models: models,
            chunkOffsets: writer.chunkOffsets)
        do {
            try await store.submit(request)
        } catch {
            try? blobs.removeAll(prefix: "inputs/\(id.rawValue)")
            throw error
        }
        logger.info("accepted request", metadata: ["request": "\(id)", "records": "\(writer.count)", "models": "\(models.map(\.id))"])
        notifyWork()
        return id
    }
}
