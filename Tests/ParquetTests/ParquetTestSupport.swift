import Foundation
import Parquet
import Testing

/// Writes rows and reads them back through the reference reader.
struct WrittenFile {
    let url: URL
    let columns: [ParquetColumn]
    let rows: [[ParquetValue]]
    let writer: ParquetWriter

    /// Writes `rows` to a new file in `folder` and closes it.
    init(
        in folder: TemporaryFolder,
        columns: [ParquetColumn],
        rows: [[ParquetValue]],
        compression: ParquetCompression = .snappy,
        rowGroupBytes: Int = 64 << 20,
        createdBy: String = "BulkPredict version 0.0.0-test",
        keyValueMetadata: [(String, String)] = [],
        tuning: ParquetWriter.Tuning = ParquetWriter.Tuning()
    ) throws {
        url = folder.file("data.parquet")
        self.columns = columns
        self.rows = rows
        writer = try ParquetWriter(
            url: url, columns: columns, compression: compression, rowGroupBytes: rowGroupBytes,
            createdBy: createdBy, keyValueMetadata: keyValueMetadata, tuning: tuning)
        for row in rows {
            try writer.append(row: row)
        }
        try writer.close()
    }

    /// The values of column `index`, in row order.
    func column(_ index: Int) -> [ParquetValue] {
        rows.map { $0[index] }
    }

    /// Reads the file with pyarrow (and polars when asked) and checks every value of every column.
    @discardableResult
    func verify(polars: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws -> ReferenceReport {
        let report = try ReferenceReader.read(url, values: true, polars: polars)
        #expect(report.numRows == rows.count, sourceLocation: sourceLocation)
        #expect(report.pageChecksumsVerified, sourceLocation: sourceLocation)
        #expect(report.schema.map(\.name) == columns.map(\.name), sourceLocation: sourceLocation)
        for (index, column) in columns.enumerated() {
            Cells.expectColumn(
                report.values?[column.name], equals: self.column(index), column: column.name, reader: "pyarrow",
                sourceLocation: sourceLocation)
            if polars {
                Cells.expectColumn(
                    report.polarsValues?[column.name], equals: self.column(index), column: column.name, reader: "polars",
                    sourceLocation: sourceLocation)
            }
        }
        return report
    }
}

/// Expected statistics, computed independently of the writer from the written values.
struct ExpectedStatistics {
    var nullCount = 0
    var minimum: ParquetValue?
    var maximum: ParquetValue?

    init(_ values: [ParquetValue]) {
        for value in values {
            switch value {
            case .null:
                nullCount += 1
                continue
            case .double(let double) where double.isNaN:
                continue
            case .float(let float) where float.isNaN:
                continue
            default:
                break
            }
            if minimum == nil || Self.less(value, minimum ?? value) { minimum = value }
            if maximum == nil || Self.less(maximum ?? value, value) { maximum = value }
        }
        // Zero bounds are written as -0.0 (minimum) and +0.0 (maximum) whichever zero occurred.
        if case .double(let double) = minimum, double == 0 { minimum = .double(-0.0) }
        if case .double(let double) = maximum, double == 0 { maximum = .double(0.0) }
        if case .float(let float) = minimum, float == 0 { minimum = .float(-0.0) }
        if case .float(let float) = maximum, float == 0 { maximum = .float(0.0) }
    }

    /// The column type's order: strings by unsigned UTF-8 bytes.
    static func less(_ lhs: ParquetValue, _ rhs: ParquetValue) -> Bool {
        switch (lhs, rhs) {
        case (.bool(let a), .bool(let b)): return !a && b
        case (.int32(let a), .int32(let b)): return a < b
        case (.int64(let a), .int64(let b)): return a < b
        case (.float(let a), .float(let b)): return a < b
        case (.double(let a), .double(let b)): return a < b
        case (.string(let a), .string(let b)): return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
        default: return false
        }
    }

