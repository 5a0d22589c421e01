import BulkPredictCore
import Foundation
import PostgresNIO

extension PostgresJobStore {
    @discardableResult
    public func submit(_ request: NewRequest) async throws -> SubmitOutcome {
        do {
            return try await insert(request)
        } catch let refusal as QuotaRefusal {
            return .overQuota(refusal.usage)
        }
    }

    /// Raised inside the submit transaction to roll the insert back when the quota is exceeded.
    private struct QuotaRefusal: Error {
        let usage: OwnerUsage
    }

    private func insert(_ request: NewRequest) async throws -> SubmitOutcome {
        try await transaction { db in
            // Submissions of one owner take turns, so two of them cannot both pass the quota
            // check on a count that includes neither.
            if request.quota != nil {
                try await db.run("SELECT pg_advisory_xact_lock(hashtext(\(request.owner)))", logger: logger)
            }
            // A racing submission under the same key makes this insert wait for it, then do nothing.
            let inserted = try await db.changes(
                """
                INSERT INTO requests (id, owner, state, input_kind, input_name, input_key, record_count, chunk_size,
                                      max_parallel, created_at, idempotency_key, fingerprint)
                VALUES (\(request.id.rawValue), \(request.owner), \(RequestState.queued.rawValue), \(request.inputKind.rawValue),
                        \(request.inputName), \(request.inputKey), \(request.recordCount), \(request.chunkSize),
                        \(request.maxParallel), \(unescaped: Self.now), \(request.idempotencyKey), \(request.fingerprint))
                ON CONFLICT (owner, idempotency_key) DO NOTHING
                RETURNING id
                """, logger: logger)
            if inserted == 0, let key = request.idempotencyKey {
                let existing = try await db.row(
                    "SELECT id, fingerprint FROM requests WHERE owner = \(request.owner) AND idempotency_key = \(key)", logger: logger)
                if let existing, let id = RequestID(try existing.get("id", as: String.self)) {
                    return .existing(id, fingerprint: try existing.get("fingerprint", as: String?.self))
                }
                throw PostgresStoreError("the request under idempotency key '\(key)' vanished")
            }
            if let quota = request.quota {
                let usage = try await Self.usage(db, owner: request.owner, excluding: request.id, logger: logger)
                if usage.recordModels + request.recordCount * request.models.count > quota { throw QuotaRefusal(usage: usage) }
            }
            let starts = request.chunkOffsets.indices.map { $0 * request.chunkSize }
            let counts = starts.map { min(request.chunkSize, request.recordCount - $0) }
            let offsets = request.chunkOffsets.map { Int64($0) }
            for (position, model) in request.models.enumerated() {
                let job = try await db.row(
                    """
                    INSERT INTO jobs (request_id, position, model_id, model_version, state, max_attempts)
                    VALUES (\(request.id.rawValue), \(position), \(model.id), \(model.version), \(JobState.queued.rawValue),
                            \(model.maxAttempts))
                    RETURNING id
                    """, logger: logger)
                guard let jobID = try job?.get("id", as: Int64.self) else { throw PostgresStoreError("the job row was not created") }
                // One statement per job, however many chunks: arrays travel as three parameters.
                try await db.run(
                    """
                    INSERT INTO tasks (request_id, job_id, state, start_row, row_count, input_offset)
                    SELECT \(request.id.rawValue), \(jobID), \(TaskState.queued.rawValue), s, c, o
                    FROM unnest(\(starts)::bigint[], \(counts)::bigint[], \(offsets)::bigint[]) AS chunk (s, c, o)
                    """, logger: logger)
            }
            try await Self.announceWork(db, logger: logger)
            return .created
        }
    }

    public func status(of id: RequestID, owner: String?) async throws -> RequestStatus? {
        try await snapshot { db in try await Self.loadStatus(db, id: id.rawValue, owner: owner, logger: logger) }
    }

    public func list(owner: String, limit: Int, offset: Int) async throws -> (requests: [RequestStatus], total: Int) {
        try await snapshot { db in
            let total = try await db.row("SELECT COUNT(*) AS n FROM requests WHERE owner = \(owner)", logger: logger)?.get("n", as: Int.self) ?? 0
            let ids = try await db.rows(
                "SELECT id FROM requests WHERE owner = \(owner) ORDER BY created_at DESC, seq DESC LIMIT \(limit) OFFSET \(offset)",
                logger: logger
            ).map { try $0.get("id", as: String.self) }
            var requests: [RequestStatus] = []
            for id in ids {
                if let status = try await Self.loadStatus(db, id: id, owner: owner, logger: logger) { requests.append(status) }
            }
            return (requests, total)
        }
    }

