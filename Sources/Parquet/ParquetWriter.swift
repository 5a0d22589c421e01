import Foundation

/// Writes rows to a Parquet file with a flat schema, streaming row groups to disk so memory stays
/// at about one row group whatever the number of rows.
///
/// Values are PLAIN-encoded, except strings, which are dictionary-encoded (a PLAIN dictionary page
/// and RLE_DICTIONARY data pages) until a chunk's dictionary grows past its limit, after which the
/// rest of that chunk is PLAIN. Nulls are recorded as RLE/bit-packed definition levels. Every
/// column chunk carries min/max (in the column type's order) and null-count statistics, and every
/// page a CRC-32.
///
/// The file is built under a temporary name beside `url` and appears at `url` only when
/// ``close()`` succeeds, so readers never see a partial file. A writer is not thread-safe; use it
/// from one task at a time.
///
/// ```swift
/// let writer = try ParquetWriter(
///     url: url,
///     columns: [ParquetColumn(name: "id", type: .string), ParquetColumn(name: "score", type: .double, optional: true)],
///     createdBy: "BulkPredict version 1.4.0",
///     keyValueMetadata: [("bulkpredict.request_id", requestID)]
/// )
/// try writer.append(row: [.string("mol-1"), .double(0.93)])
/// try writer.close()
/// ```
public final class ParquetWriter {
    /// Finer settings most callers leave alone.
    public struct Tuning: Sendable, Hashable {
        /// A data page is finished once its encoded values reach this many bytes.
        public var pageBytes: Int
        /// A data page is finished once it holds this many values (nulls included); small pages
        /// let readers skip within a row group.
        public var pageRowLimit: Int
        /// Whether string columns start out dictionary-encoded.
        public var dictionaryEncoding: Bool
        /// The PLAIN size a chunk's dictionary may reach before the chunk falls back to PLAIN.
        public var dictionaryBytesLimit: Int
        /// The number of entries a chunk's dictionary may reach before the chunk falls back to PLAIN.
        public var dictionaryEntryLimit: Int

        /// The defaults: 1 MiB pages of at most 20,000 values, and dictionaries of at most 1 MiB
        /// or 65,536 entries (the limits other widely used writers apply).
        public init(
            pageBytes: Int = 1 << 20,
            pageRowLimit: Int = 20_000,
            dictionaryEncoding: Bool = true,
            dictionaryBytesLimit: Int = 1 << 20,
            dictionaryEntryLimit: Int = 1 << 16
        ) {
            self.pageBytes = pageBytes
            self.pageRowLimit = pageRowLimit
            self.dictionaryEncoding = dictionaryEncoding
            self.dictionaryBytesLimit = dictionaryBytesLimit
            self.dictionaryEntryLimit = dictionaryEntryLimit
        }
    }

    private enum State {
        case open
        case closed
        case discarded
        /// A write to the file failed; the file is abandoned and the writer refuses further use.
        case failed
    }

    /// Where the file appears once closed.
    public let url: URL
    /// The schema, in column order.
    public let columns: [ParquetColumn]
    /// The codec of every page.
    public let compression: ParquetCompression
    /// A row group is flushed once its encoded (uncompressed) size reaches this many bytes.
    public let rowGroupBytes: Int
    /// Rows appended so far.
    public private(set) var rowCount = 0
    /// Row groups written to the file so far.
    public private(set) var rowGroupCount = 0
    /// The largest ``bufferedBytes`` reached, measured as each row group is flushed (memory only
    /// grows while a row group fills); lets callers and tests confirm that memory stays bounded
    /// by about one row group.
    public private(set) var peakBufferedBytes = 0

    private let createdBy: String
    private let keyValueMetadata: [KeyValueMetadata]
    private var builders: [ColumnChunkBuilder]
    private var compressor: PageCompressor
    private let pageBytes: Int
    private let file: OutputFile
    private var rowsInGroup = 0
    private var rowGroups: [RowGroupMetadata] = []
    private var state = State.open

