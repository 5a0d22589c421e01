import Foundation
import Parquet
import Testing

/// Reads files with the reference implementation (pyarrow, and polars on request) through
/// `scripts/reference/parquet_check.py`, so the tests judge the writer by what a real reader sees.
///
/// The Python is `BULKPREDICT_PYTHON` when set, else the repository's `.venv/bin/python`. A Python
/// without pyarrow fails the tests with instructions instead of skipping them: a silently skipped
/// conformance check would let a broken writer through.
enum ReferenceReader {
    /// The repository root: this file is `<root>/Tests/ParquetTests/ReferenceReader.swift`.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var python: String {
        if let configured = ProcessInfo.processInfo.environment["BULKPREDICT_PYTHON"], !configured.isEmpty {
            return configured
        }
        return repositoryRoot.appendingPathComponent(".venv/bin/python").path
    }

    static var script: String {
        repositoryRoot.appendingPathComponent("scripts/reference/parquet_check.py").path
    }

    /// Why the reference reader could not give an answer.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads `url` and decodes the script's report.
    static func read(_ url: URL, values: Bool = true, polars: Bool = false, summary: Bool = false) throws -> ReferenceReport {
        var arguments = [url.path]
        if values { arguments.append("--values") }
        if polars { arguments.append("--polars") }
        if summary { arguments.append("--summary") }
        let output = try run(arguments)
        do {
            return try JSONDecoder().decode(ReferenceReport.self, from: output)
        } catch {
            throw Failure(description: "cannot decode parquet_check.py output: \(error)")
        }
    }

    /// Decompresses a raw Snappy block with pyarrow's codec.
    static func snappyDecompress(_ compressed: [UInt8], uncompressedSize: Int) throws -> [UInt8] {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let input = folder.url.appendingPathComponent("block.snappy")
        let output = folder.url.appendingPathComponent("block.raw")
        try Data(compressed).write(to: input)
        _ = try run(["--snappy-decompress", input.path, String(uncompressedSize), output.path])
        return Array(try Data(contentsOf: output))
    }

    /// Runs the script and returns its standard output; any failure becomes a thrown explanation.
    private static func run(_ arguments: [String]) throws -> Data {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(
                description: """
                    no Python at \(python) for the pyarrow reference checks: create it with \
                    `python3 -m venv .venv && .venv/bin/pip install pyarrow polars` in the repository, \
                    or point BULKPREDICT_PYTHON at a Python that has pyarrow
                    """)
        }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // Files rather than pipes: a full pipe would block the child while we wait for it.
        let stdoutURL = folder.url.appendingPathComponent("stdout")
        let stderrURL = folder.url.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: stdoutURL.path, contents: nil),
            FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        else {
            throw Failure(description: "cannot create output files in \(folder.url.path)")
        }
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try stdout.close()
        try stderr.close()
        let errorText = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        switch process.terminationStatus {
        case 0:
            return try Data(contentsOf: stdoutURL)
        case 3:
            throw Failure(
                description: """
                    pyarrow cannot be imported by \(python), so the Parquet files cannot be checked: \
                    install it with `\(python) -m pip install pyarrow polars` or set BULKPREDICT_PYTHON. \
                    \(errorText)
                    """)
        case 4:
            throw Failure(
                description: """
                    polars cannot be imported by \(python), and the tests read every file with it too: \
                    install it with `\(python) -m pip install polars`. \(errorText)
                    """)
        default:
            throw Failure(
                description: "parquet_check.py \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(errorText)")
        }
    }
}

/// parquet_check.py's report.
struct ReferenceReport: Decodable {
    struct SchemaColumn: Decodable {
        let name: String
        let physicalType: String
        let logicalType: String
        let convertedType: String
        let maxDefinitionLevel: Int
        let arrowType: String
        let nullable: Bool

        enum CodingKeys: String, CodingKey {
            case name
            case physicalType = "physical_type"
            case logicalType = "logical_type"
            case convertedType = "converted_type"
            case maxDefinitionLevel = "max_definition_level"
            case arrowType = "arrow_type"
            case nullable
        }
    }

    struct Statistics: Decodable {
        let hasMinMax: Bool
        let nullCount: Int?
        let numValues: Int
        let min: String?
        let max: String?

        enum CodingKeys: String, CodingKey {
            case hasMinMax = "has_min_max"
            case nullCount = "null_count"
            case numValues = "num_values"
            case min
            case max
        }
    }

    struct Chunk: Decodable {
        let path: String
        let physicalType: String
        let compression: String
        let encodings: [String]
        let hasDictionaryPage: Bool
        let dictionaryPageOffset: Int?
        let dataPageOffset: Int
        let totalCompressedSize: Int
        let totalUncompressedSize: Int
        let numValues: Int
        let statistics: Statistics?

        enum CodingKeys: String, CodingKey {
            case path
            case physicalType = "physical_type"
            case compression
            case encodings
            case hasDictionaryPage = "has_dictionary_page"
            case dictionaryPageOffset = "dictionary_page_offset"
            case dataPageOffset = "data_page_offset"
            case totalCompressedSize = "total_compressed_size"
            case totalUncompressedSize = "total_uncompressed_size"
            case numValues = "num_values"
            case statistics
        }
    }

    struct RowGroup: Decodable {
        let numRows: Int
        let columns: [Chunk]

        enum CodingKeys: String, CodingKey {
            case numRows = "num_rows"
            case columns
        }
    }

    struct Summary: Decodable {
        let count: Int
        let nullCount: Int
        let first: String?
        let last: String?
        let sum: String?

        enum CodingKeys: String, CodingKey {
            case count
            case nullCount = "null_count"
            case first
            case last
            case sum
        }
    }

    let numRows: Int
    let numRowGroups: Int
    let createdBy: String?
    let formatVersion: String
    let keyValueMetadata: [String: String]
    let schema: [SchemaColumn]
    let rowGroups: [RowGroup]
    let pageChecksumsVerified: Bool
    let values: [String: [String?]]?
    let polarsValues: [String: [String?]]?
    let summary: [String: Summary]?

    enum CodingKeys: String, CodingKey {
        case numRows = "num_rows"
        case numRowGroups = "num_row_groups"
        case createdBy = "created_by"
        case formatVersion = "format_version"
        case keyValueMetadata = "key_value_metadata"
        case schema
        case rowGroups = "row_groups"
        case pageChecksumsVerified = "page_checksums_verified"
        case values
        case polarsValues = "polars_values"
        case summary
    }
}