    /// Records an issue where pyarrow's statistics for a chunk differ from these.
    func expectMatches(
        _ statistics: ReferenceReport.Statistics?, column: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let statistics else {
            Issue.record("column '\(column)' has no statistics", sourceLocation: sourceLocation)
            return
        }
        #expect(statistics.nullCount == nullCount, "null count of '\(column)'", sourceLocation: sourceLocation)
        if let minimum, let maximum {
            #expect(statistics.hasMinMax, "'\(column)' has bounds", sourceLocation: sourceLocation)
            #expect(
                Cells.matches(minimum, statistics.min), "min of '\(column)': expected \(minimum), read \(statistics.min ?? "nil")",
                sourceLocation: sourceLocation)
            #expect(
                Cells.matches(maximum, statistics.max), "max of '\(column)': expected \(maximum), read \(statistics.max ?? "nil")",
                sourceLocation: sourceLocation)
        } else {
            #expect(!statistics.hasMinMax, "'\(column)' has no non-null, non-NaN values", sourceLocation: sourceLocation)
        }
    }
}

/// Deterministic sample values of each type.
enum Samples {
    static let strings = [
        "", "a", "CCO", "c1ccccc1", "naïve", "日本語のテキスト", "🧪🧬", "\u{E9}", "e\u{301}", "Z", "zz", " leading space",
        "tab\there", "line\nbreak", "quote\"", "\u{0}nul", String(repeating: "long-", count: 200),
    ]

    static func value(_ type: ParquetColumn.PhysicalType, _ index: Int, using random: inout SeededGenerator) -> ParquetValue {
        switch type {
        case .boolean:
            return .bool(Bool.random(using: &random))
        case .int32:
            let edges: [Int32] = [.min, .max, 0, -1, 1]
            return .int32(index < edges.count ? edges[index] : Int32.random(in: .min ... .max, using: &random))
        case .int64:
            let edges: [Int64] = [.min, .max, 0, -1, 1]
            return .int64(index < edges.count ? edges[index] : Int64.random(in: .min ... .max, using: &random))
        case .float:
            return .float(Float.random(in: -1e6...1e6, using: &random))
        case .double:
            return .double(Double.random(in: -1e12...1e12, using: &random))
        case .string:
            return .string(
                index < strings.count ? strings[index] : "s\(Int.random(in: 0..<50, using: &random))-\(strings[index % strings.count])")
        }
    }
}

/// A fresh folder under the system's temporary directory.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("parquet-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL {
        url.appendingPathComponent(name)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Compares written values with the script's cells (see parquet_check.py for their format).
enum Cells {
    /// Whether `cell` is exactly `value`: strings byte for byte, floating point bit for bit
    /// (any NaN matches any NaN).
    static func matches(_ value: ParquetValue, _ cell: String?) -> Bool {
        guard let cell else { return value == .null }
        switch value {
        case .null: return false
        case .bool(let bool): return cell == (bool ? "true" : "false")
        case .int32(let int): return cell == String(int)
        case .int64(let int): return cell == String(int)
        case .string(let string): return Array(cell.utf8) == Array(string.utf8)
        case .double(let double):
            guard let parsed = Double(cell) else { return false }
            return double.isNaN ? parsed.isNaN : parsed.bitPattern == double.bitPattern
        case .float(let float):
            guard let parsed = Double(cell) else { return false }
            return float.isNaN ? parsed.isNaN : Float(parsed).bitPattern == float.bitPattern
        }
    }

    /// Records an issue for every cell of `column` that differs from `expected`.
    static func expectColumn(
        _ cells: [String?]?, equals expected: [ParquetValue], column: String, reader: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let cells else {
            Issue.record("\(reader) returned no column '\(column)'", sourceLocation: sourceLocation)
            return
        }
        #expect(cells.count == expected.count, "\(reader) column '\(column)' row count", sourceLocation: sourceLocation)
        var mismatches = 0
        for (row, (value, cell)) in zip(expected, cells).enumerated() where !matches(value, cell) {
            mismatches += 1
            if mismatches <= 5 {
                Issue.record(
                    "\(reader) column '\(column)' row \(row): wrote \(value), read \(cell ?? "null")",
                    sourceLocation: sourceLocation)
            }
        }
        #expect(mismatches == 0, "\(reader) column '\(column)': \(mismatches) mismatching rows", sourceLocation: sourceLocation)
    }
}

/// A small deterministic generator so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        // SplitMix64.
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
