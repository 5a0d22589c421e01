#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Minimum, maximum, null count and (for floating point) NaN count of one column chunk.
///
/// Bounds follow the column order the footer declares (`TYPE_ORDER`): signed for integers,
/// false < true for booleans, unsigned byte-wise for UTF-8 strings, and for floating point the
/// numeric order over non-NaN values, with a zero minimum written as -0.0 and a zero maximum as
/// +0.0 as the format requires (readers cannot tell which zero was present).
struct ColumnStatistics {
    /// Strings longer than this get no bounds, as in other writers: a footer stays small even
    /// when a column holds large values, and readers lose only pruning.
    static let maximumStringBoundBytes = 4096

    let type: ParquetColumn.PhysicalType
    private(set) var nullCount: Int64 = 0
    private(set) var nanCount: Int64 = 0
    private var hasBounds = false
    private var minimumInteger: Int64 = 0
    private var maximumInteger: Int64 = 0
    private var minimumReal: Double = 0
    private var maximumReal: Double = 0
    private var minimumBytes: [UInt8] = []
    private var maximumBytes: [UInt8] = []
    /// Set once a string too long for bounds is seen; the chunk then has none.
    private var boundsAbandoned = false

    init(type: ParquetColumn.PhysicalType) {
        self.type = type
    }

    /// Memory held by string bounds, for the writer's accounting.
    var memoryBytes: Int { minimumBytes.capacity + maximumBytes.capacity }

    mutating func observeNull() {
        nullCount += 1
    }

    /// Booleans, int32 and int64 values.
    @inline(__always)
    mutating func observe(integer value: Int64) {
        if hasBounds {
            if value < minimumInteger { minimumInteger = value }
            if value > maximumInteger { maximumInteger = value }
        } else {
            minimumInteger = value
            maximumInteger = value
            hasBounds = true
        }
    }

    /// Float and double values; NaN is counted, never a bound.
    @inline(__always)
    mutating func observe(real value: Double) {
        if value.isNaN {
            nanCount += 1
        } else if hasBounds {
            if value < minimumReal { minimumReal = value }
            if value > maximumReal { maximumReal = value }
        } else {
            minimumReal = value
            maximumReal = value
            hasBounds = true
        }
    }

    /// The UTF-8 bytes of a string value.
    mutating func observe(bytes value: UnsafeRawBufferPointer) {
        guard !boundsAbandoned else { return }
        guard value.count <= Self.maximumStringBoundBytes else {
            boundsAbandoned = true
            minimumBytes = []
            maximumBytes = []
            return
        }
        if !hasBounds {
            minimumBytes = Array(value)
            maximumBytes = Array(value)
            hasBounds = true
            return
        }
        if Self.compareBytes(value, minimumBytes) < 0 {
            minimumBytes = Array(value)
        } else if Self.compareBytes(value, maximumBytes) > 0 {
            maximumBytes = Array(value)
        }
    }

    /// Unsigned lexicographic comparison (UTF-8 byte order equals code point order).
    static func compareBytes(_ lhs: UnsafeRawBufferPointer, _ rhs: [UInt8]) -> Int {
        rhs.withUnsafeBytes { rhs in
            let shared = min(lhs.count, rhs.count)
            if shared > 0 {
                let order = memcmp(lhs.baseAddress.unsafelyUnwrapped, rhs.baseAddress.unsafelyUnwrapped, shared)
                if order != 0 { return Int(order) }
            }
            return lhs.count - rhs.count
        }
    }

    /// The Thrift `Statistics` for the footer.
    func metadata() -> StatisticsMetadata {
        var minimum: [UInt8]?
        var maximum: [UInt8]?
        if hasBounds && !boundsAbandoned {
            switch type {
            case .boolean:
                minimum = [minimumInteger == 0 ? 0 : 1]
                maximum = [maximumInteger == 0 ? 0 : 1]
            case .int32:
                minimum = Self.littleEndianBytes(Int32(truncatingIfNeeded: minimumInteger))
                maximum = Self.littleEndianBytes(Int32(truncatingIfNeeded: maximumInteger))
            case .int64:
                minimum = Self.littleEndianBytes(minimumInteger)
                maximum = Self.littleEndianBytes(maximumInteger)
            case .float:
                minimum = Self.littleEndianBytes(Float(minimumReal == 0 ? -0.0 : minimumReal).bitPattern)
                maximum = Self.littleEndianBytes(Float(maximumReal == 0 ? 0.0 : maximumReal).bitPattern)
            case .double:
                minimum = Self.littleEndianBytes((minimumReal == 0 ? -0.0 : minimumReal).bitPattern)
                maximum = Self.littleEndianBytes((maximumReal == 0 ? 0.0 : maximumReal).bitPattern)
            case .string:
                minimum = minimumBytes
                maximum = maximumBytes
            }
        }
        let isReal = type == .float || type == .double
        // The deprecated fields are defined by signed comparison, which disagrees with UTF-8
        // order, so strings get only the new ones.
        let legacy = type != .string
        return StatisticsMetadata(
            legacyMax: legacy ? maximum : nil,
            legacyMin: legacy ? minimum : nil,
            nullCount: nullCount,
            maxValue: maximum,
            minValue: minimum,
            isMaxValueExact: maximum == nil ? nil : true,
            isMinValueExact: minimum == nil ? nil : true,
            nanCount: isReal ? nanCount : nil
        )
    }

    private static func littleEndianBytes<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
