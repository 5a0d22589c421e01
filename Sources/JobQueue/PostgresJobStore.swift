import BulkPredictCore
import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// The ``JobStore`` for scaling out: any number of API and worker processes, on any number of
/// machines, share one PostgreSQL database.
///
/// Concurrency rules, which every method follows so that transactions never deadlock:
/// - a transaction that changes a request's tasks first locks the request's row (`FOR UPDATE`),
///   and locks several requests only in id order;
/// - claims also take one transaction-scoped advisory lock, so they take turns: that keeps
///   `max_parallel`, the global cap on running tasks and the round-robin between owners exact
///   across processes, at the price of one short critical section per claim;
/// - reads of several tables run in one `REPEATABLE READ` snapshot.
///
/// Time comes from the database (`clock_timestamp()`), never from a host clock, so leases mean
/// the same on every machine.
public final class PostgresJobStore: JobStore {
    let client: PostgresClient
    let logger: Logger
    let maxRunningTasks: Int?
    private let runner: Task<Void, Never>
    let availability = Availability()

    /// The channel on which stores announce new work to idle workers.
    static let workChannel = "bulkpredict_work"
    /// The advisory lock key that claims take turns on ("BPclaim" in ASCII).
    static let claimLock: Int64 = 0x4250_636C_6169_6D
    /// The advisory lock key that serialises schema migrations between starting processes.
    static let migrationLock: Int64 = 0x4250_6D69_6772_6174
    /// Milliseconds since 1970 by the database's clock.
    static let now = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint"

    /// Connects to the database named by `url` (`postgres://user:password@host:port/database`,
    /// with `?sslmode=disable|prefer|require`) and applies pending migrations.
    /// - Parameters:
    ///   - maxRunningTasks: the cap on tasks running at once across every worker process, or
    ///     `nil` for no cap beyond each worker's own slots.
    /// - Throws: ``PostgresURLError`` for a malformed URL, or the database's error when it cannot
    ///   be reached or migrated.
    public init(url: String, maxRunningTasks: Int? = nil, logger: Logger = Logger(label: "bulkpredict.postgres")) async throws {
        let configuration = try Self.configuration(from: url)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.maxRunningTasks = maxRunningTasks
        // The pool serves leases only once `run()` is under way; wait for the task to get there
        // (the driver warns about every lease taken before).
        let (started, announce) = AsyncStream<Void>.makeStream()
        runner = Task {
            announce.finish()
            await client.run()
        }
        for await _ in started {}
        await Task.yield()
        do {
            try await migrate()
        } catch {
            runner.cancel()
            throw error
        }
    }

    deinit { runner.cancel() }

    /// Closes every connection. The store is unusable afterwards.
    public func close() {
        runner.cancel()
    }

    /// Whether the database answered the last time; false from the first lost connection until
    /// a probe gets through again.
    public var isAvailable: Bool { availability.isAvailable }

