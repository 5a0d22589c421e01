import BulkPredictCore
import Foundation
import Formats
import JobQueue
import Proteins

/// The vector outputs of a request (embeddings), merged at finalize into one file each, and their
/// principal-component projection.
///
/// A vector file holds one row per input record, in input order: `dimension` little-endian 32-bit
/// floats, NaN for a record without a vector (an error, or a chunk that did not run). Its
/// projection file holds 3 floats per record likewise (NaN where there is no vector), and a JSON
/// file describes the projection. Both passes of the PCA stream over the file, so memory depends
/// on the dimension, not on the number of records.
enum VectorFiles {
    /// What a projection is, as `….pca.json` stores it.
    struct Projection: Codable, Sendable {
        var model: String
        var output: String
        var dimension: Int
        /// Records that had a vector and were projected.
        var projected: Int
        /// The number of components (3, or the dimension when it is smaller).
        var components: Int
        /// Each component's share of the variance, largest first (scikit-learn's
        /// `explained_variance_ratio_`).
        var explainedVarianceRatio: [Double]
        /// The variance along each component.
        var explainedVariance: [Double]

        enum CodingKeys: String, CodingKey {
            case model, output, dimension, projected, components
            case explainedVarianceRatio = "explained_variance_ratio"
            case explainedVariance = "explained_variance"
        }
    }

    static func key(_ request: String, model: String, output: String) -> String {
        "results/\(request)/vectors/\(model).\(output).f32"
    }

    static func projectionKey(_ request: String, model: String, output: String) -> String {
        "results/\(request)/vectors/\(model).\(output).pca.f32"
    }

    static func projectionInfoKey(_ request: String, model: String, output: String) -> String {
        "results/\(request)/vectors/\(model).\(output).pca.json"
    }

    /// Writes every vector output of `plan`'s models, then projects each.
    static func merge(_ plan: MergePlan, schema: ResultSchema, blobs: any BlobStore) throws {
        let request = plan.requestID.rawValue
        // Every file is written under a temporary name and renamed, and nothing is deleted first:
        // a merge that lost its lease and one that took it over may both be writing here, and
        // each must find its own files whole.
        for (jobIndex, job) in plan.jobs.enumerated() {
            let outputs = schema.models[jobIndex].outputs
            for (outputIndex, output) in outputs.enumerated() where output.type == .vector {
                let dimension = output.dimension ?? 0
                guard dimension > 0 else { throw EngineError("vector output \(job.modelID).\(output.name) declares no dimension") }
                let url = try blobs.fileURL(for: key(request, model: job.modelID, output: output.name))
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try write(job, outputIndex: outputIndex, types: outputs.map(\.type), dimension: dimension, to: url, blobs: blobs)
                let projection = try project(
                    url, dimension: dimension, to: try blobs.fileURL(for: projectionKey(request, model: job.modelID, output: output.name)))
                let info = Projection(
                    model: job.modelID, output: output.name, dimension: dimension, projected: projection?.sampleCount ?? 0,
                    components: projection?.components.count ?? 0,
                    explainedVarianceRatio: projection?.explainedVarianceRatio ?? [],
                    explainedVariance: projection?.explainedVariance ?? [])
                try BufferedFileWriter.writeDurably(
                    JSONEncoder().encode(info), to: try blobs.fileURL(for: projectionInfoKey(request, model: job.modelID, output: output.name)))
            }
        }
    }

    /// One job's vectors, chunk by chunk, NaN rows where there is no vector.
    private static func write(
        _ job: MergePlan.Job, outputIndex: Int, types: [ValueType], dimension: Int, to url: URL, blobs: any BlobStore
    ) throws {
        let writer = try BufferedFileWriter(url: url, flushSize: 1 << 20)
        let missing = VectorCoding.bytes([Float](repeating: .nan, count: dimension))
        do {
            for chunk in job.chunks {
                guard chunk.state == .succeeded, let key = chunk.outputKey else {
                    for _ in 0..<chunk.rowCount { try writer.write(missing) }
                    continue
                }
                let reader = try blobs.chunkOutput(key, types: types)
                for _ in 0..<chunk.rowCount {
                    guard let outcome = try reader.next() else {
                        throw EngineError("chunk output for records \(chunk.startRow)… is shorter than \(chunk.rowCount) rows")
                    }
                    if case .values(let values) = outcome, case .vector(let vector) = values[outputIndex], vector.count == dimension {
                        try writer.write(VectorCoding.bytes(vector))
                    } else {
                        try writer.write(missing)
                    }
                }
            }
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
    }

    /// The PCA of the rows of `url` that have a vector, written as 3 floats per record to
    /// `destination`; `nil` (and every row NaN) when no record has one.
    private static func project(_ url: URL, dimension: Int, to destination: URL) throws -> PrincipalComponents? {
        var accumulator = CovarianceAccumulator(dimension: dimension)
        try forEachRow(url, dimension: dimension) { row in
            if row.allSatisfy(\.isFinite) { try accumulator.add(row) }
        }
        let components = accumulator.count > 0 ? try PrincipalComponents(accumulator, componentCount: min(3, dimension)) : nil
        let writer = try BufferedFileWriter(url: destination, flushSize: 1 << 20)
        do {
            try forEachRow(url, dimension: dimension) { row in
                var coordinates = [Float](repeating: .nan, count: 3)
                if let components, row.allSatisfy(\.isFinite) {
                    for (index, value) in try components.project(row).enumerated() { coordinates[index] = Float(value) }
                }
                try writer.write(VectorCoding.bytes(coordinates))
            }
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
        return components
    }

    /// Calls `body` with each row of a vector file, as doubles.
    static func forEachRow(_ url: URL, dimension: Int, _ body: ([Double]) throws -> Void) throws {
        let rows = try VectorRows(url: url, dimension: dimension)
        while let row = try rows.next() { try body(row.map(Double.init)) }
    }
}
