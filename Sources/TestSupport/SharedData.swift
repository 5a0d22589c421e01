import Foundation

/// Paths of the shared test data (`../shared/data` beside the repository) and of the repository.
public enum SharedData {
    /// The repository root, found from this file's location.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/data`, or `$BULKPREDICT_SHARED_DATA` when set.
    public static let root: URL = {
        if let path = ProcessInfo.processInfo.environment["BULKPREDICT_SHARED_DATA"] { return URL(fileURLWithPath: path) }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    /// A file under `molecules/`.
    public static func molecules(_ name: String) -> URL { root.appendingPathComponent("molecules/\(name)") }

    /// A file under `proteins/`.
    public static func proteins(_ name: String) -> URL { root.appendingPathComponent("proteins/\(name)") }
}
