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

    /// Starts `bulkpredict` with `arguments`, without waiting.
    public static func start(_ arguments: [String], stdout: Pipe = Pipe(), stderr: Pipe = Pipe()) throws -> Process {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `bulkpredict` with `arguments` to its end.
    public static func run(_ arguments: [String]) throws -> Output {
        let out = Pipe()
        let err = Pipe()
        let process = try start(arguments, stdout: out, stderr: err)
        // Read before waiting, so a chatty command cannot fill the pipe and block.
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
    }
}
