import BulkPredictCore
import Foundation
import GRDB

/// The ``JobStore`` of the embedded default: one SQLite file in WAL mode, written with
/// `BEGIN IMMEDIATE` so that concurrent writers queue up instead of failing to upgrade a read lock.
public final class SQLiteJobStore: JobStore {
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `url` and applies pending migrations.
    /// - Throws: when the file cannot be opened or migrated.
    public init(url: URL) throws {
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

    /// The `PRAGMA integrity_check` verdict, `ok` when the file is sound.
    public func integrityCheck() async throws -> String {
        try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }
}

/// SQL pieces shared by the queries; built from ``Lifecycle`` so stores never restate transitions.
enum SQL {
    /// Milliseconds since 1970 by the database's own clock; lease arithmetic never uses a host clock.
    static let nowMS = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"

    /// `('a', 'b')` for a list of states.
    static func list<S: RawRepresentable>(_ states: [S]) -> String where S.RawValue == String {
        "(" + states.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
    }

    /// Task states that never change again.
    static let terminalTasks = list(TaskState.allCases.filter(\.isTerminal))

    /// Task states that may still change: written as `IN`, which the `(request_id, state)` index
    /// can seek, where `NOT IN` would scan every task of the request.
    static let liveTasks = list(TaskState.allCases.filter { !$0.isTerminal })
}