    public func usage(owner: String) async throws -> OwnerUsage {
        try await snapshot { db in try await Self.usage(db, owner: owner, logger: self.logger) }
    }

    /// `owner`'s unfinished requests and their records × models, leaving out `excluded` (a
    /// request being inserted in the same transaction).
    static func usage(_ db: PostgresConnection, owner: String, excluding excluded: RequestID? = nil, logger: Logger) async throws
        -> OwnerUsage
    {
        let row = try await db.row(
            """
            SELECT COUNT(*) AS requests,
                   CAST(COALESCE(SUM(r.record_count * (SELECT COUNT(*) FROM jobs j WHERE j.request_id = r.id)), 0) AS BIGINT) AS record_models
            FROM requests r WHERE r.owner = \(owner) AND r.state IN \(unescaped: SQL.liveRequests) AND r.id <> \(excluded?.rawValue ?? "")
            """, logger: logger)
        return OwnerUsage(requests: try row?.get("requests", as: Int.self) ?? 0, recordModels: try row?.get("record_models", as: Int.self) ?? 0)
    }

    public func queuePosition(of id: RequestID) async throws -> Int? {
        try await snapshot { db in
            try await db.row(
                """
                SELECT 1 + (SELECT COUNT(*) FROM requests q WHERE q.state = 'queued' AND (q.created_at, q.seq) < (r.created_at, r.seq)) AS position
                FROM requests r WHERE r.id = \(id.rawValue) AND r.state = 'queued'
                """, logger: logger)?.get("position", as: Int.self)
        }
    }

    public func resultLocation(of id: RequestID) async throws -> MergeResult? {
        try await snapshot { db in
            guard
                let row = try await db.row(
                    """
                    SELECT result_key, result_rows, result_bytes, result_has_errors, result_partial, result_sha256, state
                    FROM requests WHERE id = \(id.rawValue)
                    """, logger: logger),
                let key = try row.get("result_key", as: String?.self),
                let state = RequestState(rawValue: try row.get("state")),
                state.hasResult || state == .cancelled
            else { return nil }
            return MergeResult(
                csvKey: key, rowCount: try row.get("result_rows", as: Int?.self) ?? 0,
                byteCount: try row.get("result_bytes", as: Int64?.self) ?? 0,
                hasErrors: try row.get("result_has_errors", as: Bool?.self) ?? false, partial: try row.get("result_partial"),
                sha256: try row.get("result_sha256", as: String?.self))
        }
    }

    public func cancelled(among ids: [RequestID]) async throws -> Set<RequestID> {
        guard !ids.isEmpty else { return [] }
        let rows = try await read(
            """
            SELECT id FROM requests WHERE id = ANY(\(ids.map(\.rawValue))::text[])
              AND state IN \(unescaped: SQL.list([RequestState.cancelling, .cancelled]))
            """)
        return Set(try rows.compactMap { RequestID(try $0.get("id", as: String.self)) })
    }

    public func cancel(_ id: RequestID, owner: String?) async throws -> CancelOutcome {
        try await transaction { db in
            guard let state = try await Self.lockRequest(db, id.rawValue, owner: owner, logger: logger) else { return .notFound }
            let next: RequestState
            do { next = try Lifecycle.next(state, on: .cancelRequested) } catch { return .alreadyFinished(state) }
            if next != state {
                try await db.run(
                    "UPDATE requests SET state = \(next.rawValue), revision = revision + 1 WHERE id = \(id.rawValue)", logger: logger)
            }
            try await Self.drainIfCancelling(db, requestID: id.rawValue, logger: logger)
            let now = try await db.row("SELECT state FROM requests WHERE id = \(id.rawValue)", logger: logger)
            return .accepted(try now.flatMap { RequestState(rawValue: try $0.get("state")) } ?? next)
        }
    }

