import BulkPredictCore
import Foundation
import Parquet

/// A file format a result can be downloaded in.
public enum ResultFormat: String, Sendable, CaseIterable {
    /// Apache Parquet, Snappy-compressed, with typed columns: the default.
    case parquet
    /// CSV (RFC 4180) with a header row; empty cells are nulls.
    case csv
    /// One JSON object per line, typed values, `null` for nulls.
    case jsonl
    /// A ProtSpace bundle (annotations and PCA projections, for protein maps); needs a request
    /// with an embedding, and ignores the layout.
    case parquetbundle

    /// The file name extension, without the dot.
    public var fileExtension: String { rawValue }

    /// The `Content-Type` of a download.
    public var mediaType: String {
        switch self {
        case .parquet: "application/vnd.apache.parquet"
        case .csv: "text/csv; charset=utf-8"
        case .jsonl: "application/jsonl; charset=utf-8"
        case .parquetbundle: "application/octet-stream"
        }
    }

    /// The format a file name asks for by its extension (`.parquet`, `.csv`, `.jsonl`), if any.
    public init?(fileName: String) {
        let lowered = fileName.lowercased()
        guard let format = Self.allCases.first(where: { lowered.hasSuffix(".\($0.fileExtension)") }) else { return nil }
        self = format
    }
}

/// How a result's rows are arranged.
public enum ResultLayout: String, Sendable, CaseIterable {
    /// One row per input record, every model's columns side by side (`<model>.<column>`).
    case wide
    /// One row per record and model: `row`, `id`, `input`, `model`, `model_version`, the model's
    /// columns and `error`.
    case long
    /// One row per record with its vectors (embeddings) spread over float columns: `row`, `id`,
    /// then `<model>.<output>_<i>`; Parquet only.
    case embeddings
}

/// Derives every downloadable form of a result from the merged wide CSV and its schema, streaming:
/// memory holds one CSV block, one row and (for Parquet) one row group, whatever the row count.
public enum ResultExport {
    /// Writes the result at `csv` (laid out as `schema` says) to `destination` in `layout` and
    /// `format`. The file appears only when complete.
    ///
    /// - Parameters:
    ///   - createdBy: the Parquet footer's `created_by`.
    ///   - metadata: key-value pairs for the Parquet footer.
    ///   - rowGroupBytes: the Parquet row group size, which bounds memory.
    /// - Returns: the number of data rows written.
    /// - Throws: when the CSV does not match the schema or writing fails.
    @discardableResult
    public static func write(
        csv: URL, schema: ResultSchema, layout: ResultLayout, format: ResultFormat, to destination: URL,
        createdBy: String, metadata: [(String, String)] = [], rowGroupBytes: Int = 32 << 20
    ) throws -> Int {
        guard layout != .embeddings, format != .parquetbundle else {
            throw StoredInputError(message: "\(layout.rawValue) \(format.rawValue) is not a table of the merged CSV")
        }
        let plan = LayoutPlan(schema: schema, layout: layout)
        let sink: any TableSink =
            switch format {
            case .parquet, .parquetbundle:
                try ParquetSink(
                    url: destination, columns: plan.columns, createdBy: createdBy, metadata: metadata, rowGroupBytes: rowGroupBytes)
            case .csv: try CSVSink(url: destination, columns: plan.columns)
            case .jsonl: try JSONLinesSink(url: destination, columns: plan.columns)
            }
        do {
            let reader = try ResultCSVReader(url: csv)
            guard try reader.next(), reader.fieldCount == schema.columns.count else {
                throw StoredInputError(message: "the result's header does not match its schema")
            }
            for (index, column) in schema.columns.enumerated() where reader.string(index) != column.name {
                throw StoredInputError(message: "the result's column \(index) is '\(reader.string(index))', expected '\(column.name)'")
            }
            var rows = 0
            var wideValues = [OutputValue](repeating: .null, count: schema.columns.count)
            var cells = [OutputValue](repeating: .null, count: plan.columns.count)
            var line = 1
            while try reader.next() {
                line += 1
                guard reader.fieldCount == schema.columns.count else {
                    throw StoredInputError(
                        message: "line \(line) of the result has \(reader.fieldCount) fields, expected \(schema.columns.count)")
                }
                for (index, column) in schema.columns.enumerated() {
                    wideValues[index] = try Self.value(reader.field(index), as: column.type, line: line, column: column.name)
                }
                for rowPlan in plan.rows {
                    for position in cells.indices { cells[position] = .null }
                    for (target, source) in rowPlan.copies { cells[target] = wideValues[source] }
                    for (target, constant) in rowPlan.constants { cells[target] = constant }
                    try sink.append(cells)
                    rows += 1
                }
            }
            try sink.close()
            return rows
        } catch {
            sink.discard()
            throw error
        }
    }

