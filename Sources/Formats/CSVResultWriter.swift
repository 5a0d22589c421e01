import BulkPredictCore
import Foundation

/// Writes the merged result as CSV (RFC 4180): one header row, then one row per input record.
///
/// Its per-record state is `@exclusivity(unchecked)`: the object has one owner and never lends its
/// buffers out overlappingly, and the runtime's access checks cost as much as the copying itself.
public final class CSVResultWriter {
    private let file: BufferedFileWriter
    @exclusivity(unchecked) private var line: [UInt8] = []
    /// Bytes written, header included.
    public var byteCount: UInt64 { file.byteCount }
    /// Rows written, not counting the header.
    @exclusivity(unchecked) public private(set) var rowCount = 0
    /// The file's SHA-256, once closed.
    public var sha256: [UInt8]? { file.sha256 }

    /// Starts a result at `url` with the given column names.
    /// - Throws: when the file cannot be created.
    public init(url: URL, columns: [String]) throws {
        file = try BufferedFileWriter(url: url, hashing: true)
        line = []
        for (index, column) in columns.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            Self.appendCell(column, to: &line)
        }
        line.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        try file.write(line)
    }

    /// Appends one row.
    /// - Throws: when writing fails.
    public func appendRow(_ cells: [OutputValue]) throws {
        line.removeAll(keepingCapacity: true)
        for (index, cell) in cells.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            switch cell {
            case .null: break
            case .bool(let flag): line.append(contentsOf: (flag ? "true" : "false").utf8)
            case .int(let number): line.append(contentsOf: String(number).utf8)
            case .double(let number): line.append(contentsOf: number.description.utf8)
            case .string(let text): Self.appendCell(text, to: &line)
            case .vector(let vector): Self.appendCell(vector.map { "\($0)" }.joined(separator: " "), to: &line)
            }
        }
        line.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        try file.write(line)
        rowCount += 1
    }

    /// Makes the file durable and puts it in place.
    /// - Throws: when that fails.
    public func close() throws { try file.close() }

    /// Abandons the file.
    public func discard() { file.discard() }

    static func appendCell(_ text: String, to line: inout [UInt8]) {
        CSVCell.append(text.utf8, to: &line)
    }

    /// Appends one row already encoded as CSV cells (without the line ending).
    /// - Throws: when writing fails.
    public func appendEncodedRow(_ cells: [UInt8]) throws {
        try file.write(cells)
        try file.write(Self.lineEnd)
        rowCount += 1
    }

    static let lineEnd: [UInt8] = [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
}
