// The subset of parquet.thrift this writer emits, with field ids exactly as in the format
// specification. Each struct knows how to serialise itself with the compact protocol; optional
// fields left `nil` are omitted, as Thrift requires.

/// Codes of the Thrift enums the writer uses (`Type`, `Encoding`, `PageType`, ...).
enum ThriftCode {
    /// parquet.thrift `Type`.
    enum PhysicalType: Int32 {
        case boolean = 0
        case int32 = 1
        case int64 = 2
        case float = 4
        case double = 5
        case byteArray = 6
    }

    /// parquet.thrift `Encoding`.
    enum Encoding: Int32, Comparable {
        case plain = 0
        case rle = 3
        case rleDictionary = 8

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// parquet.thrift `PageType`.
    enum PageType: Int32 {
        case dataPage = 0
        case dictionaryPage = 2
    }

    /// parquet.thrift `CompressionCodec`.
    enum Codec: Int32 {
        case uncompressed = 0
        case snappy = 1
    }

    /// parquet.thrift `FieldRepetitionType`.
    enum Repetition: Int32 {
        case required = 0
        case optional = 1
    }

    /// parquet.thrift `ConvertedType.UTF8`.
    static let convertedTypeUTF8: Int32 = 0
}

/// parquet.thrift `Statistics`.
struct StatisticsMetadata: Equatable {
    /// Deprecated signed-order maximum (field 1); written only where the column order is signed.
    var legacyMax: [UInt8]?
    /// Deprecated signed-order minimum (field 2).
    var legacyMin: [UInt8]?
    var nullCount: Int64
    var maxValue: [UInt8]?
    var minValue: [UInt8]?
    var isMaxValueExact: Bool?
    var isMinValueExact: Bool?
    /// Present for floating-point columns, where the format requires it next to NaN-free bounds.
    var nanCount: Int64?

    func encode(_ writer: inout ThriftCompactWriter) {
        if let legacyMax { writer.binaryField(1, legacyMax) }
        if let legacyMin { writer.binaryField(2, legacyMin) }
        writer.i64Field(3, nullCount)
        if let maxValue { writer.binaryField(5, maxValue) }
        if let minValue { writer.binaryField(6, minValue) }
        if let isMaxValueExact { writer.boolField(7, isMaxValueExact) }
        if let isMinValueExact { writer.boolField(8, isMinValueExact) }
        if let nanCount { writer.i64Field(9, nanCount) }
    }
}

/// parquet.thrift `SchemaElement`.
struct SchemaElementMetadata {
    var type: ThriftCode.PhysicalType?
    var repetition: ThriftCode.Repetition?
    var name: String
    var numChildren: Int32?
    /// Marks a byte array as UTF-8 text, both as `ConvertedType.UTF8` and `LogicalType.STRING`.
    var isString = false

    func encode(_ writer: inout ThriftCompactWriter) {
        if let type { writer.i32Field(1, type.rawValue) }
        if let repetition { writer.i32Field(3, repetition.rawValue) }
        writer.stringField(4, name)
        if let numChildren { writer.i32Field(5, numChildren) }
        if isString {
            writer.i32Field(6, ThriftCode.convertedTypeUTF8)
            // LogicalType is a union; member 1 is the empty StringType struct.
            writer.structField(10) { logical in
                logical.structField(1) { _ in }
            }
        }
    }
}

/// parquet.thrift `KeyValue`.
struct KeyValueMetadata {
    var key: String
    var value: String

    func encode(_ writer: inout ThriftCompactWriter) {
        writer.stringField(1, key)
        writer.stringField(2, value)
    }
}

/// parquet.thrift `PageEncodingStats`.
struct PageEncodingStatsMetadata {
    var pageType: ThriftCode.PageType
    var encoding: ThriftCode.Encoding
    var count: Int32

    func encode(_ writer: inout ThriftCompactWriter) {
        writer.i32Field(1, pageType.rawValue)
        writer.i32Field(2, encoding.rawValue)
        writer.i32Field(3, count)
    }
}

/// parquet.thrift `ColumnMetaData`.
struct ColumnMetadata {
    var type: ThriftCode.PhysicalType
    var encodings: [ThriftCode.Encoding]
    var pathInSchema: [String]
    var codec: ThriftCode.Codec
    var numValues: Int64
    var totalUncompressedSize: Int64
    var totalCompressedSize: Int64
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64?
    var statistics: StatisticsMetadata?
    var encodingStats: [PageEncodingStatsMetadata]

