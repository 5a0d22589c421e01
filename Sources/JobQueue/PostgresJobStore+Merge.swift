import BulkPredictCore
import Foundation
import PostgresNIO

extension PostgresJobStore {
    public func requestsAwaitingMerge() async throws -> [RequestID] {
        try await read("SELECT id FROM requests r WHERE \(unescaped: SQL.mergeable("r", now: Self.now)) ORDER BY created_at, seq")
            .compactMap { RequestID(try $0.get("id", as: String.self)) }
    }

    public func beginMerge(_ id: RequestID, lease: Duration) async throws -> MergePlan? {
        let token = UUID().uuidString
        return try await transaction { db in
            guard let state = try await Self.lockRequest(db, id.rawValue, owner: nil, logger: logger) else { return nil }
            // Starting and taking over are both transitions of the one state machine; the partial
            // merge of a cancelled request changes no state.
            let next =
                state == .cancelled ? state : try Lifecycle.next(state, on: state == .merging ? .mergeTakenOver : .mergeStarted)
            // The compare-and-set, under the row lock: only one caller moves the request into (or
            // takes over) the merge.
            let taken = try await db.changes(
                """
                UPDATE requests SET state = \(next.rawValue), merge_token = \(token),
                    merge_expires_at = \(unescaped: Self.now) + \(lease.milliseconds), revision = revision + 1
                WHERE id = \(id.rawValue) AND \(unescaped: SQL.mergeable("requests", now: Self.now))
                RETURNING id
                """, logger: logger)
            guard taken == 1 else { return nil }
            return try await Self.mergePlan(db, id, token: token, logger: logger)
        }
    }

    public func extendMerge(_ plan: MergePlan, lease: Duration) async throws -> Bool {
        try await transaction { db in
            let changed = try await db.changes(
                """
                UPDATE requests SET merge_expires_at = \(unescaped: Self.now) + \(lease.milliseconds)
                WHERE id = \(plan.requestID.rawValue) AND state IN ('merging', 'cancelled') AND merge_token = \(plan.token)
                RETURNING id
                """, logger: logger)
            if changed == 0 { try await Self.count(db, .fenced, logger: logger) }
            return changed == 1
        }
    }

    /// The plan for a request that is merging, read in the caller's transaction.
    static func mergePlan(_ db: PostgresConnection, _ id: RequestID, token: String, logger: Logger) async throws -> MergePlan? {
        guard
            let request = try await db.row(
                "SELECT input_key, record_count FROM requests WHERE id = \(id.rawValue)", logger: logger)
        else { return nil }
        var jobs: [MergePlan.Job] = []
        for job in try await db.rows(
            "SELECT id, model_id, model_version FROM jobs WHERE request_id = \(id.rawValue) ORDER BY position", logger: logger)
        {
            let chunks = try await db.rows(
                """
                SELECT start_row, row_count, state, output_key, error FROM tasks
                WHERE job_id = \(try job.get("id", as: Int64.self)) AND NOT superseded ORDER BY start_row
                """, logger: logger
            ).map { task in
                MergePlan.Chunk(
                    startRow: try task.get("start_row"), rowCount: try task.get("row_count"),
                    state: TaskState(rawValue: try task.get("state")) ?? .failed, outputKey: try task.get("output_key"),
                    error: try task.get("error"))
            }
            jobs.append(MergePlan.Job(modelID: try job.get("model_id"), modelVersion: try job.get("model_version"), chunks: chunks))
        }
        return MergePlan(
            requestID: id, inputKey: try request.get("input_key"), recordCount: try request.get("record_count"), jobs: jobs,
            token: token)
    }

    public func finishMerge(_ plan: MergePlan, result: MergeResult) async throws -> Bool {
        try await transaction { db in
            let next = try Lifecycle.next(RequestState.merging, on: result.hasErrors ? .mergedWithErrors : .mergedClean)
            let id = plan.requestID.rawValue
            let finished = try await db.changes(
                """
                UPDATE requests SET state = \(next.rawValue), finished_at = \(unescaped: Self.now), revision = revision + 1,
                    result_key = \(result.csvKey), result_rows = \(result.rowCount), result_bytes = \(result.byteCount),
                    result_has_errors = \(result.hasErrors), result_sha256 = \(result.sha256), merge_token = NULL, merge_expires_at = NULL
                WHERE id = \(id) AND state = 'merging' AND merge_token = \(plan.token)
                RETURNING id
                """, logger: logger)
            if finished == 0 {
                // The partial result of a cancelled request: recorded, the state stays.
                let recorded = try await db.changes(
                    """
                    UPDATE requests SET revision = revision + 1, result_key = \(result.csvKey), result_rows = \(result.rowCount),
                        result_bytes = \(result.byteCount), result_has_errors = \(result.hasErrors), result_sha256 = \(result.sha256), result_partial = TRUE,
                        merge_token = NULL, merge_expires_at = NULL
                    WHERE id = \(id) AND state = 'cancelled' AND merge_token = \(plan.token)
                    RETURNING id
                    """, logger: logger)
                if recorded == 0 { try await Self.count(db, .fenced, logger: logger) }
                return recorded == 1
            }
            let clean = try Lifecycle.next(JobState.running, on: .finishedClean)
            let withErrors = try Lifecycle.next(JobState.running, on: .finishedWithErrors)
            try await db.run(
                """
                UPDATE jobs SET state = CASE WHEN failed > 0 THEN \(withErrors.rawValue) ELSE \(clean.rawValue) END
                WHERE request_id = \(id) AND state = 'running'
                """, logger: logger)
            return true
        }
    }

    public func failMerge(_ plan: MergePlan, reason: String) async throws {
        try await transaction { db in
            let id = plan.requestID.rawValue
            let failed = try await db.changes(
                """
                UPDATE requests SET state = \(try Lifecycle.next(RequestState.merging, on: .failed).rawValue), error = \(reason),
                    finished_at = \(unescaped: Self.now), revision = revision + 1, merge_token = NULL, merge_expires_at = NULL
                WHERE id = \(id) AND state = 'merging' AND merge_token = \(plan.token)
                RETURNING id
                """, logger: logger)
            guard failed == 1 else {
                // A cancelled request whose partial merge failed keeps its state and says why.
                try await db.run(
                    """
                    UPDATE requests SET error = \(reason), revision = revision + 1, merge_token = NULL, merge_expires_at = NULL
                    WHERE id = \(id) AND state = 'cancelled' AND merge_token = \(plan.token)
                    """, logger: logger)
                return
            }
            try await db.run(
                """
                UPDATE jobs SET state = \(try Lifecycle.next(JobState.running, on: .failed).rawValue)
                WHERE request_id = \(id) AND state IN \(unescaped: SQL.list(Lifecycle.sources(of: JobEvent.failed)))
                """, logger: logger)
        }
    }
}
