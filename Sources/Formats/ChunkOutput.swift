import BulkPredictCore
import Foundation

/// The output of one task: one line per record, in record order. `=` then a tab-separated value per
/// declared column, or `!` then the error message. Values are written as text that reads back to
/// exactly the same value (shortest round-trip form for doubles), `\N` for null.
public enum ChunkOutput {
    /// Writes a chunk output as a block appended to a segment file (see ``SegmentAppender``).
    ///
    /// Its per-record state is `@exclusivity(unchecked)`: the object has one owner and never lends its
    /// buffers out overlappingly, and the runtime's access checks cost as much as the copying itself.
    public final class Writer {
        private let file: SegmentAppender
        @exclusivity(unchecked) private var line: [UInt8] = []
        /// Records that got values.
        @exclusivity(unchecked) public private(set) var succeeded = 0
        /// Records that got an error.
        @exclusivity(unchecked) public private(set) var failed = 0

        /// Starts a chunk output at the end of the segment file at `url`, which this writer must
        /// have to itself until it is closed or discarded.
        /// - Throws: when the file cannot be opened.
        public init(segment url: URL) throws {
            file = try SegmentAppender(url: url)
        }

        /// Appends the outcome of the next record.
        /// - Throws: when writing fails.
        public func append(_ outcome: RecordOutcome) throws {
            line.removeAll(keepingCapacity: true)
            switch outcome {
            case .values(let values):
                line.append(UInt8(ascii: "="))
                for value in values {
                    line.append(FieldEscaping.tab)
                    ChunkOutput.encode(value, into: &line)
                }
                succeeded += 1
            case .error(let message):
                line.append(UInt8(ascii: "!"))
                line.append(FieldEscaping.tab)
                FieldEscaping.append(message, to: &line)
                failed += 1
            }
            line.append(FieldEscaping.newline)
            try file.write(line)
        }

        /// Appends a line read from another chunk output as it is (a retry keeps good rows
        /// byte-identical).
        /// - Throws: when writing fails.
        public func appendRaw(_ line: ArraySlice<UInt8>) throws {
            if line.first == UInt8(ascii: "=") { succeeded += 1 } else { failed += 1 }
            try file.write(line)
            try file.write(CollectionOfOne(FieldEscaping.newline))
        }

        /// Makes the block durable and returns its bytes in the segment; call before reporting
        /// the task done.
        /// - Throws: when that fails.
        public func close() throws -> Range<UInt64> { try file.close() }

        /// Abandons the block.
        public func discard() { file.discard() }
    }

    static func encode(_ value: OutputValue, into line: inout [UInt8]) {
        switch value {
        case .null: line.append(contentsOf: [FieldEscaping.backslash, UInt8(ascii: "N")])
        case .bool(let flag): line.append(flag ? UInt8(ascii: "1") : UInt8(ascii: "0"))
        case .int(let number): line.append(contentsOf: String(number).utf8)
        case .double(let number): line.append(contentsOf: number.description.utf8)
        case .string(let text): FieldEscaping.append(text, to: &line)
        case .vector(let vector): line.append(contentsOf: VectorCoding.base64(vector).utf8)
        }
    }

    static func decode(_ field: ArraySlice<UInt8>, as type: ValueType) -> OutputValue {
        if field.elementsEqual([FieldEscaping.backslash, UInt8(ascii: "N")]) { return .null }
        switch type {
        case .bool: return .bool(field.first == UInt8(ascii: "1"))
        case .int: return Int64(String(decoding: field, as: UTF8.self)).map(OutputValue.int) ?? .null
        case .double: return Double(String(decoding: field, as: UTF8.self)).map(OutputValue.double) ?? .null
        case .string: return .string(FieldEscaping.decode(field))
        case .vector: return VectorCoding.floats(base64: field).map(OutputValue.vector) ?? .null
        }
    }

