import ArgumentParser
import Foundation
import Parquet

/// `bulkpredict bench-parquet`: writes a synthetic table of 20 typed columns with the Parquet
/// writer, for the benchmark that compares it with pyarrow on the same data.
///
/// The values are a function of the row number only (see `scripts/reference/parquet_bench.py`,
/// which makes the same table for pyarrow), so both writers get identical input.
struct BenchParquetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-parquet", abstract: "Write a synthetic 20-column Parquet file (for benchmarks).", shouldDisplay: false)

    @Option(help: "Rows to write.") var rows = 1_000_000
    @Option(help: "Output file.") var output: String
    @Option(help: "Row group size in MiB.") var rowGroupMib = 64
    @Flag(help: "Write uncompressed pages instead of Snappy.") var uncompressed = false

    /// The schema: an id, 4 integers, 8 doubles, 2 booleans and 5 strings (repeating labels, which
    /// dictionary-encode, and unique text, which does not), every column but the id nullable.
    static let columns: [ParquetColumn] =
        [ParquetColumn(name: "row", type: .int64)]
        + (0..<4).map { ParquetColumn(name: "int_\($0)", type: .int64, optional: true) }
        + (0..<8).map { ParquetColumn(name: "double_\($0)", type: .double, optional: true) }
        + (0..<2).map { ParquetColumn(name: "bool_\($0)", type: .boolean, optional: true) }
        + (0..<3).map { ParquetColumn(name: "label_\($0)", type: .string, optional: true) }
        + (0..<2).map { ParquetColumn(name: "text_\($0)", type: .string, optional: true) }

    func run() throws {
        let started = ContinuousClock.now
        let writer = try ParquetWriter(
            url: URL(fileURLWithPath: output), columns: Self.columns, compression: uncompressed ? .uncompressed : .snappy,
            rowGroupBytes: rowGroupMib << 20, createdBy: "BulkPredict version bench")
        let labels = (0..<3).map { column in (0..<(10 * (column + 1))).map { "label-\(column)-\($0)" } }
        var row = [ParquetValue](repeating: .null, count: Self.columns.count)
        for index in 0..<rows {
            let i = Int64(index)
            row[0] = .int64(i)
            // Every 17th row has nulls in the nullable columns.
            let isNull = index % 17 == 0
            for column in 0..<4 { row[1 + column] = isNull ? .null : .int64(i * Int64(column + 1) % 1_000_003) }
            for column in 0..<8 { row[5 + column] = isNull ? .null : .double(Double(index) * (0.5 + Double(column)) / 7.0) }
            for column in 0..<2 { row[13 + column] = isNull ? .null : .bool((index + column) % 3 == 0) }
            for column in 0..<3 { row[15 + column] = isNull ? .null : .string(labels[column][index % labels[column].count]) }
            for column in 0..<2 { row[18 + column] = isNull ? .null : .string("text-\(column)-\(index)") }
            try writer.append(row: row)
        }
        try writer.close()
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        print("{\"rows\": \(rows), \"seconds\": \(seconds), \"row_groups\": \(writer.rowGroupCount)}")
    }
}
