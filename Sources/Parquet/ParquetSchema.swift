/// One column of a flat Parquet schema.
///
/// Only flat schemas are supported: every column is a leaf directly under the root, so the
/// maximum repetition level is always 0 and the maximum definition level is 1 for optional
/// columns and 0 for required ones.
public struct ParquetColumn: Sendable, Hashable {
    /// The kinds of value a column can hold, each mapped to one Parquet physical type.
    public enum PhysicalType: Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// Parquet `BOOLEAN`.
        case boolean
        /// Parquet `INT32`.
        case int32
        /// Parquet `INT64`.
        case int64
        /// Parquet `FLOAT` (IEEE 754 single precision).
        case float
        /// Parquet `DOUBLE` (IEEE 754 double precision).
        case double
        /// Parquet `BYTE_ARRAY` annotated as UTF-8 text (logical type `STRING`, converted type `UTF8`).
        case string

        /// The name used in error messages.
        public var description: String {
            switch self {
            case .boolean: "boolean"
            case .int32: "int32"
            case .int64: "int64"
            case .float: "float"
            case .double: "double"
            case .string: "string"
            }
        }
    }

    /// The column's name; unique within a schema and not empty.
    public var name: String
    /// What the column holds.
    public var type: PhysicalType
    /// Whether the column accepts ``ParquetValue/null``.
    public var optional: Bool

    /// Describes a column.
    /// - Parameters:
    ///   - name: unique, non-empty column name.
    ///   - type: the physical type of its values.
    ///   - optional: `true` when rows may hold ``ParquetValue/null`` in this column.
    public init(name: String, type: PhysicalType, optional: Bool = false) {
        self.name = name
        self.type = type
        self.optional = optional
    }
}

/// One cell of a row passed to ``ParquetWriter/append(row:)``.
public enum ParquetValue: Sendable, Equatable {
    /// No value; allowed only in optional columns.
    case null
    /// A value for a ``ParquetColumn/PhysicalType/boolean`` column.
    case bool(Bool)
    /// A value for a ``ParquetColumn/PhysicalType/int32`` column.
    case int32(Int32)
    /// A value for a ``ParquetColumn/PhysicalType/int64`` column.
    case int64(Int64)
    /// A value for a ``ParquetColumn/PhysicalType/float`` column.
    case float(Float)
    /// A value for a ``ParquetColumn/PhysicalType/double`` column.
    case double(Double)
    /// A value for a ``ParquetColumn/PhysicalType/string`` column, stored as its UTF-8 bytes.
    case string(String)

    /// The column type this value fits, or `nil` for ``null``; used to validate rows.
    public var physicalType: ParquetColumn.PhysicalType? {
        switch self {
        case .null: nil
        case .bool: .boolean
        case .int32: .int32
        case .int64: .int64
        case .float: .float
        case .double: .double
        case .string: .string
        }
    }
}

/// How pages are compressed. One codec applies to the whole file.
public enum ParquetCompression: Sendable, Hashable {
    /// Pages are stored as encoded.
    case uncompressed
    /// Pages are compressed with Snappy, the codec every Parquet reader supports.
    case snappy
}
