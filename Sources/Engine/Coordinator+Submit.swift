import BulkPredictCore
import Formats
import Foundation
import JobQueue
import Proteins

extension Coordinator {
    /// Accepts a submission whose records come from an uploaded file.
    ///
    /// Routing and options are checked before the file is read, and nothing is stored for a rejected
    /// submission. The file is read once, streaming, into the stored input.
    /// - Returns: the request, and whether it existed already under the submission's idempotency key.
    /// - Throws: ``RoutingError``, ``SubmissionError``, or an I/O error.
    ///
    /// The routed models decide how the file is read: as FASTA for protein models, as a molecule
    /// file in `configuration`'s format otherwise.
    public func receive(_ submission: Submission, file: URL, reading configuration: RecordReader.Configuration) async throws -> SubmitReceipt {
        if try registry.catalog.resolve(submission.routing).first?.input == .protein {
            let reader = try ProteinRecordReader(url: file, limits: limits)
            return try await submit(
                submission, kind: .protein, columns: { ProteinRecordReader.passthroughColumns }, finish: { try reader.finish() }
            ) { try reader.next() }
        }
        let reader = try RecordReader(url: file, configuration: configuration)
        return try await submit(submission, kind: .smiles, columns: { reader.passthroughColumns }) { try reader.next() }
    }

    /// Accepts a submission whose records come from an uploaded file; returns the request's id.
    /// - Throws: ``RoutingError``, ``SubmissionError``, or an I/O error.
    public func submit(_ submission: Submission, file: URL, reading configuration: RecordReader.Configuration) async throws -> RequestID {
        try await receive(submission, file: file, reading: configuration).id
    }

    /// Accepts a submission whose records are already in memory (a JSON body).
    /// - Returns: the request, and whether it existed already under the submission's idempotency key.
    /// - Throws: ``RoutingError``, ``SubmissionError``, or an I/O error.
    ///
    /// For protein models each record is a sequence: upper-cased, whitespace and one trailing `*`
    /// removed, and checked like a FASTA record (a bad character or an empty sequence is an error
    /// row; a sequence over the length limit refuses the submission).
    public func receive(_ submission: Submission, records: [InputRecord]) async throws -> SubmitReceipt {
        var iterator = records.makeIterator()
        if try registry.catalog.resolve(submission.routing).first?.input == .protein {
            let rules = ProteinInputRules(limits: limits)
            return try await submit(submission, kind: .protein, columns: { [] }, finish: { try rules.finish() }) {
                guard let record = iterator.next() else { return nil }
                let checked = ProteinSequenceText.check(record.input)
                var fasta = FASTARecord(header: record.id ?? "", sequence: checked.error == nil ? checked.sequence : "", error: record.error ?? checked.error)
                if checked.sequence.utf8.count > limits.maxSequenceLength { fasta.overLength = checked.sequence.utf8.count }
                var admitted = try rules.admit(fasta)
                // The record keeps its own id and its sequence as given (cleaned); JSON has no header.
                admitted.id = record.id
                admitted.input = checked.sequence
                admitted.passthrough = []
                return admitted
            }
        }
        return try await submit(submission, kind: .smiles, columns: { [] }) { iterator.next() }
    }

    /// Accepts a submission whose records are already in memory; returns the request's id.
    /// - Throws: ``RoutingError``, ``SubmissionError``, or an I/O error.
    public func submit(_ submission: Submission, records: [InputRecord]) async throws -> RequestID {
        try await receive(submission, records: records).id
    }