    /// Turns a lost or refused connection into ``JobStoreUnavailable`` (and starts probing for
    /// the database's return); other errors pass unchanged.
    func translating<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            let value = try await operation()
            return value
        } catch let error as PSQLError where Self.isConnectionFailure(error) {
            if availability.markUnavailable() { startProbe() }
            throw JobStoreUnavailable(Self.describe(error))
        } catch let error as JobStoreUnavailable {
            if availability.markUnavailable() { startProbe() }
            throw error
        }
    }

    /// How long a transaction waits for a connection before the database counts as down. The
    /// pool would otherwise wait for as long as the database stays away.
    static let connectionWait: Duration = .seconds(5)

    /// Whether `error` says the database is unreachable, rather than that a statement failed.
    static func isConnectionFailure(_ error: PSQLError) -> Bool {
        switch error.code {
        case .serverClosedConnection, .connectionError, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            // Class 57: the server is shutting down or starting up; class 08: connection exceptions.
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("57P") || state.hasPrefix("08")
        default:
            return false
        }
    }

    private static func describe(_ error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] { return message }
        return "\(error.code)"
    }

    // Asks the pool for a connection every second until one answers. A lease request waits
    // while the database is down, so each attempt has its own time limit.
    private func startProbe() {
        logger.warning("lost the database; probing until it is back")
        Task { [client, availability, logger] in
            while !Task.isCancelled {
                let answered = await withTaskGroup(of: Bool.self) { group in
                    group.addTask {
                        (try? await client.query("SELECT 1", logger: logger).collect()) != nil
                    }
                    group.addTask {
                        try? await Task.sleep(for: .seconds(2))
                        return false
                    }
                    let first = await group.next() ?? false
                    group.cancelAll()
                    return first
                }
                if answered {
                    availability.markAvailable()
                    logger.notice("the database is back")
                    return
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Runs `body` in one read-committed transaction and commits it; rolls back when it throws.
    func transaction<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await inTransaction("BEGIN", body)
    }

    /// The rows of one query, with a transaction's bounded wait for a connection: a plain pool
    /// query would wait for as long as the database stays away, and its failure would not mark the
    /// store unavailable.
    func read(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await transaction { [logger] db in try await db.rows(query, logger: logger) }
    }

    /// Runs `body` against one consistent snapshot of the whole database.
    func snapshot<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    private func inTransaction<T: Sendable>(
        _ begin: PostgresQuery, _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        // The group waits for both children before it returns, so `body` does not outlive the call.
        try await withoutActuallyEscaping(body) { body in
            try await translating { try await boundedTransaction(begin, body) }
        }
    }

    private func boundedTransaction<T: Sendable>(
        _ begin: PostgresQuery, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let acquired = Acquired()
        return try await withThrowingTaskGroup(of: Bounded<T>.self) { group in
            group.addTask { .finished(try await self.inTransactionUntranslated(begin, acquired: acquired, body)) }
            group.addTask {
                try await Task.sleep(for: Self.connectionWait)
                // Only the wait for a connection is bounded; a running transaction is not.
                guard acquired.value else { throw JobStoreUnavailable("no database connection within 5 s", mayHaveChanged: false) }
                return .connected
            }
            while let outcome = try await group.next() {
                if case .finished(let value) = outcome {
                    group.cancelAll()
                    return value
                }
            }
            throw CancellationError()
        }
    }

    private func inTransactionUntranslated<T: Sendable>(
        _ begin: PostgresQuery, acquired: Acquired, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await client.withConnection { connection in
            acquired.set()
            try await connection.query(begin, logger: logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return value
            } catch {
                // The connection goes back to the pool only outside a transaction.
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Parses a `postgres://` URL into a client configuration (the store's, and the test
    /// helpers' that create and inspect databases).
    /// - Throws: ``PostgresURLError`` for a URL that cannot be used.
    package static func configuration(from url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme.lowercased())
        else { throw PostgresURLError(url: url, reason: "it must start with postgres://") }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let username = components.user?.removingPercentEncoding ?? "postgres"
        let password = components.password?.removingPercentEncoding
        let database = components.path.count > 1 ? String(components.path.dropFirst()).removingPercentEncoding : nil
        var configuration: PostgresClient.Configuration
        // `?host=/path/to/socket/dir` reaches the server over its Unix socket, as libpq does.
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            let port = components.port ?? 5432
            configuration = .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: username, password: password,
                database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS
            switch query["sslmode"] ?? "prefer" {
            case "disable": tls = .disable
            case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
            case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
            case let other: throw PostgresURLError(url: url, reason: "sslmode '\(other)' is not one of disable, prefer, require")
            }
            configuration = .init(
                host: components.host ?? "localhost", port: components.port ?? 5432, username: username, password: password,
                database: database, tls: tls)
        }
        // Workers hold few connections each; many workers must fit in the server's limit.
        configuration.options.maximumConnections = 8
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}

/// A database URL that cannot be used.
public struct PostgresURLError: Error, CustomStringConvertible {
    /// The URL as given, with any password masked.
    public var url: String
    /// What is wrong with it.
    public var reason: String

    init(url: String, reason: String) {
        // A password must never reach a log or an error message.
        self.url = url.replacingOccurrences(of: #"://([^:/@]*):[^@]*@"#, with: "://$1:***@", options: .regularExpression)
        self.reason = reason
    }

    public var description: String { "the database URL \(url) cannot be used: \(reason)" }
}

extension PostgresConnection {
    /// Every row of `query`, read into memory (the queries here return few rows).
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await self.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    /// The first row of `query`, if any.
    func row(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRandomAccessRow? {
        try await rows(query, logger: logger).first
    }

    /// Runs a statement whose `RETURNING` clause yields one row per changed row; returns the count.
    @discardableResult
    func changes(_ query: PostgresQuery, logger: Logger) async throws -> Int {
        try await self.query(query, logger: logger).collect().count
    }

    /// Runs a statement for its effect.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        _ = try await self.query(query, logger: logger).collect()
    }
}

extension PostgresRandomAccessRow {
    /// The value of column `name`.
    func get<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try self[name].decode(T.self)
    }
}

extension PostgresJobStore {
    public func watchForWork(_ wake: @escaping @Sendable () -> Void) async throws {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.workChannel) { notifications in
                        // Whatever was announced while nobody listened is found by the next claim.
                        wake()
                        for try await _ in notifications { wake() }
                    }
                }
            } catch is CancellationError {
                return
            } catch {
                // The database went away (a restart, a failover): listen again once it is back.
                logger.warning("lost the work notifications; listening again", metadata: ["error": "\(String(reflecting: error))"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}

/// What one child of a bounded transaction reports: the transaction's value, or that the timer
/// saw the connection arrive in time.
enum Bounded<T: Sendable>: Sendable {
    case finished(T)
    case connected
}

/// Whether a transaction got its connection, seen by the timer that bounds the wait for one.
final class Acquired: Sendable {
    private let flag = Mutex(false)

    var value: Bool { flag.withLock { $0 } }

    func set() { flag.withLock { $0 = true } }
}
