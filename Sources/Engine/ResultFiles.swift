import BulkPredictCore
import Foundation
import Formats
import JobQueue

/// One downloadable form of a request's result.
public struct ResultFile: Sendable {
    /// The file.
    public var url: URL
    /// Its size.
    public var byteCount: Int
    /// Its SHA-256, when known (results written before checksums were recorded have none).
    public var sha256: [UInt8]?
}

/// The formats derived from a merged result: made on first download, from the CSV and its schema,
/// and kept beside it until the result changes (a retry rebuilds it).
///
/// A derived file records the checksum of the CSV it came from, so a stale one is never served;
/// it is written under a temporary name and renamed, so processes that derive the same file at
/// once (several servers share a blob directory) each produce it whole.
enum ResultFiles {
    /// What a derived file was made from, and its own size and checksum.
    struct Stamp: Codable {
        var source: String
        var bytes: Int
        var sha256: String
    }

    /// Removes every derived file of `request` (the merge calls this before rewriting the CSV).
    static func removeDerived(request: String, blobs: any BlobStore) throws {
        try blobs.removeAll(prefix: BlobKeys.resultExports(request))
    }

    /// The blob key of a derived file.
    static func key(request: String, format: ResultFormat, layout: ResultLayout) -> String {
        // A bundle has no layout: one file whatever the layout asked for.
        let name = format == .parquetbundle ? "result" : "result.\(layout.rawValue)"
        return "\(BlobKeys.resultExports(request))/\(name).\(format.fileExtension)"
    }
}

/// Makes sure that concurrent downloads of the same missing file derive it once.
actor ExportCoalescer {
    private var running: [String: Task<ResultFile, any Error>] = [:]

    func run(_ key: String, _ work: @escaping @Sendable () async throws -> ResultFile) async throws -> ResultFile {
        if let task = running[key] { return try await task.value }
        let task = Task { try await work() }
        running[key] = task
        defer { running[key] = nil }
        return try await task.value
    }
}

extension Coordinator {
    /// The result of `id` in `format` and `layout`, deriving it from the merged CSV if needed.
    ///
    /// - Parameters:
    ///   - location: the merged result, as ``JobStore/resultLocation(of:)`` gives it.
    ///   - status: the request's status, for the file's metadata.
    /// - Throws: ``ResultUnavailable`` when the result cannot be given in that form (no schema, no
    ///   embedding); ``EngineError`` when a stored file is damaged.
    public func resultFile(
        for id: RequestID, location: MergeResult, status: RequestStatus, format: ResultFormat, layout: ResultLayout
    ) async throws -> ResultFile {
        let csvURL = try blobs.fileURL(for: location.csvKey)
        if format == .csv, layout == .wide {
            return ResultFile(
                url: csvURL, byteCount: Int(location.byteCount), sha256: location.sha256.flatMap(FileDigest.bytes(hex:)))
        }
        let request = id.rawValue
        let key = ResultFiles.key(request: request, format: format, layout: layout)
        let url = try blobs.fileURL(for: key)
        let stampURL = url.appendingPathExtension("json")
        let source = location.sha256 ?? "r\(status.revision)"
        if let stamp = try? JSONDecoder().decode(ResultFiles.Stamp.self, from: Data(contentsOf: stampURL)), stamp.source == source,
            let size = try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int, size == stamp.bytes
        {
            return ResultFile(url: url, byteCount: size, sha256: FileDigest.bytes(hex: stamp.sha256))
        }
        let schema = try await resultSchema(for: id, location: location)
        let metadata = Self.metadata(status: status, layout: layout, partial: location.partial, source: location.sha256)
        return try await exports.run(key) {
            // Deriving a large result takes seconds of CPU: it runs on its own thread, off the pool
            // that serves requests.
            try await offPool {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                let createdBy = "BulkPredict version \(BulkPredictVersion.current)"
                if format == .parquetbundle {
                    try ProjectionExports.writeBundle(
                        schema: schema, csv: csvURL, request: request, blobs: blobs, to: url, createdBy: createdBy)
                } else if layout == .embeddings {
                    guard format == .parquet else {
                        throw ResultUnavailable(message: "embeddings are downloadable as Parquet (format=parquet)")
                    }
                    try ProjectionExports.writeEmbeddings(
                        schema: schema, csv: csvURL, request: request, blobs: blobs, to: url, createdBy: createdBy,
                        metadata: metadata)
                } else {
                    try ResultExport.write(
                        csv: csvURL, schema: schema, layout: layout, format: format, to: url, createdBy: createdBy,
                        metadata: metadata)
                }
                let digest = try FileDigest.sha256(of: url)
                let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
                let stamp = ResultFiles.Stamp(source: source, bytes: size, sha256: FileDigest.hex(digest))
                try BufferedFileWriter.writeDurably(JSONEncoder().encode(stamp), to: stampURL)
                return ResultFile(url: url, byteCount: size, sha256: digest)
            }
        }
    }

