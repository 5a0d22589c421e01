import BulkPredictCore
import Foundation
import Formats
import Parquet
import Proteins

/// A download the request cannot give, such as a bundle of a request without an embedding (422).
public struct ResultUnavailable: Error, Sendable, CustomStringConvertible {
    /// What is missing, and what would give it.
    public let message: String
    public var description: String { message }
}

/// The downloads made from a request's vectors: the embeddings table and the ProtSpace bundle.
enum ProjectionExports {
    /// The separator between the Parquet files of a ProtSpace bundle.
    static let bundleDelimiter = Array("---PARQUET_DELIMITER---".utf8)
    /// Most header annotations that become columns of a bundle.
    static let maximumHeaderAnnotations = 64
    /// Annotation columns the viewer reserves for the projection table.
    static let reservedNames: Set<String> = ["x", "y", "z", "projection_name", "identifier", "protein_id"]

    /// `row`, `id`, then every vector output spread over float columns `<model>.<output>_<i>`.
    static func writeEmbeddings(
        schema: ResultSchema, csv: URL, request: String, blobs: any BlobStore, to destination: URL, createdBy: String,
        metadata: [(String, String)]
    ) throws {
        let vectors = schema.vectors
        guard !vectors.isEmpty else {
            throw ResultUnavailable(message: "request \(request) has no embedding: route it to a model with a vector output, such as protein.composition")
        }
        var columns = [ParquetColumn(name: "row", type: .int64), ParquetColumn(name: "id", type: .string, optional: true)]
        for (model, output) in vectors {
            for index in 0..<(output.dimension ?? 0) {
                columns.append(ParquetColumn(name: "\(model).\(output.name)_\(index)", type: .float, optional: true))
            }
        }
        let readers = try vectors.map { model, output in
            try VectorRows(url: try blobs.fileURL(for: VectorFiles.key(request, model: model, output: output.name)), dimension: output.dimension ?? 0)
        }
        let writer = try ParquetWriter(
            url: destination, columns: columns, rowGroupBytes: 32 << 20, createdBy: createdBy, keyValueMetadata: metadata)
        do {
            let table = try ResultCSVReader(url: csv)
            _ = try table.next()
            let idColumn = schema.columns.firstIndex { $0.role == .id } ?? 1
            var row = [ParquetValue](repeating: .null, count: columns.count)
            var position = 0
            while try table.next() {
                row[0] = .int64(Int64(position))
                let id = table.field(idColumn)
                row[1] = id.isEmpty ? .null : .string(String(decoding: id, as: UTF8.self))
                var column = 2
                for reader in readers {
                    guard let vector = try reader.next() else { throw EngineError("a vector file is shorter than the result") }
                    for value in vector {
                        row[column] = value.isNaN ? .null : .float(value)
                        column += 1
                    }
                }
                try writer.append(row: row)
                position += 1
            }
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
    }

    /// The ProtSpace bundle: `selected_annotations` (one row per record: `protein_id`, the
    /// header's annotations, the models' numeric and text outputs, `error`),
    /// `projections_metadata` and `projections_data` (PCA 2-D and 3-D of each vector output),
    /// Snappy-compressed Parquet files joined by `---PARQUET_DELIMITER---`.
    ///
    /// Identifiers are the records' ids (the FASTA identifier), or `row_<n>` for a record without
    /// one; a repeated identifier gets `#2`, `#3`… in input order, so every identifier is unique
    /// and the same in every part. A record without a vector (an error) stays in the annotations
    /// and has no point in the projections.
    static func writeBundle(
        schema: ResultSchema, csv: URL, request: String, blobs: any BlobStore, to destination: URL, createdBy: String
    ) throws {
        let vectors = schema.vectors
        guard !vectors.isEmpty else {
            throw ResultUnavailable(
                message: "request \(request) has no embedding to project: route it to a model with a vector output, such as protein.composition")
        }
        let folder = destination.deletingLastPathComponent().appendingPathComponent(".bundle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let annotations = folder.appendingPathComponent("annotations.parquet")
        let metadata = folder.appendingPathComponent("metadata.parquet")
        let points = folder.appendingPathComponent("points.parquet")
        let identifiers = try writeAnnotations(schema: schema, csv: csv, to: annotations, createdBy: createdBy)
        var projections: [(name: String, dimensions: Int, info: String, url: URL)] = []
        for (model, output) in vectors {
            let infoURL = try blobs.fileURL(for: VectorFiles.projectionInfoKey(request, model: model, output: output.name))
            let info: VectorFiles.Projection
            do {
                info = try JSONDecoder().decode(VectorFiles.Projection.self, from: Data(contentsOf: infoURL))
            } catch {
                throw EngineError("the projection of \(model).\(output.name) cannot be read: \(error)")
            }
            let url = try blobs.fileURL(for: VectorFiles.projectionKey(request, model: model, output: output.name))
            for dimensions in [2, 3] where info.components >= dimensions {
                let name = vectors.count == 1 ? "PCA_\(dimensions)" : "\(model).\(output.name) PCA_\(dimensions)"
                let json: [String: Any] = [
                    "method": "PCA", "n_components": dimensions, "model": model, "model_output": output.name,
                    "explained_variance_ratio": Array(info.explainedVarianceRatio.prefix(dimensions)),
                    "explained_variance": Array(info.explainedVariance.prefix(dimensions)),
                    "records_projected": info.projected, "input_dimension": info.dimension,
                ]
                let text = String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self)
                projections.append((name, dimensions, text, url))
            }
        }
        let metadataWriter = try ParquetWriter(
            url: metadata,
            columns: [
                ParquetColumn(name: "projection_name", type: .string), ParquetColumn(name: "dimensions", type: .int64),
                ParquetColumn(name: "info_json", type: .string),
            ],
            createdBy: createdBy)
        for projection in projections {
            try metadataWriter.append(row: [.string(projection.name), .int64(Int64(projection.dimensions)), .string(projection.info)])
        }
        try metadataWriter.close()
        let pointWriter = try ParquetWriter(
            url: points,
            columns: [
                ParquetColumn(name: "projection_name", type: .string), ParquetColumn(name: "identifier", type: .string),
                ParquetColumn(name: "x", type: .float), ParquetColumn(name: "y", type: .float),
                ParquetColumn(name: "z", type: .float, optional: true),
            ],
            rowGroupBytes: 16 << 20, createdBy: createdBy)
        do {
            for projection in projections {
                let rows = try VectorRows(url: projection.url, dimension: 3)
                var position = 0
                while let point = try rows.next() {
                    defer { position += 1 }
                    guard point[0].isFinite, point[1].isFinite, position < identifiers.count else { continue }
                    try pointWriter.append(row: [
                        .string(projection.name), .string(identifiers[position]), .float(point[0]), .float(point[1]),
                        projection.dimensions == 3 ? .float(point[2]) : .null,
                    ])
                }
            }
            try pointWriter.close()
        } catch {
            pointWriter.discard()
            throw error
        }
        let temporary = folder.appendingPathComponent("bundle")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else { throw EngineError("cannot write the bundle") }
        let output = try FileHandle(forWritingTo: temporary)
        for (index, part) in [annotations, metadata, points].enumerated() {
            if index > 0 { try output.write(contentsOf: bundleDelimiter) }
            let input = try FileHandle(forReadingFrom: part)
            while let block = try input.read(upToCount: 1 << 20), !block.isEmpty { try output.write(contentsOf: block) }
            try input.close()
        }
        try output.synchronize()
        try output.close()
        guard rename(temporary.path, destination.path) == 0 else { throw EngineError("cannot put the bundle in place") }
    }

    /// Writes `selected_annotations`; returns the identifiers in input order.
    private static func writeAnnotations(schema: ResultSchema, csv: URL, to url: URL, createdBy: String) throws -> [String] {
        let headerColumn = schema.columns.firstIndex { $0.role == .passthrough && $0.name == "header" }
        let idColumn = schema.columns.firstIndex { $0.role == .id }
        // Pass 1: which annotations the headers hold, in first-seen order.
        var headerNames: [String] = []
        if let headerColumn {
            var seen: Set<String> = []
            let table = try ResultCSVReader(url: csv)
            _ = try table.next()
            while try table.next() {
                // NCBI headers may carry any `[name=value]`: the first names seen become columns,
                // up to a bound, so hostile headers cannot make the table as wide as it is long.
                for annotation in FASTAHeader(parsing: table.string(headerColumn)).annotations
                where headerNames.count < maximumHeaderAnnotations && seen.insert(annotation.name).inserted {
                    headerNames.append(annotation.name)
                }
            }
        }
        // A header annotation may be named like a column the viewer reserves (NCBI headers carry
        // `[protein_id=…]`): such columns are called `header_<name>` (with a number if even that
        // is taken).
        var columnNames: Set<String> = reservedNames
        let headerColumnNames = headerNames.map { name in
            var candidate = reservedNames.contains(name) ? "header_\(name)" : name
            var counter = 2
            while columnNames.contains(candidate) {
                candidate = "header_\(name)_\(counter)"
                counter += 1
            }
            columnNames.insert(candidate)
            return candidate
        }
        // Model outputs, named without the model where that stays unambiguous.
        let outputs = schema.columns.enumerated().filter { $0.element.role == .value }
        let shortNames = outputs.map { $0.element.output ?? $0.element.name }
        var used = Set(headerColumnNames).union(reservedNames)
        var outputNames: [String] = []
        for (index, entry) in outputs.enumerated() {
            let short = shortNames[index]
            let name = shortNames.filter { $0 == short }.count == 1 && !used.contains(short) ? short : entry.element.name
            used.insert(name)
            outputNames.append(name)
        }
        let errorColumns = schema.columns.enumerated().filter { $0.element.role == .error }
        var columns = [ParquetColumn(name: "protein_id", type: .string)]
        columns += headerColumnNames.map { ParquetColumn(name: $0, type: .string) }
        columns += outputNames.map { ParquetColumn(name: $0, type: .string) }
        let errorName = used.contains("error") ? "bulkpredict_error" : "error"
        columns.append(ParquetColumn(name: errorName, type: .string))
        let writer = try ParquetWriter(
            url: url, columns: columns, rowGroupBytes: 16 << 20, createdBy: createdBy,
            keyValueMetadata: [("protspace_format_version", "2")])
        var identifiers: [String] = []
        var taken: Set<String> = []
        do {
            let table = try ResultCSVReader(url: csv)
            _ = try table.next()
            var position = 0
            while try table.next() {
                let given = idColumn.map { table.string($0) } ?? ""
                let base = given.isEmpty ? "row_\(position)" : given
                var identifier = base
                var counter = 2
                while !taken.insert(identifier).inserted {
                    identifier = "\(base)#\(counter)"
                    counter += 1
                }
                identifiers.append(identifier)
                var row: [ParquetValue] = [.string(identifier)]
                let header = headerColumn.map { FASTAHeader(parsing: table.string($0)).dictionary } ?? [:]
                row += headerNames.map { .string(encode(header[$0] ?? "")) }
                row += outputs.map { .string(encode(table.string($0.offset))) }
                let errors = errorColumns.compactMap { entry -> String? in
                    let text = table.string(entry.offset)
                    return text.isEmpty ? nil : "\(entry.element.model ?? ""): \(text)"
                }
                row.append(.string(encode(errors.joined(separator: " / "))))
                try writer.append(row: row)
                position += 1
            }
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
        return identifiers
    }

    /// A cell in ProtSpace's version-2 encoding: `%`, `;`, `|` and control characters written as
    /// `%XX`, since a bare `;` separates values and `|` starts a score in that format.
    static func encode(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x25 || $0 == 0x3B || $0 == 0x7C || $0 < 0x20 || $0 == 0x7F }) else { return text }
        var bytes: [UInt8] = []
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            if byte == 0x25 || byte == 0x3B || byte == 0x7C || byte < 0x20 || byte == 0x7F {
                bytes += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Reads a file of fixed-length rows of little-endian 32-bit floats, a block at a time.
final class VectorRows {
    private let handle: FileHandle
    private let dimension: Int
    private var block = Data()
    private var offset = 0

    init(url: URL, dimension: Int) throws {
        handle = try FileHandle(forReadingFrom: url)
        self.dimension = dimension
    }

    deinit { try? handle.close() }

    /// The next row, or `nil` at the end.
    func next() throws -> [Float]? {
        let rowBytes = dimension * 4
        if offset + rowBytes > block.count {
            let rest = block.count > offset ? block.subdata(in: offset..<block.count) : Data()
            let more = try handle.read(upToCount: max(1 << 20, rowBytes)) ?? Data()
            block = rest + more
            offset = 0
            guard block.count >= rowBytes else {
                if !block.isEmpty { throw EngineError("a vector file ends inside a row") }
                return nil
            }
        }
        defer { offset += rowBytes }
        return VectorCoding.floats(block[(block.startIndex + offset)..<(block.startIndex + offset + rowBytes)])
    }
}
