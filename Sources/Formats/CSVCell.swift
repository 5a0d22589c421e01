/// Writing CSV cells as bytes (RFC 4180): a cell is quoted only when it holds a comma, a quote or
/// a line break, and quotes inside are doubled. Shared by the typed writer and the byte-level merge
/// so both produce the same bytes.
public enum CSVCell {
    /// The cell separator.
    public static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")

    @inline(__always)
    static func needsQuotes(_ byte: UInt8) -> Bool {
        byte == comma || byte == quote || byte == FieldEscaping.newline || byte == FieldEscaping.carriageReturn
    }

    /// Appends raw (unescaped) bytes as one cell.
    public static func append(_ bytes: some Collection<UInt8>, to line: inout [UInt8]) {
        guard bytes.contains(where: needsQuotes) else {
            line.append(contentsOf: bytes)
            return
        }
        line.append(quote)
        for byte in bytes {
            if byte == quote { line.append(quote) }
            line.append(byte)
        }
        line.append(quote)
    }

    /// The bytes of cell `index` (as written, quotes included) of `row`, a run of cells that each
    /// start with a comma; empty if the row has fewer cells.
    public static func cell(_ index: Int, inRow row: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var current = -1
        var start = row.startIndex
        var quoted = false
        for position in row.indices {
            let byte = row[position]
            if byte == quote {
                quoted.toggle()
            } else if byte == comma, !quoted {
                if current == index { return row[start..<position] }
                current += 1
                start = position + 1
            }
        }
        return current == index ? row[start...] : row[row.endIndex...]
    }

    /// Appends a field of the system's own escaped format (see `FieldEscaping`) as one cell, without
    /// building a string: most fields need neither unescaping nor quoting and are copied as they are.
    public static func appendEscaped(_ field: ArraySlice<UInt8>, to line: inout [UInt8]) {
        // One look at each byte for the usual case, a cell with nothing to unescape or quote.
        let plain = field.withUnsafeBufferPointer { bytes in
            !bytes.contains { $0 == FieldEscaping.backslash || needsQuotes($0) }
        }
        if plain {
            line.append(contentsOf: field)
            return
        }
        if !field.contains(FieldEscaping.backslash) {
            append(field, to: &line)
            return
        }
        var raw: [UInt8] = []
        raw.reserveCapacity(field.count)
        FieldEscaping.unescape(field, into: &raw)
        append(raw, to: &line)
    }
}
