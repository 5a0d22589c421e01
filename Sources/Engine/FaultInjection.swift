import Foundation

/// Faults that the reliability tests inject into a real process, named by the environment variable
/// `BULKPREDICT_FAULT`. Never set in production.
enum FaultInjection {
    static let active = ProcessInfo.processInfo.environment["BULKPREDICT_FAULT"]

    /// Kills this process on the spot, as a crash would, when `point` is the injected fault.
    static func crash(at point: String) {
        if active == point { kill(getpid(), SIGKILL) }
    }
}