    public func retryFailed(_ id: RequestID, owner: String?) async throws -> RetryOutcome {
        try await transaction { db in
            guard let state = try await Self.lockRequest(db, id.rawValue, owner: owner, logger: logger) else { return .notFound }
            let next: RequestState
            do { next = try Lifecycle.next(state, on: .retryRequested) } catch { return .notRetryable(state) }
            // A chunk that produced an output keeps its good rows and re-runs only the failed ones;
            // a chunk that failed as a whole runs again entirely. The old task stays as history.
            let replaced = try await db.rows(
                """
                WITH failed AS (
                    UPDATE tasks SET superseded = TRUE
                    WHERE request_id = \(id.rawValue) AND NOT superseded AND failed > 0
                    RETURNING job_id, start_row, row_count, input_offset, output_key, succeeded, failed
                ), added AS (
                    INSERT INTO tasks (request_id, job_id, state, start_row, row_count, input_offset, base_output_key,
                                       retries_failed_only)
                    SELECT \(id.rawValue), job_id, \(TaskState.queued.rawValue), start_row, row_count, input_offset,
                           output_key, output_key IS NOT NULL
                    FROM failed
                ), counted AS (
                    -- The new task reports the whole chunk again, so the old counts come off first.
                    UPDATE jobs j SET succeeded = j.succeeded - f.succeeded, failed = j.failed - f.failed
                    FROM (SELECT job_id, SUM(succeeded) AS succeeded, SUM(failed) AS failed FROM failed GROUP BY job_id) f
                    WHERE j.id = f.job_id
                )
                SELECT failed FROM failed
                """, logger: logger)
            guard !replaced.isEmpty else { return .nothingFailed }
            let records = try replaced.reduce(0) { $0 + (try $1.get("failed", as: Int.self)) }
            let jobState = try Lifecycle.next(JobState.completedWithErrors, on: .retryRequested)
            try await db.run(
                """
                UPDATE jobs SET state = \(jobState.rawValue)
                WHERE request_id = \(id.rawValue)
                  AND id IN (SELECT job_id FROM tasks WHERE request_id = \(id.rawValue) AND state = 'queued')
                  AND state IN \(unescaped: SQL.list(Lifecycle.sources(of: JobEvent.retryRequested)))
                """, logger: logger)
            try await db.run(
                """
                UPDATE requests SET state = \(next.rawValue), finished_at = NULL, error = NULL, result_key = NULL,
                    result_rows = NULL, result_bytes = NULL, result_has_errors = NULL, revision = revision + 1
                WHERE id = \(id.rawValue)
                """, logger: logger)
            try await Self.announceWork(db, logger: logger)
            return .accepted(tasks: replaced.count, records: records)
        }
    }

    /// Locks a request's row for the rest of the transaction and returns its state: `nil` for an
    /// unknown id or another owner's. Every transaction that changes a request's tasks starts here.
    static func lockRequest(
        _ db: PostgresConnection, _ id: String, owner: String?, logger: Logger
    ) async throws -> RequestState? {
        guard let row = try await db.row("SELECT owner, state FROM requests WHERE id = \(id) FOR UPDATE", logger: logger),
            try owner == nil || owner == row.get("owner", as: String.self)
        else { return nil }
        return RequestState(rawValue: try row.get("state"))
    }

    /// Adds `amount` to a monitoring total, in the caller's transaction.
    static func count(_ db: PostgresConnection, _ counter: SQL.Counter, by amount: Int = 1, logger: Logger) async throws {
        try await db.run(
            "INSERT INTO queue_counters (name, value) VALUES (\(counter.rawValue), \(amount)) \(unescaped: SQL.addToCounter)",
            logger: logger)
    }

    /// Wakes idle workers in every process once the transaction commits (polling stays the
    /// correctness path; this only makes them quick).
    static func announceWork(_ db: PostgresConnection, logger: Logger) async throws {
        try await db.run("SELECT pg_notify(\(workChannel), '')", logger: logger)
    }

