import BulkPredictCore
import Foundation
import GRDB

extension SQLiteJobStore {
    public func requestsAwaitingMerge() async throws -> [RequestID] {
        try await pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM requests r WHERE \(SQL.mergeable("r", now: Self.now)) ORDER BY created_at, rowid"
            ).compactMap { RequestID($0) }
        }
    }

    public func beginMerge(_ id: RequestID, lease: Duration) async throws -> MergePlan? {
        let token = UUID().uuidString
        let leaseMS = lease.milliseconds
        return try await immediate { db in
            guard let state = try db.value(String.self, cached: "SELECT state FROM requests WHERE id = ?", [id.rawValue])
                .flatMap(RequestState.init(rawValue:))
            else { return nil }
            // Starting and taking over are both transitions of the one state machine; the partial
            // merge of a cancelled request changes no state.
            let next =
                state == .cancelled ? state : try Lifecycle.next(state, on: state == .merging ? .mergeTakenOver : .mergeStarted)
            // The compare-and-set: only one caller moves the request into (or takes over) the merge.
            try db.execute(
                sql: """
                    UPDATE requests SET state = ?, merge_token = ?, merge_expires_at = \(Self.now) + ?, revision = revision + 1
                    WHERE id = ? AND \(SQL.mergeable("requests", now: Self.now))
                    """,
                arguments: [next.rawValue, token, leaseMS, id.rawValue])
            guard db.changesCount == 1 else { return nil }
            return try Self.mergePlan(db, id, token: token)
        }
    }

    public func extendMerge(_ plan: MergePlan, lease: Duration) async throws -> Bool {
        let leaseMS = lease.milliseconds
        return try await immediate { db in
            try db.execute(
                cached: "UPDATE requests SET merge_expires_at = \(Self.now) + ? WHERE id = ? AND state IN ('merging', 'cancelled') AND merge_token = ?",
                [leaseMS, plan.requestID.rawValue, plan.token])
            guard db.changesCount == 1 else {
                try Self.count(db, .fenced)
                return false
            }
            return true
        }
    }

    /// The plan for a request that is merging, read in the caller's transaction.
    static func mergePlan(_ db: Database, _ id: RequestID, token: String) throws -> MergePlan? {
        guard
            let request = try Row.fetchOne(
                db, sql: "SELECT input_key, record_count FROM requests WHERE id = ?", arguments: [id.rawValue])
        else { return nil }
        let jobs = try Row.fetchAll(
            db, sql: "SELECT id, model_id, model_version FROM jobs WHERE request_id = ? ORDER BY position", arguments: [id.rawValue])
        let plannedJobs = try jobs.map { job in
            let chunks = try Row.fetchAll(
                db, sql: "SELECT start_row, row_count, state, output_key, error FROM tasks WHERE job_id = ? AND superseded = 0 ORDER BY start_row",
                arguments: [job["id"] as Int64]
            ).map { task in
                MergePlan.Chunk(
                    startRow: task["start_row"], rowCount: task["row_count"],
                    state: TaskState(rawValue: task["state"]) ?? .failed, outputKey: task["output_key"], error: task["error"])
            }
            return MergePlan.Job(modelID: job["model_id"], modelVersion: job["model_version"], chunks: chunks)
        }
        return MergePlan(
            requestID: id, inputKey: request["input_key"], recordCount: request["record_count"], jobs: plannedJobs, token: token)
    }

    public func finishMerge(_ plan: MergePlan, result: MergeResult) async throws -> Bool {
        try await immediate { db in
            let next = try Lifecycle.next(RequestState.merging, on: result.hasErrors ? .mergedWithErrors : .mergedClean)
            try db.execute(
                sql: """
                    UPDATE requests SET state = ?, finished_at = \(Self.now), revision = revision + 1,
                        result_key = ?, result_rows = ?, result_bytes = ?, result_has_errors = ?, result_sha256 = ?,
                        merge_token = NULL, merge_expires_at = NULL
                    WHERE id = ? AND state = ? AND merge_token = ?
                    """,
                arguments: [
                    next.rawValue, result.csvKey, result.rowCount, result.byteCount, result.hasErrors, result.sha256,
                    plan.requestID.rawValue, RequestState.merging.rawValue, plan.token,
                ])
            if db.changesCount == 0 {
                // The partial result of a cancelled request: recorded, the state stays.
                try db.execute(
                    sql: """
                        UPDATE requests SET revision = revision + 1, result_key = ?, result_rows = ?, result_bytes = ?,
                            result_has_errors = ?, result_sha256 = ?, result_partial = 1, merge_token = NULL, merge_expires_at = NULL
                        WHERE id = ? AND state = 'cancelled' AND merge_token = ?
                        """,
                    arguments: [
                        result.csvKey, result.rowCount, result.byteCount, result.hasErrors, result.sha256, plan.requestID.rawValue,
                        plan.token,
                    ])
                guard db.changesCount == 1 else {
                    try Self.count(db, .fenced)
                    return false
                }
                return true
            }
            let clean = try Lifecycle.next(JobState.running, on: .finishedClean)
            let withErrors = try Lifecycle.next(JobState.running, on: .finishedWithErrors)
            try db.execute(
                sql: "UPDATE jobs SET state = CASE WHEN failed > 0 THEN ? ELSE ? END WHERE request_id = ? AND state = ?",
                arguments: [withErrors.rawValue, clean.rawValue, plan.requestID.rawValue, JobState.running.rawValue])
            return true
        }
    }

    public func failMerge(_ plan: MergePlan, reason: String) async throws {
        try await immediate { db in
            try db.execute(
                sql: """
                    UPDATE requests SET state = ?, error = ?, finished_at = \(Self.now), revision = revision + 1,
                        merge_token = NULL, merge_expires_at = NULL
                    WHERE id = ? AND state = ? AND merge_token = ?
                    """,
                arguments: [
                    try Lifecycle.next(RequestState.merging, on: .failed).rawValue, reason, plan.requestID.rawValue,
                    RequestState.merging.rawValue, plan.token,
                ])
            guard db.changesCount == 1 else {
                // A cancelled request whose partial merge failed keeps its state and says why.
                try db.execute(
                    sql: """
                        UPDATE requests SET error = ?, revision = revision + 1, merge_token = NULL, merge_expires_at = NULL
                        WHERE id = ? AND state = 'cancelled' AND merge_token = ?
                        """,
                    arguments: [reason, plan.requestID.rawValue, plan.token])
                return
            }
            try db.execute(
                sql: "UPDATE jobs SET state = ? WHERE request_id = ? AND state IN \(SQL.list(Lifecycle.sources(of: JobEvent.failed)))",
                arguments: [try Lifecycle.next(JobState.running, on: .failed).rawValue, plan.requestID.rawValue])
        }
    }
}