    /// Starts a file at `url` (replaced on ``close()`` if it exists).
    ///
    /// - Parameters:
    ///   - url: the file to create; its folder must exist.
    ///   - columns: the flat schema; names must be non-empty and unique.
    ///   - compression: the page codec; Snappy by default.
    ///   - rowGroupBytes: the encoded size at which a row group is flushed; this bounds memory.
    ///   - createdBy: the footer's `created_by`, by convention `"<application> version <x.y.z>"`
    ///     (optionally followed by ` (build <id>)`), which readers parse to identify the writer.
    ///   - keyValueMetadata: pairs stored in the footer in this order; keys must be unique.
    ///   - tuning: page and dictionary limits.
    /// - Throws: ``ParquetError`` for an invalid schema or setting, or when the file cannot be created.
    public init(
        url: URL,
        columns: [ParquetColumn],
        compression: ParquetCompression = .snappy,
        rowGroupBytes: Int = 64 << 20,
        createdBy: String,
        keyValueMetadata: [(String, String)] = [],
        tuning: Tuning = Tuning()
    ) throws {
        try Self.validate(columns: columns)
        guard rowGroupBytes > 0 else { throw ParquetError.invalidConfiguration("rowGroupBytes must be positive") }
        // Page sizes are i32 in page headers: keep every page well inside that.
        guard (1...Self.maximumStringBytes).contains(tuning.pageBytes), tuning.pageRowLimit > 0 else {
            throw ParquetError.invalidConfiguration("pageBytes must be 1 byte to 1 GiB and pageRowLimit positive")
        }
        guard (0...Self.maximumStringBytes).contains(tuning.dictionaryBytesLimit),
            (0...Int(Int32.max)).contains(tuning.dictionaryEntryLimit)
        else {
            throw ParquetError.invalidConfiguration("dictionary limits must be non-negative, at most 1 GiB and 2^31 - 1 entries")
        }
        var keys = Set<String>()
        for (key, _) in keyValueMetadata where !keys.insert(key).inserted {
            throw ParquetError.duplicateMetadataKey(key)
        }
        self.url = url
        self.columns = columns
        self.compression = compression
        self.rowGroupBytes = rowGroupBytes
        self.createdBy = createdBy
        self.keyValueMetadata = keyValueMetadata.map { KeyValueMetadata(key: $0.0, value: $0.1) }
        let settings = ChunkSettings(
            compression: compression,
            pageBytes: tuning.pageBytes,
            pageRowLimit: tuning.pageRowLimit,
            dictionaryEncoding: tuning.dictionaryEncoding,
            dictionaryBytesLimit: tuning.dictionaryBytesLimit,
            dictionaryEntryLimit: tuning.dictionaryEntryLimit
        )
        builders = columns.map { ColumnChunkBuilder(column: $0, settings: settings) }
        compressor = PageCompressor(compression: compression)
        pageBytes = tuning.pageBytes
        file = try OutputFile(url: url)
        do {
            try file.write(Self.magic)
        } catch {
            file.abandon()
            throw error
        }
    }

    deinit {
        if state == .open { file.abandon() }
    }

    /// Memory held for the row group not yet written: compressed finished pages, open pages and
    /// dictionaries of every column, and the shared page-encoding buffers.
    public var bufferedBytes: Int {
        builders.reduce(compressor.memoryBytes) { $0 + $1.memoryBytes }
    }

    /// Appends one row, with one value per column in schema order.
    ///
    /// The row is checked before anything is buffered, so a rejected row leaves the writer as it was.
    /// - Throws: ``ParquetError/wrongValueCount(expected:got:)``, ``ParquetError/typeMismatch(column:expected:got:)``,
    ///   ``ParquetError/nullInRequiredColumn(column:)`` or ``ParquetError/valueTooLarge(column:bytes:)`` for a bad
    ///   row; ``ParquetError/writerNotOpen`` after ``close()``, ``discard()`` or a failure; ``ParquetError/io(operation:path:errno:)``
    ///   when flushing a row group fails (the file is then abandoned).
    public func append(row: [ParquetValue]) throws {
        guard state == .open else { throw ParquetError.writerNotOpen }
        try validate(row: row)
        let encodedBytes = Self.append(row, to: &builders, compressor: &compressor)
        rowCount += 1
        rowsInGroup += 1
        if encodedBytes >= rowGroupBytes {
            try flushRowGroup()
        }
    }

    /// Writes the last row group and the footer, makes the file durable and moves it to ``url``.
    ///
    /// Calling it again after success does nothing.
    /// - Throws: ``ParquetError/writerNotOpen`` after ``discard()`` or a failure; ``ParquetError/io(operation:path:errno:)``
    ///   when writing fails, in which case nothing appears at ``url``.
    public func close() throws {
        switch state {
        case .closed: return
        case .discarded, .failed: throw ParquetError.writerNotOpen
        case .open: break
        }
        if rowsInGroup > 0 {
            try flushRowGroup()
        }
        peakBufferedBytes = max(peakBufferedBytes, bufferedBytes)
        let footer = FileMetadata(
            // 2: the file uses RLE_DICTIONARY, an encoding of format version 2.
            version: 2,
            schema: schemaElements(),
            numRows: Int64(rowCount),
            rowGroups: rowGroups,
            keyValueMetadata: keyValueMetadata,
            createdBy: createdBy,
            columnOrderCount: columns.count
        ).serialized()
        do {
            try file.write(footer)
            try file.write(Self.littleEndian(UInt32(footer.count)))
            try file.write(Self.magic)
            try file.commit()
            state = .closed
        } catch {
            fail()
            throw error
        }
    }