    /// The key-value metadata of a derived Parquet file: enough to tell where it came from.
    static func metadata(status: RequestStatus, layout: ResultLayout, partial: Bool, source: String?) -> [(String, String)] {
        let models = status.jobs.map { ["id": $0.model, "version": $0.modelVersion] }
        let modelsJSON = (try? JSONSerialization.data(withJSONObject: models, options: [.sortedKeys])).map {
            String(decoding: $0, as: UTF8.self)
        }
        var pairs: [(String, String)] = [
            ("bulkpredict.request_id", status.id.rawValue),
            ("bulkpredict.version", BulkPredictVersion.current),
            ("bulkpredict.layout", layout.rawValue),
            ("bulkpredict.models", modelsJSON ?? "[]"),
            ("bulkpredict.record_count", String(status.recordCount)),
            ("bulkpredict.partial", partial ? "true" : "false"),
        ]
        if let name = status.inputName { pairs.append(("bulkpredict.input_name", name)) }
        if let source { pairs.append(("bulkpredict.source_csv_sha256", source)) }
        return pairs
    }
}

extension Coordinator {
    /// The schema of request `id`'s merged result: the one the merge wrote, or for a result
    /// merged before schemas were written, one rebuilt from the CSV's header and the models of
    /// the request (when they are still registered with the same outputs).
    /// - Throws: ``ResultUnavailable`` when neither is possible; ``EngineError`` when the stored
    ///   schema is damaged.
    func resultSchema(for id: RequestID, location: MergeResult) async throws -> ResultSchema {
        let url = try blobs.fileURL(for: BlobKeys.resultSchema(id.rawValue))
        if let data = try? Data(contentsOf: url) {
            do {
                return try JSONDecoder().decode(ResultSchema.self, from: data)
            } catch {
                throw EngineError("the schema of the result of \(id) cannot be read: \(error)")
            }
        }
        let unavailable = ResultUnavailable(
            message:
                "the result of \(id) was written by an earlier version without a description of its columns, and its models have changed since; download it with format=csv")
        guard let status = try await store.status(of: id, owner: nil) else { throw unavailable }
        let reader = try ResultCSVReader(url: try blobs.fileURL(for: location.csvKey))
        guard try reader.next() else { throw unavailable }
        let header = (0..<reader.fieldCount).map(reader.string)
        guard let inputIndex = header.firstIndex(of: "input"), inputIndex >= 2 else { throw unavailable }
        var models: [ResultSchema.Model] = []
        for job in status.jobs {
            guard let model = registry.catalog.model(job.model) else { throw unavailable }
            models.append(ResultSchema.Model(id: job.model, version: job.modelVersion, outputs: model.outputs))
        }
        let schema = ResultSchema.wide(requestID: id.rawValue, models: models, passthrough: Array(header[2..<inputIndex]))
        guard schema.columns.map(\.name) == header else { throw unavailable }
        return schema
    }
}
