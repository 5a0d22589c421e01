import BulkPredictCore
import Foundation

/// A one-line progress bar on standard error, drawn only when standard error is a terminal so
/// that logs and pipes stay clean.
struct ProgressBar {
    let enabled = isatty(STDERR_FILENO) == 1
    private var lastLine = ""

    /// Redraws the bar for `status`.
    mutating func update(_ status: RequestStatus) {
        guard enabled else { return }
        let total = max(1, status.recordsTotal)
        let fraction = min(1, Double(status.recordsDone) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let failed = status.jobs.reduce(0) { $0 + $1.failed }
        let line =
            "[\(bar)] \(Int(fraction * 100))% \(status.recordsDone)/\(status.recordsTotal) \(status.state.rawValue)"
            + (failed > 0 ? ", \(failed) failed" : "")
        guard line != lastLine else { return }
        lastLine = line
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(line)".utf8))
    }

    /// Ends the bar's line.
    func finish() {
        guard enabled, !lastLine.isEmpty else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

/// Human summaries of a status, shared by the commands.
enum StatusText {
    static func summary(_ status: RequestStatus) -> String {
        var lines = ["request \(status.id): \(status.state.rawValue), \(status.recordCount) records × \(status.jobs.count) model(s)"]
        for job in status.jobs {
            var parts = ["\(job.succeeded) succeeded", "\(job.failed) failed"]
            if job.cancelled > 0 { parts.append("\(job.cancelled) cancelled") }
            lines.append("  \(job.model) \(job.modelVersion): \(job.state.rawValue), \(parts.joined(separator: ", "))")
        }
        if let error = status.error { lines.append("  error: \(error)") }
        return lines.joined(separator: "\n")
    }
}
