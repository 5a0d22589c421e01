import BulkPredictCore
import GRDB

extension SQLiteJobStore {
    public func requestsAwaitingMerge() async throws -> [RequestID] {
        try await pool.read { db in
            let mergeable = SQL.list(Lifecycle.sources(of: RequestEvent.mergeStarted))
            return try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM requests r
                    WHERE state IN \(mergeable)
                      AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.request_id = r.id AND t.state IN \(SQL.liveTasks))
                    ORDER BY created_at
                    """
            ).compactMap { RequestID($0) }
        }
    }

    public func beginMerge(_ id: RequestID) async throws -> MergePlan? {
        try await immediate { db in
            guard try Self.isReadyToMerge(db, id.rawValue) else { return nil }
            let mergeable = SQL.list(Lifecycle.sources(of: RequestEvent.mergeStarted))
            // The compare-and-set: only one caller moves the request out of a mergeable state.
            try db.execute(
                sql: "UPDATE requests SET state = ?, revision = revision + 1 WHERE id = ? AND state IN \(mergeable)",
                arguments: [try Lifecycle.next(RequestState.running, on: .mergeStarted).rawValue, id.rawValue])
            guard db.changesCount == 1 else { return nil }
            return try Self.mergePlan(db, id)
        }
    }

    /// The plan for a request that is merging, read in the caller's transaction.
    static func mergePlan(_ db: Database, _ id: RequestID) throws -> MergePlan? {
        guard let request = try Row.fetchOne(db, sql: "SELECT input_key, record_count FROM requests WHERE id = ?", arguments: [id.rawValue])
        else { return nil }
        let jobs = try Row.fetchAll(
            db, sql: "SELECT id, model_id, model_version FROM jobs WHERE request_id = ? ORDER BY position", arguments: [id.rawValue])
        let plannedJobs = try jobs.map { job in
            let chunks = try Row.fetchAll(
                db, sql: "SELECT start_row, row_count, state, output_key, error FROM tasks WHERE job_id = ? ORDER BY start_row",
                arguments: [job["id"] as Int64]
            ).map { task in
                MergePlan.Chunk(
                    startRow: task["start_row"], rowCount: task["row_count"],
                    state: TaskState(rawValue: task["state"]) ?? .failed, outputKey: task["output_key"], error: task["error"])
            }
            return MergePlan.Job(modelID: job["model_id"], modelVersion: job["model_version"], chunks: chunks)
        }
        return MergePlan(requestID: id, inputKey: request["input_key"], recordCount: request["record_count"], jobs: plannedJobs)
    }

    public func finishMerge(_ id: RequestID, result: MergeResult) async throws -> Bool {
        try await immediate { db in
            let next = try Lifecycle.next(RequestState.merging, on: result.hasErrors ? .mergedWithErrors : .mergedClean)
            try db.execute(
                sql: """
                    UPDATE requests SET state = ?, finished_at = \(SQL.nowMS), revision = revision + 1,
                        result_key = ?, result_rows = ?, result_bytes = ?, result_has_errors = ?
                    WHERE id = ? AND state = ?
                    """,
                arguments: [
                    next.rawValue, result.csvKey, result.rowCount, result.byteCount, result.hasErrors,
                    id.rawValue, RequestState.merging.rawValue,
                ])
            guard db.changesCount == 1 else { return false }
            let clean = try Lifecycle.next(JobState.running, on: .finishedClean)
            let withErrors = try Lifecycle.next(JobState.running, on: .finishedWithErrors)
            try db.execute(
                sql: "UPDATE jobs SET state = CASE WHEN failed > 0 THEN ? ELSE ? END WHERE request_id = ? AND state = ?",
                arguments: [withErrors.rawValue, clean.rawValue, id.rawValue, JobState.running.rawValue])
            return true
        }
    }

    public func failMerge(_ id: RequestID, reason: String) async throws {
        try await immediate { db in
            try db.execute(
                sql:
                    "UPDATE requests SET state = ?, error = ?, finished_at = \(SQL.nowMS), revision = revision + 1 WHERE id = ? AND state = ?",
                arguments: [
                    try Lifecycle.next(RequestState.merging, on: .failed).rawValue, reason, id.rawValue, RequestState.merging.rawValue,
                ])
            try db.execute(
                sql: "UPDATE jobs SET state = ? WHERE request_id = ? AND state IN \(SQL.list(Lifecycle.sources(of: JobEvent.failed)))",
                arguments: [try Lifecycle.next(JobState.running, on: .failed).rawValue, id.rawValue])
        }
    }
}