    /// Abandons the file: the temporary file is removed and nothing appears at ``url``.
    public func discard() {
        guard state == .open else { return }
        state = .discarded
        file.abandon()
    }

    // MARK: Private

    /// The largest string accepted (1 GiB), and the largest page or dictionary size setting, so that
    /// a page, compressed or not, stays within the 2 GiB an i32 page size allows.
    static let maximumStringBytes = 1 << 30

    /// "PAR1", which starts and ends every Parquet file.
    private static let magic: [UInt8] = Array("PAR1".utf8)

    private static func validate(columns: [ParquetColumn]) throws {
        guard !columns.isEmpty else { throw ParquetError.invalidSchema("a schema needs at least one column") }
        // Parquet names are byte strings: compare bytes, not canonically equivalent spellings.
        var names = Set<[UInt8]>()
        for column in columns {
            guard !column.name.isEmpty else { throw ParquetError.invalidSchema("a column name is empty") }
            guard names.insert(Array(column.name.utf8)).inserted else {
                throw ParquetError.invalidSchema("column name '\(column.name)' is used twice")
            }
        }
    }

    /// Appends a checked row and returns the row group's encoded size. Static with `inout`
    /// arguments so the whole row costs two exclusivity checks, not several per value.
    private static func append(
        _ row: [ParquetValue], to builders: inout [ColumnChunkBuilder], compressor: inout PageCompressor
    ) -> Int {
        var encodedBytes = 0
        for index in builders.indices {
            builders[index].append(row[index], compressor: &compressor)
            encodedBytes += builders[index].encodedBytes
        }
        return encodedBytes
    }

    private func validate(row: [ParquetValue]) throws {
        guard row.count == columns.count else {
            throw ParquetError.wrongValueCount(expected: columns.count, got: row.count)
        }
        for (column, value) in zip(columns, row) {
            switch value {
            case .null:
                if !column.optional { throw ParquetError.nullInRequiredColumn(column: column.name) }
            case .string(let string):
                guard column.type == .string else {
                    throw ParquetError.typeMismatch(column: column.name, expected: column.type, got: .string)
                }
                // A page, compressed or not, must stay within an i32 size.
                let length = string.utf8.count
                if length > Self.maximumStringBytes {
                    throw ParquetError.valueTooLarge(column: column.name, bytes: length)
                }
            default:
                if let type = value.physicalType, type != column.type {
                    throw ParquetError.typeMismatch(column: column.name, expected: column.type, got: type)
                }
            }
        }
    }

    private func flushRowGroup() throws {
        // Buffered memory only grows while a row group fills, so its peak is now.
        peakBufferedBytes = max(peakBufferedBytes, bufferedBytes)
        do {
            let groupStart = file.position
            var chunks: [ColumnChunkMetadata] = []
            chunks.reserveCapacity(builders.count)
            for index in builders.indices {
                chunks.append(try builders[index].writeChunk(to: file, compressor: &compressor))
            }
            compressor.releaseScratch(above: 2 * pageBytes + 64)
            let uncompressed = chunks.reduce(0) { $0 + $1.metadata.totalUncompressedSize }
            let stored = chunks.reduce(0) { $0 + $1.metadata.totalCompressedSize }
            rowGroups.append(
                RowGroupMetadata(
                    columns: chunks,
                    totalByteSize: uncompressed,
                    numRows: Int64(rowsInGroup),
                    fileOffset: groupStart,
                    totalCompressedSize: stored,
                    ordinal: rowGroups.count <= Int(Int16.max) ? Int16(rowGroups.count) : nil
                ))
            rowGroupCount += 1
            rowsInGroup = 0
        } catch {
            fail()
            throw error
        }
    }

    private func fail() {
        state = .failed
        file.abandon()
    }

    private func schemaElements() -> [SchemaElementMetadata] {
        // A flat schema: the root group, then one leaf per column.
        var elements = [SchemaElementMetadata(name: "schema", numChildren: Int32(columns.count))]
        for column in columns {
            elements.append(
                SchemaElementMetadata(
                    type: column.type.thriftType,
                    repetition: column.optional ? .optional : .required,
                    name: column.name,
                    isString: column.type == .string
                ))
        }
        return elements
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}

extension ParquetColumn.PhysicalType {
    /// The parquet.thrift `Type` that stores values of this type.
    var thriftType: ThriftCode.PhysicalType {
        switch self {
        case .boolean: .boolean
        case .int32: .int32
        case .int64: .int64
        case .float: .float
        case .double: .double
        case .string: .byteArray
        }
    }
}
