// The Parquet writer's side of scripts/bench-parquet: writes a synthetic table of 20 typed
// columns and prints the time taken as JSON. scripts/reference/parquet_bench.py makes the same
// table with pyarrow; the values are a function of the row number only, so both writers get
// identical input.
//
//   parquet-writer-bench ROWS OUTPUT
//
// Built by scripts/bench-parquet with `swiftc -O` together with Sources/Parquet, so the
// benchmark measures the writer alone.
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3, let rows = Int(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: parquet-writer-bench ROWS OUTPUT\n".utf8))
    exit(2)
}

/// An id, 4 integers, 8 doubles, 2 booleans and 5 strings (repeating labels, which
/// dictionary-encode, and unique text, which does not); every column but the id nullable.
let columns: [ParquetColumn] =
    [ParquetColumn(name: "row", type: .int64)]
    + (0..<4).map { ParquetColumn(name: "int_\($0)", type: .int64, optional: true) }
    + (0..<8).map { ParquetColumn(name: "double_\($0)", type: .double, optional: true) }
    + (0..<2).map { ParquetColumn(name: "bool_\($0)", type: .boolean, optional: true) }
    + (0..<3).map { ParquetColumn(name: "label_\($0)", type: .string, optional: true) }
    + (0..<2).map { ParquetColumn(name: "text_\($0)", type: .string, optional: true) }

let started = ContinuousClock.now
let writer = try ParquetWriter(
    url: URL(fileURLWithPath: arguments[2]), columns: columns, rowGroupBytes: 64 << 20, createdBy: "BulkPredict version bench")
let labels = (0..<3).map { column in (0..<(10 * (column + 1))).map { "label-\(column)-\($0)" } }
var row = [ParquetValue](repeating: .null, count: columns.count)
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
