import BulkPredictCore
import Foundation
import GRDB

extension SQLiteJobStore {
    public func status(of id: RequestID, owner: String?) async throws -> RequestStatus? {
        try await pool.read { db in try Self.loadStatus(db, id: id.rawValue, owner: owner) }
    }

    public func list(owner: String, limit: Int, offset: Int) async throws -> (requests: [RequestStatus], total: Int) {
        try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM requests WHERE owner = ?", arguments: [owner]) ?? 0
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM requests WHERE owner = ? ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?",
                arguments: [owner, limit, offset])
            let requests = try ids.compactMap { try Self.loadStatus(db, id: $0, owner: owner) }
            return (requests, total)
        }
    }

    public func usage(owner: String) async throws -> OwnerUsage {
        try await pool.read { db in
            try Self.usage(db, owner: owner)
        }
    }

    static func usage(_ db: Database, owner: String) throws -> OwnerUsage {
        let row = try Row.fetchOne(db, sql: SQL.usage(owner: "?"), arguments: [owner])
        return OwnerUsage(requests: row?["requests"] ?? 0, recordModels: row?["record_models"] ?? 0)
    }

    public func queuePosition(of id: RequestID) async throws -> Int? {
        try await pool.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT 1 + (SELECT COUNT(*) FROM requests q WHERE q.state = 'queued'
                                  AND (q.created_at < r.created_at OR (q.created_at = r.created_at AND q.rowid < r.rowid)))
                    FROM requests r WHERE r.id = ? AND r.state = 'queued'
                    """, arguments: [id.rawValue])
        }
    }

    public func resultLocation(of id: RequestID) async throws -> MergeResult? {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT result_key, result_rows, result_bytes, result_has_errors, result_partial, result_sha256, state
                        FROM requests WHERE id = ?
                        """,
                    arguments: [id.rawValue]),
                let key = row["result_key"] as String?,
                let state = RequestState(rawValue: row["state"]),
                state.hasResult || state == .cancelled
            else { return nil }
            return MergeResult(
                csvKey: key, rowCount: row["result_rows"], byteCount: row["result_bytes"], hasErrors: row["result_has_errors"],
                partial: row["result_partial"], sha256: row["result_sha256"])
        }
    }

    static func date(_ milliseconds: Int64?) -> Date? {
        milliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    /// One consistent snapshot, read inside the caller's transaction.
    static func loadStatus(_ db: Database, id: String, owner: String?) throws -> RequestStatus? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM requests WHERE id = ?", arguments: [id]),
            let requestID = RequestID(row["id"] as String),
            owner == nil || owner == row["owner"]
        else { return nil }
        let jobRows = try Row.fetchAll(
            db,
            sql: """
                SELECT j.model_id, j.model_version, j.state, j.succeeded, j.failed, j.cancelled,
                       COUNT(t.id) AS tasks_total,
                       SUM(t.state IN \(SQL.terminalTasks)) AS tasks_done,
                       SUM(t.state = 'running') AS tasks_running
                FROM jobs j LEFT JOIN tasks t ON t.job_id = j.id AND t.superseded = 0
                WHERE j.request_id = ?
                GROUP BY j.id ORDER BY j.position
                """,
            arguments: [id])
        let jobs = jobRows.map { job in
            JobStatus(
                model: job["model_id"], modelVersion: job["model_version"],
                state: JobState(rawValue: job["state"]) ?? .failed,
                succeeded: job["succeeded"], failed: job["failed"], cancelled: job["cancelled"],
                tasksTotal: job["tasks_total"], tasksDone: job["tasks_done"] ?? 0, tasksRunning: job["tasks_running"] ?? 0)
        }
        return RequestStatus(
            id: requestID, owner: row["owner"], state: RequestState(rawValue: row["state"]) ?? .failed,
            inputKind: InputKind(rawValue: row["input_kind"]) ?? .smiles, inputName: row["input_name"],
            recordCount: row["record_count"], chunkSize: row["chunk_size"], maxParallel: row["max_parallel"],
            revision: row["revision"], createdAt: date(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
            startedAt: date(row["started_at"]), finishedAt: date(row["finished_at"]), error: row["error"], jobs: jobs,
            result: (row["result_key"] as String?).map { _ in
                ResultSummary(
                    rows: row["result_rows"], bytes: row["result_bytes"], sha256: row["result_sha256"], partial: row["result_partial"])
            })
    }
}
