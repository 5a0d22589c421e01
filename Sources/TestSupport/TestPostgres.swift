import Foundation
import Logging
import JobQueue
import PostgresNIO

/// The PostgreSQL server that `scripts/test` starts for the suite, named by the environment
/// variable `BULKPREDICT_TEST_POSTGRES_URL`. Every test gets a database of its own.
public enum TestPostgres {
    /// The server is not there.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String {
            "no PostgreSQL for the tests: run ./scripts/test, which starts one, or set BULKPREDICT_TEST_POSTGRES_URL"
        }
    }

    /// The URL of the server's maintenance database.
    public static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["BULKPREDICT_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw Unavailable()
        }
        return url
    }

    /// Creates an empty database; returns its URL and a function that drops it.
    public static func createDatabase() async throws -> (url: String, drop: @Sendable () async -> Void) {
        let server = try serverURL()
        let name = "bp_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await execute("CREATE DATABASE \(name)", on: server)
        guard var components = URLComponents(string: server) else { throw Unavailable() }
        components.path = "/" + name
        let url = components.string ?? server
        return (url, { try? await execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: server) })
    }

    /// The integer that a one-value query returns, such as a `COUNT(*)`.
    public static func integer(_ sql: String, on url: String) async throws -> Int {
        try await withConnection(url) { connection, logger in
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
            guard let value = try rows.first?.makeRandomAccess()[0].decode(Int.self) else { throw Unavailable() }
            return value
        }
    }

    /// Runs one statement outside any transaction (as `CREATE DATABASE` must be).
    public static func execute(_ sql: String, on url: String) async throws {
        _ = try await withConnection(url) { connection, logger in
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
        }
    }

    private static func withConnection<T: Sendable>(
        _ url: String, _ body: @Sendable (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        // The store's own URL parsing, so that tests reach the server exactly as the store does.
        var configuration = try PostgresJobStore.configuration(from: url)
        configuration.options.maximumConnections = 1
        let logger = Logger(label: "bulkpredict.test-postgres")
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await client.withConnection { connection in try await body(connection, logger) }
        }
    }
}
