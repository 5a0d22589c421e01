import BulkPredictCore
import Formats
import Foundation
import JobQueue
import Synchronization

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
    /// A segment file of chunk outputs (see ``ChunkSegments``).
    static func segment(_ request: String, name: String) -> String { "chunks/\(request)/\(name).seg" }
    static func resultCSV(_ request: String) -> String { "results/\(request)/result.csv" }
    /// What the result's columns are (a JSON ``ResultSchema``), written with the CSV.
    static func resultSchema(_ request: String) -> String { "results/\(request)/schema.json" }
    /// The folder of the formats derived from the CSV on first download.
    static func resultExports(_ request: String) -> String { "results/\(request)/exports" }
}

extension BlobStore {
    /// Opens the chunk output stored under `key` (a whole file, or a block of a segment file; see
    /// ``ChunkLocation``) for a model whose columns have `types`.
    /// - Throws: for a bad key or a file that cannot be opened.
    func chunkOutput(_ key: String, types: [ValueType]) throws -> ChunkOutput.Reader {
        let location = ChunkLocation(key: key)
        return try ChunkOutput.Reader(url: try fileURL(for: location.fileKey), range: location.range, types: types)
    }
}

/// Hands out the segment files this process appends chunk outputs to: each request gets as many as
/// it has tasks writing at once here, and a segment is lent to one writer at a time, which is what
/// lets a writer take the file's size as its block's offset.
///
/// Names carry a random id of this process, so processes sharing a blob directory never append to
/// the same file.
final class ChunkSegments: Sendable {
    private struct State {
        var next = 0
        var free: [RequestID: [Int]] = [:]
    }

    private let process = UUID().uuidString.lowercased()
    private let state = Mutex(State())

    /// Borrows a segment of `request`; returns its blob key and the number to give back.
    func borrow(_ request: RequestID) -> (key: String, number: Int) {
        let number = state.withLock { state in
            if let number = state.free[request]?.popLast() { return number }
            defer { state.next += 1 }
            return state.next
        }
        return (BlobKeys.segment(request.rawValue, name: "\(process)-\(number)"), number)
    }

    /// Gives a segment back for the next writer of `request`.
    func giveBack(_ request: RequestID, number: Int) {
        state.withLock { $0.free[request, default: []].append(number) }
    }

    /// Forgets `request` (it is being merged): later writers of it, if a retry brings some, get
    /// new segments.
    func forget(_ request: RequestID) {
        _ = state.withLock { $0.free.removeValue(forKey: request) }
    }

    /// Forgets every request but `live` (those with tasks here now), so that requests merged by
    /// other processes leave nothing behind; a later task of one simply gets a new segment.
    func keepOnly(_ live: Set<RequestID>) {
        state.withLock { state in state.free = state.free.filter { live.contains($0.key) } }
    }
}
