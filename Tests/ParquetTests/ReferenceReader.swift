import Foundation
import Parquet
import TestSupport
import Testing

/// Reads files with the reference implementation (pyarrow, and polars on request) through
/// `scripts/reference/parquet_check.py`, so the tests judge the writer by what a real reader sees.
///
/// The Python is the one ``ReferencePython`` runs; a Python without pyarrow fails the tests with
/// instructions instead of skipping them: a silently skipped conformance check would let a broken
/// writer through.
enum ReferenceReader {
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

    /// Runs the script and returns its standard output; any failure becomes a thrown explanation
    /// (which names the package that could not be imported, when that is the cause).
    private static func run(_ arguments: [String]) throws -> Data {
        do {
            return try ReferencePython.run("parquet_check.py", arguments)
        } catch let failure as ReferencePython.Failure {
            throw Failure(description: failure.description)
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
