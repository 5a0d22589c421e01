import BulkPredictCore
import Foundation
import GRDB

/// The ``JobStore`` of the embedded default: one SQLite file in WAL mode, written with
/// `BEGIN IMMEDIATE` so that concurrent writers queue up instead of failing to upgrade a read lock.
public final class SQLiteJobStore: JobStore {
    let pool: DatabasePool
    let maxRunningTasks: Int?

    /// Opens (creating if needed) the database at `url` and applies pending migrations.
    /// - Parameter maxRunningTasks: the cap on tasks running at once across every worker that
    ///   shares this file, or `nil` for no cap beyond each worker's own slots.
    /// - Throws: when the file cannot be opened or migrated.
    public init(url: URL, maxRunningTasks: Int? = nil) throws {
        self.maxRunningTasks = maxRunningTasks
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        // Workers and the API write concurrently; wait for the lock rather than fail.
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            // A task is announced done only after its state commits; FULL makes that survive power loss.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        pool = try DatabasePool(path: url.path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction and commits it.
    func immediate<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.writeWithoutTransaction { db in
            var value: T?
            try db.inTransaction(.immediate) {
                value = try body(db)
                return .commit
            }
            guard let value else { throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "transaction produced no value") }
            return value
        }
    }

    /// Milliseconds since 1970 by the database's own clock; lease arithmetic never uses a host clock.
    static let now = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"

    /// The `PRAGMA integrity_check` verdict, `ok` when the file is sound.
    public func integrityCheck() async throws -> String {
        try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }
}
