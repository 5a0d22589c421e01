import Foundation

/// Reads a CSV file (RFC 4180, as BulkPredict writes its results) one record at a time, with
/// quoted fields that may hold commas, quotes and line breaks. Memory holds one block of the file
/// and one record, whatever the file's size.
public final class ResultCSVReader {
    private let handle: FileHandle
    private var block: [UInt8] = []
    private var index = 0
    private var exhausted = false
    /// The unquoted bytes of the current record's fields, back to back.
    private var bytes: [UInt8] = []
    /// Where each field of the current record ends in ``bytes``.
    private var ends: [Int] = []
    private static let blockSize = 1 << 20

    /// Opens `url`.
    /// - Throws: when the file cannot be opened.
    public init(url: URL) throws {
        handle = try FileHandle(forReadingFrom: url)
    }

    deinit { try? handle.close() }

    /// The number of fields in the current record.
    public var fieldCount: Int { ends.count }

    /// The bytes of field `index` of the current record (quotes removed, doubled quotes undone).
    public func field(_ index: Int) -> ArraySlice<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1]
        return bytes[start..<ends[index]]
    }

    /// Field `index` of the current record as text.
    public func string(_ index: Int) -> String { String(decoding: field(index), as: UTF8.self) }

    /// Reads the next record; `false` at the end of the file.
    /// - Throws: when reading fails or the file ends inside a quoted field.
    public func next() throws -> Bool {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        var quoted = false
        // A quote seen inside a quoted field: either the first of a doubled quote or its end.
        var quotePending = false
        var fieldStarted = false
        var sawAnything = false
        while true {
            if index == block.count {
                guard try refill() else { break }
            }
            let byte = block[index]
            index += 1
            sawAnything = true
            if quotePending {
                quotePending = false
                if byte == Self.quote {
                    bytes.append(Self.quote)
                    continue
                }
                quoted = false
            }
            if quoted {
                if byte == Self.quote { quotePending = true } else { bytes.append(byte) }
                continue
            }
            switch byte {
            case Self.comma:
                ends.append(bytes.count)
                fieldStarted = false
            case Self.quote where !fieldStarted:
                quoted = true
                fieldStarted = true
            case Self.carriageReturn:
                // Only as part of a CRLF line end; a lone CR inside an unquoted field is kept.
                if index == block.count { _ = try refill() }
                if index < block.count, block[index] == Self.newline { continue }
                bytes.append(byte)
                fieldStarted = true
            case Self.newline:
                ends.append(bytes.count)
                return true
            default:
                bytes.append(byte)
                fieldStarted = true
            }
        }
        if quoted && !quotePending { throw StoredInputError(message: "the CSV file ends inside a quoted field") }
        guard sawAnything else { return false }
        ends.append(bytes.count)
        return true
    }

    private func refill() throws -> Bool {
        guard !exhausted else { return false }
        let data = try handle.read(upToCount: Self.blockSize) ?? Data()
        if data.isEmpty {
            exhausted = true
            block.removeAll()
            index = 0
            return false
        }
        block = Array(data)
        index = 0
        return true
    }

    static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
}
