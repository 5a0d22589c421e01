import Foundation

/// A PostgreSQL server of a test's own, started with `scripts/postgres`, for tests that take the
/// database away (halt it as in a crash, bring it back) without disturbing the shared one.
public final class PrivatePostgres: Sendable {
    /// `postgres://…` for the server's `postgres` database.
    public let url: String
    /// The server's folder, for `scripts/postgres halt|resume|stop`.
    public let directory: String

    private init(url: String, directory: String) {
        self.url = url
        self.directory = directory
    }

    /// Starts a server. It is durable (fsync and synchronous commit on, unlike the shared test
    /// server): a test that halts it as in a crash checks that nothing committed is lost.
    /// - Throws: when the script fails.
    public static func start() async throws -> PrivatePostgres {
        let output = try await script(["start"], environment: ["BULKPREDICT_PG_DURABLE": "1"])
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { values[pair[0]] = pair[1] }
        }
        guard let url = values["BULKPREDICT_TEST_POSTGRES_URL"], let directory = values["BULKPREDICT_PG_DIR"] else {
            throw HarnessError(message: "scripts/postgres start printed no address: \(output)")
        }
        return PrivatePostgres(url: url, directory: directory)
    }

    /// An immediate shutdown, as in a crash.
    public func halt() async throws { _ = try await Self.script(["halt", directory]) }

    /// The same server back on the same port.
    public func resume() async throws { _ = try await Self.script(["resume", directory]) }

    /// Stops every server process (SIGSTOP): the database hangs with its connections open, as
    /// behind a partition that drops packets, rather than going away.
    public func freeze() async throws { _ = try await Self.script(["freeze", directory]) }

    /// Lets a frozen server run again.
    public func thaw() async throws { _ = try await Self.script(["thaw", directory]) }

    /// Stops the server and removes its folder.
    public func stop() async { _ = try? await Self.script(["stop", directory]) }

    /// Runs `scripts/postgres` and returns what it printed.
    ///
    /// Output goes to a file, not a pipe: the server the script starts inherits the script's
    /// output, so a pipe would never reach its end while the server runs.
    private static func script(_ arguments: [String], environment: [String: String] = [:]) async throws -> String {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("pg-script-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw HarnessError(message: "cannot create \(log.path)")
        }
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = SharedData.repositoryRoot.appendingPathComponent("scripts/postgres")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The script's exit is collected here rather than through Process: the script leaves a
        // daemon behind (the server), and Foundation was seen not to notice such a script end,
        // leaving it a zombie and the test waiting for ever.
        var status: Int32 = 0
        var exitCode: Int32?
        while exitCode == nil {
            let reaped = waitpid(process.processIdentifier, &status, WNOHANG)
            if reaped == process.processIdentifier {
                // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
                exitCode = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
            } else if reaped == -1 {
                // Foundation reaped it first.
                exitCode = process.isRunning ? nil : process.terminationStatus
                if exitCode == nil { try await Task.sleep(for: .milliseconds(50)) }
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        try handle.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard exitCode == 0 else {
            throw HarnessError(message: "scripts/postgres \(arguments.first ?? "") failed (\(exitCode ?? -1)): \(output)")
        }
        return output
    }
}
