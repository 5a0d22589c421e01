/// Serialises Thrift values with the compact protocol, the encoding Parquet uses for its footer
/// and page headers.
///
/// Only the writing half is needed: the writer never reads its own metadata back. Structs are
/// written by nesting closures so the field-id delta state (which the compact protocol keeps per
/// struct) is saved and restored automatically.
struct ThriftCompactWriter {
    /// Compact-protocol type codes, as they appear in field and list headers.
    enum FieldType: UInt8 {
        case boolTrue = 1
        case boolFalse = 2
        case byte = 3
        case i16 = 4
        case i32 = 5
        case i64 = 6
        case double = 7
        case binary = 8
        case list = 9
        case set = 10
        case map = 11
        case structure = 12
    }

    /// Everything written so far.
    private(set) var bytes: [UInt8] = []
    /// The id of the previous field in the struct being written; field headers store the delta.
    private var lastFieldID: Int16 = 0
    /// `lastFieldID` of each enclosing struct, restored when a nested struct ends.
    private var enclosingFieldIDs: [Int16] = []

    init() {}

    // MARK: Structs

    /// Writes a whole struct: the fields `body` writes, then the stop byte.
    mutating func writeStruct(_ body: (inout ThriftCompactWriter) -> Void) {
        enclosingFieldIDs.append(lastFieldID)
        lastFieldID = 0
        body(&self)
        bytes.append(0)
        lastFieldID = enclosingFieldIDs.removeLast()
    }

    /// Writes a struct-valued field (also used for unions, which are structs with one field set).
    mutating func structField(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        writeFieldHeader(.structure, id: id)
        writeStruct(body)
    }

    // MARK: Scalar fields

    /// Writes a boolean field; the compact protocol folds the value into the field header.
    mutating func boolField(_ id: Int16, _ value: Bool) {
        writeFieldHeader(value ? .boolTrue : .boolFalse, id: id)
    }

    /// Writes an `i16` field.
    mutating func i16Field(_ id: Int16, _ value: Int16) {
        writeFieldHeader(.i16, id: id)
        writeVarint(Self.zigzag(Int64(value)))
    }

    /// Writes an `i32` field (Thrift enums are written this way too).
    mutating func i32Field(_ id: Int16, _ value: Int32) {
        writeFieldHeader(.i32, id: id)
        writeVarint(Self.zigzag(Int64(value)))
    }

    /// Writes an `i64` field.
    mutating func i64Field(_ id: Int16, _ value: Int64) {
        writeFieldHeader(.i64, id: id)
        writeVarint(Self.zigzag(value))
    }

    /// Writes a `binary` field.
    mutating func binaryField(_ id: Int16, _ value: [UInt8]) {
        writeFieldHeader(.binary, id: id)
        writeBinary(value)
    }

    /// Writes a `string` field as its UTF-8 bytes.
    mutating func stringField(_ id: Int16, _ value: String) {
        binaryField(id, Array(value.utf8))
    }

    // MARK: List fields

    /// Writes a `list<i32>` field.
    mutating func i32ListField(_ id: Int16, _ values: [Int32]) {
        writeFieldHeader(.list, id: id)
        writeListHeader(.i32, count: values.count)
        for value in values { writeVarint(Self.zigzag(Int64(value))) }
    }

    /// Writes a `list<string>` field.
    mutating func stringListField(_ id: Int16, _ values: [String]) {
        writeFieldHeader(.list, id: id)
        writeListHeader(.binary, count: values.count)
        for value in values { writeBinary(Array(value.utf8)) }
    }

    /// Writes a `list<struct>` field; `element` writes the fields of one element.
    mutating func structListField<Element>(
        _ id: Int16, _ values: [Element], _ element: (Element, inout ThriftCompactWriter) -> Void
    ) {
        writeFieldHeader(.list, id: id)
        writeListHeader(.structure, count: values.count)
        for value in values {
            writeStruct { element(value, &$0) }
        }
    }

    // MARK: Primitives

    private mutating func writeFieldHeader(_ type: FieldType, id: Int16) {
        let delta = Int(id) - Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            // Long form: the type alone, then the full field id as a zigzag varint.
            bytes.append(type.rawValue)
            writeVarint(Self.zigzag(Int64(id)))
        }
        lastFieldID = id
    }

    private mutating func writeListHeader(_ elementType: FieldType, count: Int) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            writeVarint(UInt64(count))
        }
    }

    private mutating func writeBinary(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Appends an unsigned LEB128 varint.
    mutating func writeVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    /// Maps signed integers to unsigned ones so small magnitudes of either sign stay short.
    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}
