// The numeric fields of a bracket atom. Limits follow the storage of each field; RDKit reads
// larger values but silently wraps them, which we refuse to do.
extension SMILESReader {
    /// Reads an unsigned decimal number at `index` that is at most `limit`.
    ///
    /// A leading zero is only allowed for the number 0 itself, as in RDKit.
    mutating func readBracketNumber(limit: Int, what: String) throws(SMILESError) -> Int {
        let start = index
        if bytes[start] == UInt8(ascii: "0"), start + 1 < bytes.count, SMILESReader.isDigit(bytes[start + 1]) {
            throw SMILESError(
                .invalidBracketAtom, at: origin + start,
                "\(what) at position \(origin + start) has a leading zero")
        }
        var value = 0
        var overflow = false
        while index < bytes.count, SMILESReader.isDigit(bytes[index]) {
            if !overflow {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                overflow = value > limit
            }
            index += 1
        }
        guard !overflow else {
            throw SMILESError(
                .numberOutOfRange, at: origin + start,
                "\(what) at position \(origin + start) is larger than \(limit)")
        }
        return value
    }

    /// Reads `+`, `++`, `+n`, `-`, `--` or `-n` at `index`; 0 when there is no charge.
    mutating func readCharge() throws(SMILESError) -> Int8 {
        guard index < bytes.count else { return 0 }
        let sign = bytes[index]
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return 0 }
        let negative = sign == UInt8(ascii: "-")
        index += 1
        var magnitude = 1
        if index < bytes.count, bytes[index] == sign {
            magnitude = 2
            index += 1
        } else if index < bytes.count, SMILESReader.isDigit(bytes[index]) {
            magnitude = try readBracketNumber(limit: negative ? 128 : 127, what: "charge")
        }
        return Int8(truncatingIfNeeded: negative ? -magnitude : magnitude)
    }

    /// Reads `@`, `@@` or `@` followed by a class (`TH`, `AL`, `SP`, `TB`, `OH`) and number.
    mutating func readChirality() throws(SMILESError) -> Chirality {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "@") else { return .none }
        let start = index
        index += 1
        guard index < bytes.count else { return .anticlockwise }
        if bytes[index] == UInt8(ascii: "@") {
            index += 1
            return .clockwise
        }
        guard index + 1 < bytes.count else { return .anticlockwise }
        let kind: (limit: Int, make: (UInt8) -> Chirality)
        switch (bytes[index], bytes[index + 1]) {
        case (UInt8(ascii: "T"), UInt8(ascii: "H")): kind = (2, Chirality.tetrahedral)
        case (UInt8(ascii: "A"), UInt8(ascii: "L")): kind = (2, Chirality.allene)
        case (UInt8(ascii: "S"), UInt8(ascii: "P")): kind = (3, Chirality.squarePlanar)
        case (UInt8(ascii: "T"), UInt8(ascii: "B")): kind = (20, Chirality.trigonalBipyramidal)
        case (UInt8(ascii: "O"), UInt8(ascii: "H")): kind = (30, Chirality.octahedral)
        default: return .anticlockwise
        }
        index += 2
        guard index < bytes.count, SMILESReader.isDigit(bytes[index]) else { return kind.make(0) }
        let numberStart = index
        let number = try readBracketNumber(limit: 99, what: "chirality number")
        guard number >= 1, number <= kind.limit else {
            throw SMILESError(
                .invalidBracketAtom, at: origin + numberStart,
                "stereo mark at position \(origin + start) must be numbered 1 to \(kind.limit)")
        }
        return kind.make(UInt8(number))
    }
}