    func encode(_ writer: inout ThriftCompactWriter) {
        writer.i32Field(1, type.rawValue)
        writer.i32ListField(2, encodings.map(\.rawValue))
        writer.stringListField(3, pathInSchema)
        writer.i32Field(4, codec.rawValue)
        writer.i64Field(5, numValues)
        writer.i64Field(6, totalUncompressedSize)
        writer.i64Field(7, totalCompressedSize)
        writer.i64Field(9, dataPageOffset)
        if let dictionaryPageOffset { writer.i64Field(11, dictionaryPageOffset) }
        if let statistics { writer.structField(12) { statistics.encode(&$0) } }
        if !encodingStats.isEmpty {
            writer.structListField(13, encodingStats) { stats, writer in stats.encode(&writer) }
        }
    }
}

/// parquet.thrift `ColumnChunk`.
struct ColumnChunkMetadata {
    var metadata: ColumnMetadata

    func encode(_ writer: inout ThriftCompactWriter) {
        // Deprecated and required: 0 says no ColumnMetaData copy lives outside the footer.
        writer.i64Field(2, 0)
        writer.structField(3) { metadata.encode(&$0) }
    }
}

/// parquet.thrift `RowGroup`.
struct RowGroupMetadata {
    var columns: [ColumnChunkMetadata]
    var totalByteSize: Int64
    var numRows: Int64
    var fileOffset: Int64
    var totalCompressedSize: Int64
    /// Omitted beyond `Int16.max` row groups, since the field is an `i16`.
    var ordinal: Int16?

    func encode(_ writer: inout ThriftCompactWriter) {
        writer.structListField(1, columns) { column, writer in column.encode(&writer) }
        writer.i64Field(2, totalByteSize)
        writer.i64Field(3, numRows)
        writer.i64Field(5, fileOffset)
        writer.i64Field(6, totalCompressedSize)
        if let ordinal { writer.i16Field(7, ordinal) }
    }
}

/// parquet.thrift `FileMetaData`, the footer.
struct FileMetadata {
    var version: Int32
    var schema: [SchemaElementMetadata]
    var numRows: Int64
    var rowGroups: [RowGroupMetadata]
    var keyValueMetadata: [KeyValueMetadata]
    var createdBy: String
    /// One entry per leaf column; all use the type-defined order (`ColumnOrder.TYPE_ORDER`).
    var columnOrderCount: Int

    func encode(_ writer: inout ThriftCompactWriter) {
        writer.i32Field(1, version)
        writer.structListField(2, schema) { element, writer in element.encode(&writer) }
        writer.i64Field(3, numRows)
        writer.structListField(4, rowGroups) { group, writer in group.encode(&writer) }
        if !keyValueMetadata.isEmpty {
            writer.structListField(5, keyValueMetadata) { pair, writer in pair.encode(&writer) }
        }
        writer.stringField(6, createdBy)
        // ColumnOrder is a union; member 1 is the empty TypeDefinedOrder struct. Declaring it
        // tells readers that min_value/max_value follow the order of each column's type.
        writer.structListField(7, Array(repeating: (), count: columnOrderCount)) { _, writer in
            writer.structField(1) { _ in }
        }
    }

    /// The serialised footer.
    func serialized() -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.writeStruct { encode(&$0) }
        return writer.bytes
    }
}

/// parquet.thrift `PageHeader` with either a `DataPageHeader` or a `DictionaryPageHeader`.
struct PageHeaderMetadata {
    /// The page-type specific part.
    enum Kind {
        /// A version 1 data page: `num_values` counts nulls too.
        case data(numValues: Int32, encoding: ThriftCode.Encoding)
        /// The dictionary page that precedes dictionary-encoded data pages.
        case dictionary(numValues: Int32)
    }

    var kind: Kind
    var uncompressedPageSize: Int32
    var compressedPageSize: Int32
    /// CRC-32 of the page bytes as stored (after compression).
    var crc: Int32

    func encode(_ writer: inout ThriftCompactWriter) {
        switch kind {
        case .data: writer.i32Field(1, ThriftCode.PageType.dataPage.rawValue)
        case .dictionary: writer.i32Field(1, ThriftCode.PageType.dictionaryPage.rawValue)
        }
        writer.i32Field(2, uncompressedPageSize)
        writer.i32Field(3, compressedPageSize)
        writer.i32Field(4, crc)
        switch kind {
        case .data(let numValues, let encoding):
            writer.structField(5) { header in
                header.i32Field(1, numValues)
                header.i32Field(2, encoding.rawValue)
                // Definition and repetition levels are always RLE/bit-packed hybrid.
                header.i32Field(3, ThriftCode.Encoding.rle.rawValue)
                header.i32Field(4, ThriftCode.Encoding.rle.rawValue)
            }
        case .dictionary(let numValues):
            writer.structField(7) { header in
                header.i32Field(1, numValues)
                header.i32Field(2, ThriftCode.Encoding.plain.rawValue)
                header.boolField(3, false)
            }
        }
    }

    /// The serialised header, which precedes the page bytes in the file.
    func serialized() -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.writeStruct { encode(&$0) }
        return writer.bytes
    }
}