    private func submit(
        _ submission: Submission, kind: InputKind, columns: () -> [String], finish: () throws -> Void = {},
        next: () throws -> InputRecord?
    ) async throws -> SubmitReceipt {
        let models = try registry.catalog.resolve(submission.routing)
        let chunkSize = try limits.chunkSize(for: submission.chunkSize)
        let maxParallel = try limits.maxParallel(for: submission.maxParallel)
        let id = RequestID()
        let inputKey = BlobKeys.input(id.rawValue)
        let writer = try StoredInput.Writer(url: try blobs.fileURL(for: inputKey), chunkSize: chunkSize)
        // Only a submission that may be repeated needs its digest.
        var fingerprint = submission.idempotencyKey.map { _ in SubmissionFingerprint(models: models, chunkSize: chunkSize, kind: kind) }
        do {
            while var record = try next() {
                fingerprint?.add(record)
                guard writer.count < limits.maxRecords else {
                    throw SubmissionError(
                        code: .tooLarge, message: "the input has more than \(limits.maxRecords) records, the limit per request")
                }
                // Sequences have their own length limit, checked by their readers.
                if kind == .smiles, record.error == nil, record.input.utf8.count > limits.maxRecordBytes {
                    record.error = "record is longer than \(limits.maxRecordBytes) bytes"
                }
                try writer.append(record)
            }
            try finish()
            guard writer.count > 0 else {
                throw SubmissionError(code: .emptyInput, message: "the input holds no records")
            }
            try limits.checkTaskCount(records: writer.count, chunkSize: chunkSize, models: models.count)
            try writer.close()
            let names = columns()
            if !names.isEmpty {
                let url = try blobs.fileURL(for: BlobKeys.inputColumns(forInputKey: inputKey))
                try BufferedFileWriter.writeDurably(JSONEncoder().encode(names), to: url)
            }
        } catch {
            writer.discard()
            try? blobs.removeAll(prefix: "inputs/\(id.rawValue)")
            throw error
        }
        let request = NewRequest(
            id: id, owner: submission.owner, inputKind: kind, inputName: submission.inputName, inputKey: inputKey,
            recordCount: writer.count, chunkSize: chunkSize, maxParallel: maxParallel, models: models,
            chunkOffsets: writer.chunkOffsets, idempotencyKey: submission.idempotencyKey, fingerprint: fingerprint?.value,
            quota: limits.maxInFlightRecordModels)
        let outcome: SubmitOutcome
        do {
            outcome = try await store.submit(request)
        } catch let error as JobStoreUnavailable where error.mayHaveChanged {
            // The connection broke while the submission ran: the commit may have gone through, and
            // a request without its stored input could never run. The input stays; if the request
            // was not stored, it is an orphan file, which costs only disk. (A submission that
            // never reached the database is cleaned up below like any other failure.)
            logger.warning(
                "the job store failed during a submission that may have been stored; its input is kept",
                metadata: ["request": "\(id)", "input": "\(inputKey)", "error": "\(error)"])
            throw error
        } catch {
            try? blobs.removeAll(prefix: "inputs/\(id.rawValue)")
            throw error
        }
        if case .overQuota(let usage) = outcome {
            try? blobs.removeAll(prefix: "inputs/\(id.rawValue)")
            throw SubmissionError(
                code: .quotaExceeded,
                message:
                    "this submission needs \(writer.count * models.count) records × models, and \(usage.recordModels) of the quota of \(limits.maxInFlightRecordModels) are in flight in \(usage.requests) unfinished requests; submit again when some finish, or cancel one"
            )
        }
        if case .existing(let existing, let storedFingerprint) = outcome {
            // A repeat stores nothing new: the first request stands.
            try? blobs.removeAll(prefix: "inputs/\(id.rawValue)")
            guard storedFingerprint == fingerprint?.value else {
                throw SubmissionError(
                    code: .idempotencyKeyReused, field: "Idempotency-Key",
                    message: "the Idempotency-Key '\(submission.idempotencyKey ?? "")' was already used for request \(existing), with different records or options; use a new key for a new submission")
            }
            logger.info("repeated submission answered with its first request", metadata: ["request": "\(existing)"])
            return SubmitReceipt(id: existing, replayed: true)
        }
        FaultInjection.crash(at: "after-submit-commit")
        logger.info("accepted request", metadata: ["request": "\(id)", "records": "\(writer.count)", "models": "\(models.map(\.id))"])
        notifyWork()
        return SubmitReceipt(id: id, replayed: false)
    }
}
