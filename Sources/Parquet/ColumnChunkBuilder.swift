/// Settings every column chunk of one file shares.
struct ChunkSettings {
    var compression: ParquetCompression
    var pageBytes: Int
    var pageRowLimit: Int
    var dictionaryEncoding: Bool
    var dictionaryBytesLimit: Int
    var dictionaryEntryLimit: Int
}

/// Builds one column's chunk of the current row group: values go into the page being filled;
/// a full page is encoded, compressed and kept until the row group is flushed, when the chunk is
/// written out (dictionary page first) and the builder starts afresh.
///
/// Pages must be held until the flush because a chunk's pages are contiguous in the file while
/// rows arrive for all columns at once. Only compressed finished pages and one open page per
/// column are kept, which is what bounds memory to about one row group.
///
/// A struct kept in an array the writer mutates in place: as a class, every property access on
/// the per-value path would pay a dynamic exclusivity check.
struct ColumnChunkBuilder {
    /// A finished page: its serialised header and its bytes as stored.
    private struct Page {
        var header: [UInt8]
        var body: [UInt8]
        var encoding: ThriftCode.Encoding
        var uncompressedBodySize: Int
    }

    let column: ParquetColumn
    private let settings: ChunkSettings
    private let physicalType: ThriftCode.PhysicalType

    // The open page.
    /// Definition levels (1 = present, 0 = null); only for optional columns.
    private var definitionLevels: [UInt8] = []
    /// PLAIN-encoded values (booleans bit-packed, LSB first).
    private var plainValues: [UInt8] = []
    /// Dictionary indices while the page is dictionary-encoded.
    private var dictionaryIndices: [UInt32] = []
    private var pageValueCount = 0
    private var pageBooleanCount = 0
    /// Whether the open page (and the ones after it) encode strings through the dictionary.
    private var usingDictionary: Bool

    // The chunk.
    private var dictionary = StringDictionary()
    private var pages: [Page] = []
    private var statistics: ColumnStatistics
    private var chunkValueCount: Int64 = 0
    private var finishedUncompressedBytes = 0
    private var finishedStoredBytes = 0

    init(column: ParquetColumn, settings: ChunkSettings) {
        self.column = column
        self.settings = settings
        statistics = ColumnStatistics(type: column.type)
        usingDictionary = column.type == .string && settings.dictionaryEncoding
        physicalType = column.type.thriftType
    }

    /// The chunk's encoded size so far, before compression: what the row-group limit counts.
    var encodedBytes: Int {
        // The dictionary page is written at the flush but its size counts from the start.
        var open = plainValues.count + definitionLevels.count / 8 + dictionary.plainEncodedSize
        if usingDictionary {
            let width = RLEHybridEncoder.bitWidth(forMaximum: max(0, dictionary.count - 1))
            open += (dictionaryIndices.count * width + 7) / 8
        }
        return finishedUncompressedBytes + open
    }

    /// Memory the builder holds for the chunk (allocated capacity, not just contents).
    var memoryBytes: Int {
        finishedStoredBytes + definitionLevels.capacity + plainValues.capacity
            + dictionaryIndices.capacity * MemoryLayout<UInt32>.stride
            + dictionary.memoryBytes + statistics.memoryBytes
    }

    // MARK: Appending

    /// Appends one value that the writer has already checked against the column.
    mutating func append(_ value: ParquetValue, compressor: inout PageCompressor) {
        switch value {
        case .null:
            definitionLevels.append(0)
            statistics.observeNull()
        case .bool(let bool):
            if pageBooleanCount & 7 == 0 { plainValues.append(0) }
            if bool { plainValues[plainValues.count - 1] |= 1 << UInt8(pageBooleanCount & 7) }
            pageBooleanCount += 1
            statistics.observe(integer: bool ? 1 : 0)
            present()
        case .int32(let int):
            appendLittleEndian(int)
            statistics.observe(integer: Int64(int))
            present()
        case .int64(let int):
            appendLittleEndian(int)
            statistics.observe(integer: int)
            present()
        case .float(let float):
            appendLittleEndian(float.bitPattern)
            statistics.observe(real: Double(float))
            present()
        case .double(let double):
            appendLittleEndian(double.bitPattern)
            statistics.observe(real: double)
            present()
        case .string(var string):
            string.withUTF8 { appendString(UnsafeRawBufferPointer($0), compressor: &compressor) }
            present()
        }
        pageValueCount += 1
        if plainValues.count >= settings.pageBytes || pageValueCount >= settings.pageRowLimit {
            finishPage(compressor: &compressor)
        }
    }