    /// Parses one CSV cell of a result: empty is null, other cells are the column's type.
    static func value(_ field: ArraySlice<UInt8>, as type: ValueType, line: Int, column: String) throws -> OutputValue {
        if field.isEmpty { return .null }
        let parsed: OutputValue? =
            switch type {
            case .string: .string(String(decoding: field, as: UTF8.self))
            case .int: Int64(String(decoding: field, as: UTF8.self)).map(OutputValue.int)
            case .double: Double(String(decoding: field, as: UTF8.self)).map(OutputValue.double)
            case .bool:
                field.elementsEqual("true".utf8) ? .bool(true) : field.elementsEqual("false".utf8) ? .bool(false) : nil
            // Never a table column (see ResultSchema.wide).
            case .vector: nil
            }
        guard let parsed else {
            throw StoredInputError(
                message: "line \(line) of the result holds '\(String(decoding: field, as: UTF8.self))' in \(column), not a \(type.rawValue)")
        }
        return parsed
    }
}

/// Which output column each wide column feeds, row by row.
struct LayoutPlan {
    /// One output row made from one wide row.
    struct Row {
        /// (output column, wide column) pairs to copy.
        var copies: [(Int, Int)]
        /// (output column, value) pairs that are the same for every record.
        var constants: [(Int, OutputValue)]
    }

    /// The output columns: name, type and whether they may be null.
    var columns: [(name: String, type: ValueType, optional: Bool)]
    /// The output rows each wide row becomes: one for wide, one per model for long.
    var rows: [Row]

    init(schema: ResultSchema, layout: ResultLayout) {
        switch layout {
        case .wide, .embeddings:
            columns = schema.columns.map { ($0.name, $0.type, $0.role != .row) }
            rows = [Row(copies: schema.columns.indices.map { ($0, $0) }, constants: [])]
        case .long:
            columns = [("row", .int, false), ("id", .string, true), ("input", .string, true), ("model", .string, false), ("model_version", .string, false)]
            let fixed = ["row", "id", "input"].map { name in schema.columns.firstIndex(where: { $0.name == name }) }
            // One column per output name; two models that declare the same name with different
            // types keep separate, prefixed columns rather than one column of mixed type.
            var typesByName: [String: Set<ValueType>] = [:]
            // Vectors are not table columns (see ResultSchema.wide).
            for model in schema.models {
                for output in model.outputs where output.type != .vector { typesByName[output.name, default: []].insert(output.type) }
            }
            var columnByKey: [String: Int] = [:]
            func key(model: String, output: OutputColumn) -> String {
                typesByName[output.name, default: []].count > 1 ? "\(model).\(output.name)" : output.name
            }
            for model in schema.models {
                for output in model.outputs where output.type != .vector {
                    let name = key(model: model.id, output: output)
                    if columnByKey[name] == nil {
                        columnByKey[name] = columns.count
                        columns.append((name, output.type, true))
                    }
                }
            }
            let errorColumn = columns.count
            columns.append(("error", .string, true))
            rows = schema.models.map { model in
                var copies: [(Int, Int)] = []
                for (target, source) in fixed.enumerated() {
                    if let source { copies.append((target, source)) }
                }
                for (index, column) in schema.columns.enumerated() where column.model == model.id {
                    if column.role == .error {
                        copies.append((errorColumn, index))
                    } else if let name = column.output, let output = model.outputs.first(where: { $0.name == name }),
                        let target = columnByKey[key(model: model.id, output: output)]
                    {
                        copies.append((target, index))
                    }
                }
                return Row(copies: copies, constants: [(3, .string(model.id)), (4, .string(model.version))])
            }
        }
    }
}

