import Foundation

/// The system's own copy of a request's records: one line per record, `input TAB id TAB error`,
/// then one `TAB value` per passthrough column the record has, with fields escaped (see
/// `FieldEscaping`) and `\N` for an absent id or passthrough value.
///
/// Workers seek straight to a task's first record by the byte offset noted at submission, so no
/// one ever scans the input to find a chunk.
public enum StoredInput {
    /// Writes stored input and notes where every chunk begins.
    ///
    /// Its per-record state is `@exclusivity(unchecked)`: the object has one owner and never lends its
    /// buffers out overlappingly, and the runtime's access checks cost as much as the copying itself.
    public final class Writer {
        private let file: BufferedFileWriter
        private let chunkSize: Int
        @exclusivity(unchecked) private var line: [UInt8] = []
        /// Records written.
        @exclusivity(unchecked) public private(set) var count = 0
        /// Records that already carry an error.
        @exclusivity(unchecked) public private(set) var errorCount = 0
        /// Byte offset of the first record of each chunk.
        @exclusivity(unchecked) public private(set) var chunkOffsets: [UInt64] = []

        /// Starts a stored input at `url` whose chunks hold `chunkSize` records.
        /// - Throws: when the file cannot be created.
        public init(url: URL, chunkSize: Int) throws {
            file = try BufferedFileWriter(url: url)
            self.chunkSize = chunkSize
        }

        /// Appends one record.
        /// - Throws: when writing fails.
        public func append(_ record: InputRecord) throws {
            if count % chunkSize == 0 { chunkOffsets.append(file.byteCount) }
            line.removeAll(keepingCapacity: true)
            FieldEscaping.append(record.input, to: &line)
            line.append(FieldEscaping.tab)
            if let id = record.id {
                FieldEscaping.append(id, to: &line)
            } else {
                line.append(contentsOf: [FieldEscaping.backslash, UInt8(ascii: "N")])
            }
            line.append(FieldEscaping.tab)
            if let error = record.error {
                FieldEscaping.append(error, to: &line)
                errorCount += 1
            }
            for value in record.passthrough {
                line.append(FieldEscaping.tab)
                if let value {
                    FieldEscaping.append(value, to: &line)
                } else {
                    line.append(contentsOf: [FieldEscaping.backslash, UInt8(ascii: "N")])
                }
            }
            line.append(FieldEscaping.newline)
            try file.write(line)
            count += 1
        }

        /// Makes the file durable and puts it in place.
        /// - Throws: when that fails.
        public func close() throws { try file.close() }

        /// Abandons the file.
        public func discard() { file.discard() }
    }

    /// Reads stored records sequentially from a byte offset.
    ///
    /// Its per-record state is `@exclusivity(unchecked)`: the object has one owner and never lends its
    /// buffers out overlappingly, and the runtime's access checks cost as much as the copying itself.
    public final class Reader {
        private let lines: LineReader

        /// Opens `url` at `offset`.
        /// - Throws: when the file cannot be opened.
        public init(url: URL, offset: UInt64 = 0) throws {
            // Stored lines are escaped records that were each accepted under the record limit.
            lines = try LineReader(url: url, offset: offset, maximumLineLength: Int.max / 2)
        }

        /// The byte offset of the next record.
        public var offset: UInt64 { lines.offset }

        /// The next record, or `nil` at the end.
        /// - Throws: when reading fails or the file is damaged.
        public func next() throws -> InputRecord? {
            guard let (input, id, error, rest) = try nextFields() else { return nil }
            var passthrough: [String?] = []
            var cursor = rest
            while let start = cursor {
                let (value, next) = FieldEscaping.field(in: currentLine, from: start)
                passthrough.append(FieldEscaping.isNull(value) ? nil : FieldEscaping.decode(value))
                cursor = next
            }
            return InputRecord(
                id: FieldEscaping.isNull(id) ? nil : FieldEscaping.decode(id), input: FieldEscaping.decode(input),
                error: error.isEmpty ? nil : FieldEscaping.decode(error), passthrough: passthrough)
        }

        /// The next record's input and read error only, for workers, which need no id.
        /// - Throws: when reading fails or the file is damaged.
        public func nextInput() throws -> (input: String, error: String?)? {
            guard let (input, _, error, _) = try nextFields() else { return nil }
            return (FieldEscaping.decode(input), error.isEmpty ? nil : FieldEscaping.decode(error))
        }

        /// Appends the next record's id, its `passthroughCount` passthrough values and its input as
        /// CSV cells (`id,p1,…,pn,input`), straight from the stored bytes; missing passthrough
        /// values are empty cells. Returns `false` at the end.
        /// - Throws: when reading fails or the file is damaged.
        public func appendCSVCells(to line: inout [UInt8], passthroughCount: Int = 0) throws -> Bool {
            guard let (input, id, _, rest) = try nextFields() else { return false }
            if !FieldEscaping.isNull(id) { CSVCell.appendEscaped(id, to: &line) }
            var cursor = rest
            for _ in 0..<passthroughCount {
                line.append(CSVCell.comma)
                guard let start = cursor else { continue }
                let (value, next) = FieldEscaping.field(in: currentLine, from: start)
                if !FieldEscaping.isNull(value) { CSVCell.appendEscaped(value, to: &line) }
                cursor = next
            }
            line.append(CSVCell.comma)
            CSVCell.appendEscaped(input, to: &line)
            return true
        }

        // The line being decoded; passthrough fields are read from it after the fixed ones.
        @exclusivity(unchecked) private var currentLine: ArraySlice<UInt8> = []

        // The input, id and error fields, and where the passthrough fields start (nil if none).
        private func nextFields() throws
            -> (ArraySlice<UInt8>, ArraySlice<UInt8>, ArraySlice<UInt8>, ArraySlice<UInt8>.Index?)?
        {
            guard let line = try lines.next() else { return nil }
            guard case .text(let bytes) = line else { return nil }
            currentLine = bytes
            let (input, afterInput) = FieldEscaping.field(in: bytes, from: bytes.startIndex)
            guard let afterInput else { throw StoredInputError(message: "damaged stored input line") }
            let (id, afterID) = FieldEscaping.field(in: bytes, from: afterInput)
            guard let afterID else { throw StoredInputError(message: "damaged stored input line") }
            let (error, afterError) = FieldEscaping.field(in: bytes, from: afterID)
            return (input, id, error, afterError)
        }
    }
}

/// A stored file that does not have the shape the system wrote.
public struct StoredInputError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    public var description: String { message }
}