    /// For a cancelling request whose row the caller has locked: drops every waiting task, and once
    /// no task is running any more moves the request and its jobs to `cancelled`.
    static func drainIfCancelling(_ db: PostgresConnection, requestID: String, logger: Logger) async throws {
        guard
            let raw = try await db.row("SELECT state FROM requests WHERE id = \(requestID)", logger: logger),
            RequestState(rawValue: try raw.get("state")) == .cancelling
        else { return }
        let waiting = SQL.list([TaskState.queued, .retrying])
        let cancelledState = try Lifecycle.next(TaskState.queued, on: .cancelled)
        // The dropped records are counted per job in the same statement that drops them.
        try await db.run(
            """
            WITH dropped AS (
                UPDATE tasks SET state = \(cancelledState.rawValue), finished_at = \(unescaped: now)
                WHERE request_id = \(requestID) AND state IN \(unescaped: waiting)
                RETURNING job_id, row_count
            )
            UPDATE jobs j SET cancelled = j.cancelled + d.rows
            FROM (SELECT job_id, SUM(row_count) AS rows FROM dropped GROUP BY job_id) d
            WHERE j.id = d.job_id
            """, logger: logger)
        let running = try await db.row(
            "SELECT COUNT(*) AS n FROM tasks WHERE request_id = \(requestID) AND state = 'running'", logger: logger)
        guard try running?.get("n", as: Int.self) == 0 else { return }
        // A merge that was under way when the cancel came loses its token: it may not announce.
        try await db.run(
            """
            UPDATE requests SET state = \(try Lifecycle.next(RequestState.cancelling, on: .cancelDrained).rawValue),
                finished_at = \(unescaped: now), merge_token = NULL, merge_expires_at = NULL, revision = revision + 1
            WHERE id = \(requestID)
            """, logger: logger)
        try await db.run(
            """
            UPDATE jobs SET state = \(try Lifecycle.next(JobState.running, on: .cancelled).rawValue)
            WHERE request_id = \(requestID) AND state IN \(unescaped: SQL.list(Lifecycle.sources(of: JobEvent.cancelled)))
            """, logger: logger)
    }

    static func date(_ milliseconds: Int64?) -> Date? {
        milliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    /// One request's status, read inside the caller's snapshot.
    static func loadStatus(_ db: PostgresConnection, id: String, owner: String?, logger: Logger) async throws -> RequestStatus? {
        guard let row = try await db.row("SELECT * FROM requests WHERE id = \(id)", logger: logger),
            let requestID = RequestID(try row.get("id", as: String.self)),
            try owner == nil || owner == row.get("owner", as: String.self)
        else { return nil }
        let jobs = try await db.rows(
            """
            SELECT j.model_id, j.model_version, j.state, j.succeeded, j.failed, j.cancelled,
                   COUNT(t.id) AS tasks_total,
                   COUNT(t.id) FILTER (WHERE t.state IN \(unescaped: SQL.terminalTasks)) AS tasks_done,
                   COUNT(t.id) FILTER (WHERE t.state = 'running') AS tasks_running
            FROM jobs j LEFT JOIN tasks t ON t.job_id = j.id AND NOT t.superseded
            WHERE j.request_id = \(id)
            GROUP BY j.id ORDER BY j.position
            """, logger: logger
        ).map { job in
            JobStatus(
                model: try job.get("model_id"), modelVersion: try job.get("model_version"),
                state: JobState(rawValue: try job.get("state")) ?? .failed,
                succeeded: try job.get("succeeded"), failed: try job.get("failed"), cancelled: try job.get("cancelled"),
                tasksTotal: try job.get("tasks_total"), tasksDone: try job.get("tasks_done"), tasksRunning: try job.get("tasks_running"))
        }
        let resultKey = try row.get("result_key", as: String?.self)
        return RequestStatus(
            id: requestID, owner: try row.get("owner"), state: RequestState(rawValue: try row.get("state")) ?? .failed,
            inputKind: InputKind(rawValue: try row.get("input_kind")) ?? .smiles, inputName: try row.get("input_name"),
            recordCount: try row.get("record_count"), chunkSize: try row.get("chunk_size"), maxParallel: try row.get("max_parallel"),
            revision: try row.get("revision"),
            createdAt: date(try row.get("created_at")) ?? Date(timeIntervalSince1970: 0),
            startedAt: date(try row.get("started_at")), finishedAt: date(try row.get("finished_at")), error: try row.get("error"),
            jobs: jobs,
            result: try resultKey.map { _ in
                ResultSummary(
                    rows: try row.get("result_rows", as: Int?.self) ?? 0, bytes: try row.get("result_bytes", as: Int64?.self) ?? 0,
                    sha256: try row.get("result_sha256", as: String?.self), partial: try row.get("result_partial"))
            })
    }
}

/// An inconsistency the PostgreSQL store refuses to go on with.
struct PostgresStoreError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
