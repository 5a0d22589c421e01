extension FASTAHeader {
    /// Reads a first word followed by `[name=value]` pairs, or returns `nil` when the rest of the
    /// header has no such pair.
    ///
    /// A value may hold balanced brackets (`[protein=… [NADP+]]`). A `[` whose content does
    /// not start with `name=` (letters, digits, `_`, `-`), or that is never closed, is ordinary
    /// description text. The text between pairs, each piece trimmed, is joined with single
    /// spaces into the description.
    static func ncbi(_ text: HeaderText, firstWord: Range<Int>, rest: Range<Int>) -> FASTAHeader? {
        let bytes = text.bytes
        var pairs: [Annotation] = []
        var pieces: [String] = []
        var pieceStart = rest.lowerBound
        var index = rest.lowerBound
        while index < rest.upperBound {
            guard bytes[index] == UInt8(ascii: "["), let (pair, end) = bracketedPair(text, from: index, to: rest.upperBound)
            else {
                index += 1
                continue
            }
            let piece = text.trimmed(pieceStart..<index)
            if !piece.isEmpty { pieces.append(text.string(piece)) }
            pairs.append(pair)
            index = end
            pieceStart = end
        }
        guard !pairs.isEmpty else { return nil }
        let piece = text.trimmed(pieceStart..<rest.upperBound)
        if !piece.isEmpty { pieces.append(text.string(piece)) }
        var annotations: [Annotation] = []
        if !pieces.isEmpty { annotations.append(Annotation(name: "description", value: pieces.joined(separator: " "))) }
        annotations += pairs
        return FASTAHeader(format: .ncbi, identifier: text.string(firstWord), annotations: annotations)
    }

    /// The `[name=value]` pair that opens at `open`, and the index after its closing bracket.
    private static func bracketedPair(_ text: HeaderText, from open: Int, to end: Int) -> (Annotation, Int)? {
        let bytes = text.bytes
        let nameStart = open + 1
        var index = nameStart
        while index < end, isNameByte(bytes[index]) { index += 1 }
        guard index > nameStart, index < end, bytes[index] == UInt8(ascii: "=") else { return nil }
        let name = nameStart..<index
        let valueStart = index + 1
        var depth = 1
        index = valueStart
        while index < end {
            switch bytes[index] {
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "]"): depth -= 1
            default: break
            }
            if depth == 0 {
                let value = text.trimmed(valueStart..<index)
                return (Annotation(name: text.string(name), value: text.string(value)), index + 1)
            }
            index += 1
        }
        return nil
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-")
    }
}
