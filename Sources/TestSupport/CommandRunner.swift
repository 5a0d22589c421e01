import Foundation

/// Runs the built `bulkpredict` executable as a subprocess, as a user would.
public enum CommandRunner {
    /// What a finished command printed and how it exited.
    public struct Output: Sendable {
        /// Exit status.
        public let status: Int32
        /// Standard output.
        public let stdout: String
        /// Standard error.
        public let stderr: String
    }

    /// The executable next to the test bundle (`swift test` builds it into the same folder).
    public static var executable: URL {
        get throws {
            var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent("bulkpredict")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                folder = folder.deletingLastPathComponent()
            }
            let fallback = SharedData.repositoryRoot.appendingPathComponent(".build/debug/bulkpredict")
            guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
                throw HarnessError(message: "the bulkpredict executable was not found next to \(CommandLine.arguments[0])")
            }
            return fallback
        }
    }

    /// Starts `bulkpredict` with `arguments`, without waiting; `stdout` and `stderr` are a `Pipe`
    /// or a `FileHandle`; `environment` adds to (or overrides) this process's environment.
    public static func start(
        _ arguments: [String], stdout: Any = Pipe(), stderr: Any = Pipe(), environment: [String: String] = [:]
    ) throws -> Process {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        }
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `bulkpredict` with `arguments` to its end.
    public static func run(_ arguments: [String]) throws -> Output {
        // Files, not pipes: a child that fills one pipe while the other is being read would block.
        let directory = try TemporaryDirectory(prefix: "command")
        defer { directory.remove() }
        let outURL = directory.file("stdout")
        let errURL = directory.file("stderr")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = try start(arguments, stdout: out, stderr: err)
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Output(
            status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8))
    }
}
