import BulkPredictCore
import GRDB

extension SQLiteJobStore {
    public func retryFailed(_ id: RequestID, owner: String?) async throws -> RetryOutcome {
        try await immediate { db in
            guard let state = try Self.state(db, of: id, owner: owner) else { return .notFound }
            let next: RequestState
            do { next = try Lifecycle.next(state, on: .retryRequested) } catch { return .notRetryable(state) }
            let failedTasks = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, job_id, start_row, row_count, input_offset, state, output_key, succeeded, failed
                    FROM tasks WHERE request_id = ? AND superseded = 0 AND failed > 0 ORDER BY job_id, start_row
                    """,
                arguments: [id.rawValue])
            guard !failedTasks.isEmpty else { return .nothingFailed }
            var records = 0
            for task in failedTasks {
                let outputKey: String? = task["output_key"]
                // A chunk that produced an output keeps its good rows and re-runs only the failed
                // ones; a chunk that failed as a whole runs again entirely.
                try db.execute(
                    cached: """
                        INSERT INTO tasks (request_id, job_id, state, start_row, row_count, input_offset, base_output_key,
                                           retries_failed_only)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    [
                        id.rawValue, task["job_id"] as Int64, TaskState.queued.rawValue, task["start_row"] as Int,
                        task["row_count"] as Int, task["input_offset"] as Int64, outputKey, outputKey != nil,
                    ])
                try db.execute(cached: "UPDATE tasks SET superseded = 1 WHERE id = ?", [task["id"] as Int64])
                // The new task reports the whole chunk again, so the old counts come off first.
                try db.execute(
                    cached: "UPDATE jobs SET succeeded = succeeded - ?, failed = failed - ? WHERE id = ?",
                    [task["succeeded"] as Int, task["failed"] as Int, task["job_id"] as Int64])
                records += task["failed"] as Int
            }
            let jobState = try Lifecycle.next(JobState.completedWithErrors, on: .retryRequested)
            try db.execute(
                sql: """
                    UPDATE jobs SET state = ?
                    WHERE request_id = ? AND id IN (SELECT job_id FROM tasks WHERE request_id = ? AND state = 'queued')
                      AND state IN \(SQL.list(Lifecycle.sources(of: JobEvent.retryRequested)))
                    """,
                arguments: [jobState.rawValue, id.rawValue, id.rawValue])
            try db.execute(
                sql: """
                    UPDATE requests SET state = ?, finished_at = NULL, error = NULL, result_key = NULL, result_rows = NULL,
                        result_bytes = NULL, result_has_errors = NULL, revision = revision + 1
                    WHERE id = ?
                    """,
                arguments: [next.rawValue, id.rawValue])
            return .accepted(tasks: failedTasks.count, records: records)
        }
    }
}