    @inline(__always)
    private mutating func present() {
        if column.optional { definitionLevels.append(1) }
    }

    @inline(__always)
    private mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.littleEndian) { plainValues.append(contentsOf: $0) }
    }

    private mutating func appendString(_ bytes: UnsafeRawBufferPointer, compressor: inout PageCompressor) {
        if usingDictionary {
            let hash = StringDictionary.hash(bytes)
            switch dictionary.find(bytes, hash: hash) {
            case .found(let entry):
                dictionaryIndices.append(UInt32(entry))
                return
            case .absent(let slot):
                let fits =
                    dictionary.count < settings.dictionaryEntryLimit
                    && dictionary.plainEncodedSize + 4 + bytes.count <= settings.dictionaryBytesLimit
                if fits {
                    dictionaryIndices.append(UInt32(dictionary.insert(bytes, hash: hash, slot: slot)))
                    // Every distinct value passes here once, so bounds need not see repeats.
                    statistics.observe(bytes: bytes)
                    return
                }
                fallBackToPlain(compressor: &compressor)
            }
        }
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { plainValues.append(contentsOf: $0) }
        plainValues.append(contentsOf: bytes)
        statistics.observe(bytes: bytes)
    }

    /// The dictionary is full: what is already dictionary-encoded stays so (the open page is
    /// finished now), and the rest of the chunk is PLAIN, as the format allows.
    private mutating func fallBackToPlain(compressor: inout PageCompressor) {
        if !dictionaryIndices.isEmpty {
            finishPage(compressor: &compressor)
        }
        usingDictionary = false
    }

    // MARK: Pages

    private mutating func finishPage(compressor: inout PageCompressor) {
        guard pageValueCount > 0 else { return }
        let encoding: ThriftCode.Encoding = usingDictionary ? .rleDictionary : .plain
        compressor.scratch.removeAll(keepingCapacity: true)
        if column.optional {
            // Version 1 data pages prefix the levels with their byte length.
            compressor.scratch.append(contentsOf: [0, 0, 0, 0])
            RLEHybridEncoder.encode(definitionLevels, bitWidth: 1, into: &compressor.scratch)
            let length = UInt32(compressor.scratch.count - 4)
            for byte in 0..<4 { compressor.scratch[byte] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(byte))) }
        }
        if usingDictionary {
            let width = RLEHybridEncoder.bitWidth(forMaximum: max(0, dictionary.count - 1))
            compressor.scratch.append(UInt8(width))
            RLEHybridEncoder.encode(dictionaryIndices, bitWidth: width, into: &compressor.scratch)
        } else {
            compressor.scratch.append(contentsOf: plainValues)
        }
        storePage(kind: .data(numValues: Int32(pageValueCount), encoding: encoding), encoding: encoding, compressor: &compressor)
        chunkValueCount += Int64(pageValueCount)
        definitionLevels.removeAll(keepingCapacity: true)
        plainValues.removeAll(keepingCapacity: true)
        dictionaryIndices.removeAll(keepingCapacity: true)
        pageValueCount = 0
        pageBooleanCount = 0
    }

    /// Compresses the compressor's scratch and keeps it as a finished page of the chunk.
    private mutating func storePage(
        kind: PageHeaderMetadata.Kind, encoding: ThriftCode.Encoding, compressor: inout PageCompressor
    ) {
        let uncompressedSize = compressor.scratch.count
        let body = compressor.compressScratch()
        let header = PageHeaderMetadata(
            kind: kind,
            uncompressedPageSize: Int32(uncompressedSize),
            compressedPageSize: Int32(body.count),
            crc: Int32(bitPattern: CRC32.checksum(body))
        ).serialized()
        pages.append(Page(header: header, body: body, encoding: encoding, uncompressedBodySize: uncompressedSize))
        finishedUncompressedBytes += header.count + uncompressedSize
        finishedStoredBytes += header.count + body.count
    }

    // MARK: Flushing

    /// Writes the chunk (dictionary page, then data pages) at the file's current position,
    /// returns its footer metadata, and resets the builder for the next row group.
    mutating func writeChunk(to file: OutputFile, compressor: inout PageCompressor) throws -> ColumnChunkMetadata {
        finishPage(compressor: &compressor)
        let dictionaryPages = pages.filter { $0.encoding == .rleDictionary }.count
        var dictionaryPage: Page?
        if dictionaryPages > 0 {
            compressor.scratch.removeAll(keepingCapacity: true)
            compressor.scratch.reserveCapacity(dictionary.plainEncodedSize)
            dictionary.forEachEntry { entry in
                withUnsafeBytes(of: UInt32(entry.count).littleEndian) { compressor.scratch.append(contentsOf: $0) }
                compressor.scratch.append(contentsOf: entry)
            }
            storePage(kind: .dictionary(numValues: Int32(dictionary.count)), encoding: .plain, compressor: &compressor)
            dictionaryPage = pages.removeLast()
        }

        let chunkStart = file.position
        var dictionaryPageOffset: Int64?
        var uncompressedTotal: Int64 = 0
        var storedTotal: Int64 = 0
        if let dictionaryPage {
            dictionaryPageOffset = chunkStart
            try file.write(dictionaryPage.header)
            try file.write(dictionaryPage.body)
            uncompressedTotal += Int64(dictionaryPage.header.count + dictionaryPage.uncompressedBodySize)
            storedTotal += Int64(dictionaryPage.header.count + dictionaryPage.body.count)
        }
        let dataPageOffset = file.position
        var encodings: Set<ThriftCode.Encoding> = [.rle]
        var dataPageCounts: [ThriftCode.Encoding: Int32] = [:]
        for page in pages {
            try file.write(page.header)
            try file.write(page.body)
            uncompressedTotal += Int64(page.header.count + page.uncompressedBodySize)
            storedTotal += Int64(page.header.count + page.body.count)
            encodings.insert(page.encoding)
            dataPageCounts[page.encoding, default: 0] += 1
        }
        if dictionaryPage != nil { encodings.insert(.plain) }

        var encodingStats: [PageEncodingStatsMetadata] = []
        if dictionaryPage != nil {
            encodingStats.append(PageEncodingStatsMetadata(pageType: .dictionaryPage, encoding: .plain, count: 1))
        }
        for encoding in dataPageCounts.keys.sorted() {
            encodingStats.append(
                PageEncodingStatsMetadata(pageType: .dataPage, encoding: encoding, count: dataPageCounts[encoding] ?? 0))
        }
        let metadata = ColumnMetadata(
            type: physicalType,
            encodings: encodings.sorted(),
            pathInSchema: [column.name],
            codec: settings.compression == .snappy ? .snappy : .uncompressed,
            numValues: chunkValueCount,
            totalUncompressedSize: uncompressedTotal,
            totalCompressedSize: storedTotal,
            dataPageOffset: dataPageOffset,
            dictionaryPageOffset: dictionaryPageOffset,
            statistics: statistics.metadata(),
            encodingStats: encodingStats
        )
        reset()
        return ColumnChunkMetadata(metadata: metadata)
    }

    /// Forgets the chunk so the builder can start the next row group.
    private mutating func reset() {
        pages = []
        dictionary.reset()
        statistics = ColumnStatistics(type: column.type)
        chunkValueCount = 0
        finishedUncompressedBytes = 0
        finishedStoredBytes = 0
        usingDictionary = column.type == .string && settings.dictionaryEncoding
        // Release page buffers a large page grew, so an idle writer holds little.
        if plainValues.capacity > settings.pageBytes * 2 { plainValues = [] }
    }
}
