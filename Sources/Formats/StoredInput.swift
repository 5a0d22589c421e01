import Foundation

/// The system's own copy of a request's records: one line per record, `input TAB id TAB error`,
/// with fields escaped (see `FieldEscaping`) and `\N` for an absent id.
///
/// Workers seek straight to a task's first record by the byte offset noted at submission, so no
/// one ever scans the input to find a chunk.
public enum StoredInput {
    /// Writes stored input and notes where every chunk begins.
    public final class Writer {
        private let file: BufferedFileWriter
        private let chunkSize: Int
        private var line: [UInt8] = []
        /// Records written.
        public private(set) var count = 0
        /// Records that already carry an error.
        public private(set) var errorCount = 0
        /// Byte offset of the first record of each chunk.
        public private(set) var chunkOffsets: [UInt64] = []

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
    public final class Reader {
        private let lines: LineReader

        /// Opens `url` at `offset`.
        /// - Throws: when the file cannot be opened.
        public init(url: URL, offset: UInt64 = 0) throws {
            // Stored lines are escaped records that were each accepted under the record limit.
            lines = try LineReader(url: url, offset: offset, maximumLineLength: Int.max / 2)
        }

        /// The next record, or `nil` at the end.
        /// - Throws: when reading fails or the file is damaged.
        public func next() throws -> InputRecord? {
            guard let line = try lines.next() else { return nil }
            guard case .text(let bytes) = line else { return nil }
            let fields = FieldEscaping.split(bytes)
            guard fields.count == 3 else { throw StoredInputError(message: "damaged stored input line") }
            let rawID = fields[1]
            let id: String? = rawID.elementsEqual([FieldEscaping.backslash, UInt8(ascii: "N")]) ? nil : FieldEscaping.decode(rawID)
            let error: String? = fields[2].isEmpty ? nil : FieldEscaping.decode(fields[2])
            return InputRecord(id: id, input: FieldEscaping.decode(fields[0]), error: error)
        }
    }
}

/// A stored file that does not have the shape the system wrote.
public struct StoredInputError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    public var description: String { message }
}
