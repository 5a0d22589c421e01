#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a ``ParquetWriter`` refused a request or failed.
public enum ParquetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The schema cannot be written (no columns, an empty or duplicated name).
    case invalidSchema(String)
    /// A writer setting is out of range.
    case invalidConfiguration(String)
    /// The same key-value metadata key was given twice; readers would keep only one.
    case duplicateMetadataKey(String)
    /// A row has a different number of values than the schema has columns.
    case wrongValueCount(expected: Int, got: Int)
    /// A value's type does not match its column's type.
    case typeMismatch(column: String, expected: ParquetColumn.PhysicalType, got: ParquetColumn.PhysicalType)
    /// ``ParquetValue/null`` was given for a required column.
    case nullInRequiredColumn(column: String)
    /// A single string is larger than a Parquet byte array can hold.
    case valueTooLarge(column: String, bytes: Int)
    /// The writer was already closed or discarded, or an earlier failure left it unusable.
    case writerNotOpen
    /// A system call on the output failed.
    case io(operation: String, path: String, errno: Int32)

    /// A message naming what went wrong and, where relevant, the column.
    public var description: String {
        switch self {
        case .invalidSchema(let reason):
            "invalid Parquet schema: \(reason)"
        case .invalidConfiguration(let reason):
            "invalid Parquet writer configuration: \(reason)"
        case .duplicateMetadataKey(let key):
            "key-value metadata key '\(key)' is given more than once"
        case .wrongValueCount(let expected, let got):
            "row has \(got) values but the schema has \(expected) columns"
        case .typeMismatch(let column, let expected, let got):
            "column '\(column)' holds \(expected) values but was given a \(got)"
        case .nullInRequiredColumn(let column):
            "column '\(column)' is required but was given null"
        case .valueTooLarge(let column, let bytes):
            "column '\(column)' was given a string of \(bytes) bytes, more than a Parquet value can hold"
        case .writerNotOpen:
            "the Parquet writer is closed, discarded or failed"
        case .io(let operation, let path, let errno):
            "\(operation) failed for \(path): \(String(cString: strerror(errno))) (errno \(errno))"
        }
    }
}