/// Where exported rows go.
protocol TableSink {
    func append(_ cells: [OutputValue]) throws
    func close() throws
    func discard()
}

/// Rows into a Parquet file, with BulkPredict's value types mapped to Parquet's.
final class ParquetSink: TableSink {
    private let writer: ParquetWriter
    private var values: [ParquetValue]

    init(
        url: URL, columns: [(name: String, type: ValueType, optional: Bool)], createdBy: String, metadata: [(String, String)],
        rowGroupBytes: Int
    ) throws {
        writer = try ParquetWriter(
            url: url,
            columns: columns.map { column in
                let type: ParquetColumn.PhysicalType =
                    switch column.type {
                    case .bool: .boolean
                    case .int: .int64
                    case .double: .double
                    case .string, .vector: .string
                    }
                return ParquetColumn(name: column.name, type: type, optional: column.optional)
            },
            rowGroupBytes: rowGroupBytes, createdBy: createdBy, keyValueMetadata: metadata)
        values = Array(repeating: .null, count: columns.count)
    }

    func append(_ cells: [OutputValue]) throws {
        for (index, cell) in cells.enumerated() {
            values[index] =
                switch cell {
                case .null: .null
                case .bool(let flag): .bool(flag)
                case .int(let number): .int64(number)
                case .double(let number): .double(number)
                case .string(let text): .string(text)
                case .vector(let vector): .string(vector.map { "\($0)" }.joined(separator: " "))
                }
        }
        try writer.append(row: values)
    }

    func close() throws { try writer.close() }
    func discard() { writer.discard() }
}

/// Rows into a CSV file, in the same cell format as the merged result.
final class CSVSink: TableSink {
    private let writer: CSVResultWriter

    init(url: URL, columns: [(name: String, type: ValueType, optional: Bool)]) throws {
        writer = try CSVResultWriter(url: url, columns: columns.map(\.name))
    }

    func append(_ cells: [OutputValue]) throws { try writer.appendRow(cells) }
    func close() throws { try writer.close() }
    func discard() { writer.discard() }
}

/// Rows into JSON Lines: one object per row with the columns as keys, in column order.
final class JSONLinesSink: TableSink {
    private let file: BufferedFileWriter
    private let keys: [[UInt8]]
    private var line: [UInt8] = []

    init(url: URL, columns: [(name: String, type: ValueType, optional: Bool)]) throws {
        file = try BufferedFileWriter(url: url)
        keys = columns.map { column in
            var key: [UInt8] = []
            JSONText.appendString(column.name, to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
    }

    func append(_ cells: [OutputValue]) throws {
        line.removeAll(keepingCapacity: true)
        line.append(UInt8(ascii: "{"))
        for (index, cell) in cells.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            line.append(contentsOf: keys[index])
            switch cell {
            case .null: line.append(contentsOf: "null".utf8)
            case .bool(let flag): line.append(contentsOf: (flag ? "true" : "false").utf8)
            case .int(let number): line.append(contentsOf: String(number).utf8)
            // JSON has no NaN or infinity: such values become null rather than invalid JSON.
            case .double(let number): line.append(contentsOf: (number.isFinite ? number.description : "null").utf8)
            case .string(let text): JSONText.appendString(text, to: &line)
            case .vector(let vector):
                line.append(UInt8(ascii: "["))
                for (position, value) in vector.enumerated() {
                    if position > 0 { line.append(UInt8(ascii: ",")) }
                    line.append(contentsOf: (value.isFinite ? "\(value)" : "null").utf8)
                }
                line.append(UInt8(ascii: "]"))
            }
        }
        line.append(contentsOf: "}\n".utf8)
        try file.write(line)
    }

    func close() throws { try file.close() }
    func discard() { file.discard() }
}

/// JSON string escaping (RFC 8259) straight into bytes.
enum JSONText {
    static func appendString(_ text: String, to line: inout [UInt8]) {
        line.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                line.append(contentsOf: "\\u00".utf8)
                line.append(hexDigits[Int(byte >> 4)])
                line.append(hexDigits[Int(byte & 0xF)])
            default: line.append(byte)
            }
        }
        line.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