    /// Reads a chunk output file back, given the model's declared column types.
    public final class Reader {
        private let lines: LineReader
        private let types: [ValueType]

        /// Opens the chunk output in `range` of `url` (the whole file when `nil`) for a model whose
        /// columns have `types`.
        /// - Throws: when the file cannot be opened.
        public init(url: URL, range: Range<UInt64>? = nil, types: [ValueType]) throws {
            lines = try LineReader(
                url: url, offset: range?.lowerBound ?? 0, length: range.map { UInt64($0.count) }, maximumLineLength: Int.max / 2)
            self.types = types
        }

        /// The next line as stored (without its line break), or `nil` at the end; whether it holds
        /// values is ``isValueLine(_:)``.
        /// - Throws: when reading fails.
        public func nextRawLine() throws -> ArraySlice<UInt8>? {
            guard let line = try lines.next() else { return nil }
            guard case .text(let bytes) = line else { throw StoredInputError(message: "damaged chunk output") }
            return bytes
        }

        /// Whether a raw line holds values (rather than an error).
        public static func isValueLine(_ line: ArraySlice<UInt8>) -> Bool { line.first == UInt8(ascii: "=") }

        /// Appends the next record's cells as CSV (one per declared column, then the error cell),
        /// straight from the stored bytes. Returns `nil` at the end, else whether the record failed.
        /// - Throws: when the file is damaged.
        public func appendCSVCells(to row: inout [UInt8]) throws -> Bool? {
            guard let line = try lines.next() else { return nil }
            guard case .text(let bytes) = line, let marker = bytes.first, bytes.count >= 1 else {
                throw StoredInputError(message: "damaged chunk output")
            }
            if marker == UInt8(ascii: "!") {
                for type in types where type != .vector { row.append(CSVCell.comma) }
                row.append(CSVCell.comma)
                CSVCell.appendEscaped(bytes.dropFirst(2), to: &row)
                return true
            }
            guard marker == UInt8(ascii: "=") else { throw StoredInputError(message: "damaged chunk output") }
            var start: Int? = bytes.count > 1 ? bytes.startIndex + 2 : nil
            for type in types {
                guard let from = start else { throw StoredInputError(message: "damaged chunk output: expected \(types.count) values") }
                let (field, next) = FieldEscaping.field(in: bytes, from: from)
                start = next
                // Vectors are not table cells; the merge writes them to their own files.
                if type == .vector { continue }
                row.append(CSVCell.comma)
                if FieldEscaping.isNull(field) { continue }
                switch type {
                case .bool: row.append(contentsOf: field.first == UInt8(ascii: "1") ? Self.trueBytes : Self.falseBytes)
                case .int, .double: row.append(contentsOf: field)
                case .string: CSVCell.appendEscaped(field, to: &row)
                case .vector: break
                }
            }
            guard start == nil else { throw StoredInputError(message: "damaged chunk output: expected \(types.count) values") }
            row.append(CSVCell.comma)
            return false
        }

        static let trueBytes = Array("true".utf8)
        static let falseBytes = Array("false".utf8)

        /// The next record's outcome, or `nil` at the end.
        /// - Throws: when the file is damaged.
        public func next() throws -> RecordOutcome? {
            guard let line = try lines.next() else { return nil }
            guard case .text(let bytes) = line, let marker = bytes.first else {
                throw StoredInputError(message: "damaged chunk output")
            }
            let fields = FieldEscaping.split(bytes.dropFirst(2))
            if marker == UInt8(ascii: "!") {
                return .error(FieldEscaping.decode(bytes.dropFirst(2)))
            }
            guard marker == UInt8(ascii: "="), fields.count == types.count || (types.isEmpty && bytes.count == 1) else {
                throw StoredInputError(message: "damaged chunk output: expected \(types.count) values")
            }
            if types.isEmpty { return .values([]) }
            return .values(zip(fields, types).map { ChunkOutput.decode($0, as: $1) })
        }
    }
}
