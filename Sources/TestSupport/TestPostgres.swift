import Foundation
import Logging
import NIOPosix
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

    private static func withConnection<T>(
        _ url: String, _ body: (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        guard let components = URLComponents(string: url) else { throw Unavailable() }
        let configuration = PostgresConnection.Configuration(
            host: components.host ?? "127.0.0.1", port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: components.path.count > 1 ? String(components.path.dropFirst()) : nil,
            tls: .disable)
        let logger = Logger(label: "bulkpredict.test-postgres")
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger)
        do {
            let value = try await body(connection, logger)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
