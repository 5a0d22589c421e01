import BulkPredictCore
import GRDB

extension SQLiteJobStore {
    @discardableResult
    public func submit(_ request: NewRequest) async throws -> SubmitOutcome {
        try await immediate { db in
            if let key = request.idempotencyKey,
                let existing = try Row.fetchOne(
                    db, sql: "SELECT id, fingerprint FROM requests WHERE owner = ? AND idempotency_key = ?", arguments: [request.owner, key]),
                let id = RequestID(existing["id"] as String)
            {
                return .existing(id, fingerprint: existing["fingerprint"])
            }
            // BEGIN IMMEDIATE serialises writers, so no other submission can slip in between.
            if let quota = request.quota {
                let usage = try Self.usage(db, owner: request.owner)
                if usage.recordModels + request.recordCount * request.models.count > quota { return .overQuota(usage) }
            }
            try db.execute(
                sql: """
                    INSERT INTO requests (id, owner, state, input_kind, input_name, input_key, record_count,
                                          chunk_size, max_parallel, created_at, idempotency_key, fingerprint)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, \(Self.now), ?, ?)
                    """,
                arguments: [
                    request.id.rawValue, request.owner, RequestState.queued.rawValue, request.inputKind.rawValue,
                    request.inputName, request.inputKey, request.recordCount, request.chunkSize, request.maxParallel,
                    request.idempotencyKey, request.fingerprint,
                ])
            let insertTask = try db.makeStatement(
                sql: """
                    INSERT INTO tasks (request_id, job_id, state, start_row, row_count, input_offset)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            for (position, model) in request.models.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO jobs (request_id, position, model_id, model_version, state, max_attempts)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [request.id.rawValue, position, model.id, model.version, JobState.queued.rawValue, model.maxAttempts])
                let jobID = db.lastInsertedRowID
                for (chunk, offset) in request.chunkOffsets.enumerated() {
                    let start = chunk * request.chunkSize
                    let count = min(request.chunkSize, request.recordCount - start)
                    try insertTask.execute(arguments: [
                        request.id.rawValue, jobID, TaskState.queued.rawValue, start, count, Int64(offset),
                    ])
                }
            }
            return .created
        }
    }
}
