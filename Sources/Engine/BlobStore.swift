import Foundation

/// Where bulk data lives: stored inputs, chunk outputs and results, addressed by keys such as
/// `results/<request>/result.csv`.
public protocol BlobStore: Sendable {
    /// The local file that holds `key` (it may not exist yet).
    /// - Throws: ``BlobKeyError`` for a key that could escape the store.
    func fileURL(for key: String) throws -> URL

    /// Removes every blob whose key starts with `prefix`.
    func removeAll(prefix: String) throws
}

/// A ``BlobStore`` in a local directory: the embedded default.
public struct LocalBlobStore: BlobStore {
    /// The root directory.
    public let root: URL

    /// Uses `root`, creating it if needed.
    /// - Throws: when it cannot be created.
    public init(root: URL) throws {
        self.root = root
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    public func fileURL(for key: String) throws -> URL {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        // Keys are made by the system, never by users; refuse anything that could leave the root.
        guard !key.isEmpty, !key.hasPrefix("/"), parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw BlobKeyError(key: key)
        }
        return root.appendingPathComponent(key)
    }

    public func removeAll(prefix: String) throws {
        let url = try fileURL(for: prefix)
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
    }
}

/// A blob key that is not a plain relative path.
public struct BlobKeyError: Error, Sendable, CustomStringConvertible {
    /// The key.
    public let key: String
    public var description: String { "invalid blob key '\(key)'" }
}

/// The keys the engine uses, in one place.
enum BlobKeys {
    static func input(_ request: String) -> String { "inputs/\(request)/records.tsv" }
    /// The passthrough column names of the stored input at `inputKey` (a JSON array of strings).
    static func inputColumns(forInputKey inputKey: String) -> String {
        var parts = inputKey.split(separator: "/").map(String.init)
        parts[parts.count - 1] = "columns.json"
        return parts.joined(separator: "/")
    }
    static func chunk(_ request: String, task: Int64, attempt: Int) -> String { "chunks/\(request)/\(task)-\(attempt).out" }
    static func resultCSV(_ request: String) -> String { "results/\(request)/result.csv" }
    /// What the result's columns are (a JSON ``ResultSchema``), written with the CSV.
    static func resultSchema(_ request: String) -> String { "results/\(request)/schema.json" }
    /// The folder of the formats derived from the CSV on first download.
    static func resultExports(_ request: String) -> String { "results/\(request)/exports" }
}
