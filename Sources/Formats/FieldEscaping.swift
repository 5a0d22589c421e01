import Foundation

/// Backslash escaping for the tab-separated files the system writes for itself (stored input and
/// chunk outputs): a field never contains a raw tab, newline or carriage return, so a line is a
/// record and a tab is a field boundary, and reading back needs no quoting state.
enum FieldEscaping {
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let backslash = UInt8(ascii: "\\")

    /// Appends `text` escaped.
    static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            // Most fields (SMILES, numbers) need no escaping: copy them in one go.
            if !bytes.contains(where: { $0 == tab || $0 == newline || $0 == carriageReturn || $0 == backslash }) {
                out.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case tab: out.append(contentsOf: [backslash, UInt8(ascii: "t")])
                case newline: out.append(contentsOf: [backslash, UInt8(ascii: "n")])
                case carriageReturn: out.append(contentsOf: [backslash, UInt8(ascii: "r")])
                case backslash: out.append(contentsOf: [backslash, backslash])
                default: out.append(byte)
                }
            }
        }
    }

    /// Decodes one escaped field.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(backslash) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        unescape(bytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the unescaped bytes of one field.
    static func unescape(_ bytes: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == backslash, index + 1 < bytes.endIndex {
                let next = bytes[index + 1]
                switch next {
                case UInt8(ascii: "t"): out.append(tab)
                case UInt8(ascii: "n"): out.append(newline)
                case UInt8(ascii: "r"): out.append(carriageReturn)
                default: out.append(next)
                }
                index += 2
            } else {
                out.append(byte)
                index += 1
            }
        }
    }

    /// Whether a field is the null marker `\N`.
    @inline(__always)
    static func isNull(_ field: ArraySlice<UInt8>) -> Bool {
        field.count == 2 && field[field.startIndex] == backslash && field[field.startIndex + 1] == UInt8(ascii: "N")
    }

    /// The next field of `line` starting at `start`, and where the one after it starts (or `nil`).
    @inline(__always)
    static func field(in line: ArraySlice<UInt8>, from start: Int) -> (field: ArraySlice<UInt8>, next: Int?) {
        // memchr: fields are found once per cell of every stored line.
        let tabIndex = line[start...].withUnsafeBufferPointer { bytes -> Int? in
            guard let base = bytes.baseAddress, let found = memchr(base, Int32(tab), bytes.count) else { return nil }
            return start + base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        if let tabIndex { return (line[start..<tabIndex], tabIndex + 1) }
        return (line[start...], nil)
    }

    /// Splits a line at tabs.
    static func split(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        line.split(separator: tab, omittingEmptySubsequences: false)
    }
}
