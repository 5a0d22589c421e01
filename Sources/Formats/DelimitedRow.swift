/// Splits one CSV/TSV record into fields (RFC 4180 quoting: `"a ""b"""` is `a "b"`).
enum DelimitedRow {
    /// The fields of `bytes`, or `nil` when a quoted field is still open at the end (the record
    /// continues on the next line).
    static func fields(_ bytes: ArraySlice<UInt8>, separator: UInt8) -> [String]? {
        let quote = UInt8(ascii: "\"")
        var fields: [String] = []
        var field: [UInt8] = []
        var index = bytes.startIndex
        var inQuotes = false
        var wasQuoted = false
        while index < bytes.endIndex {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < bytes.endIndex, bytes[index + 1] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == separator {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            } else if byte == quote, field.isEmpty, !wasQuoted {
                inQuotes = true
                wasQuoted = true
            } else {
                field.append(byte)
            }
            index += 1
        }
        if inQuotes { return nil }
        fields.append(String(decoding: field, as: UTF8.self))
        return fields
    }
}
