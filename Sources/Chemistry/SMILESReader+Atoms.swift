extension SMILESReader {
    /// Reads an organic-subset atom, a wildcard or a bracket atom at `index`.
    mutating func readAtom() throws(SMILESError) -> Atom {
        let byte = bytes[index]
        if let element = SMILESReader.aromaticSingle(byte) {
            index += 1
            return Atom(element: element, isAromatic: true, isBracketAtom: false)
        }
        let next: UInt8 = index + 1 < bytes.count ? bytes[index + 1] : 0
        let element: Element
        switch byte {
        case UInt8(ascii: "["): return try readBracketAtom()
        case UInt8(ascii: "*"): element = .wildcard
        case UInt8(ascii: "C"): element = next == UInt8(ascii: "l") ? .chlorine : .carbon
        case UInt8(ascii: "B"): element = next == UInt8(ascii: "r") ? .bromine : .boron
        case UInt8(ascii: "N"): element = .nitrogen
        case UInt8(ascii: "O"): element = .oxygen
        case UInt8(ascii: "P"): element = .phosphorus
        case UInt8(ascii: "S"): element = .sulfur
        case UInt8(ascii: "F"): element = .fluorine
        case UInt8(ascii: "I"): element = .iodine
        default: throw notAnAtom(at: index)
        }
        index += element == .chlorine || element == .bromine ? 2 : 1
        return Atom(element: element, isAromatic: false, isBracketAtom: false)
    }

    private func notAnAtom(at offset: Int) -> SMILESError {
        let byte = bytes[offset]
        // "Na" reads as N followed by a stray "a": say what was probably meant.
        if byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z"), offset > 0,
            let element = Element.lookup(upper: bytes[offset - 1], lower: byte)
        {
            return SMILESError(
                .bracketsRequired, at: origin + offset - 1,
                "element '\(element.symbol)' at position \(origin + offset - 1) must be written in brackets, as in [\(element.symbol)]"
            )
        }
        guard byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") else {
            return unexpected(at: offset, expecting: "an atom, a bond, a ring number, a branch or '.'")
        }
        let next: UInt8 = offset + 1 < bytes.count ? bytes[offset + 1] : 0
        let lower: UInt8 = next >= UInt8(ascii: "a") && next <= UInt8(ascii: "z") ? next : 0
        let symbol = String(decoding: lower == 0 ? [byte] : [byte, lower], as: UTF8.self)
        if Element.lookup(upper: byte, lower: lower) != nil || Element.lookup(upper: byte, lower: 0) != nil {
            return SMILESError(
                .bracketsRequired, at: origin + offset,
                "element '\(symbol)' at position \(origin + offset) must be written in brackets, as in [\(symbol)]")
        }
        return SMILESError(
            .unknownElement, at: origin + offset, "unknown element '\(symbol)' at position \(origin + offset)")
    }

    /// Reads `[isotope? symbol chirality? hydrogens? charge? class?]` at `index`.
    private mutating func readBracketAtom() throws(SMILESError) -> Atom {
        let start = index
        index += 1
        var isotope: UInt16 = 0
        if index < bytes.count, SMILESReader.isDigit(bytes[index]) {
            isotope = UInt16(try readBracketNumber(limit: Int(UInt16.max), what: "isotope"))
        }
        let (element, aromatic) = try readBracketSymbol(bracket: start)
        let chirality = try readChirality()
        if chirality != .none, element == .hydrogen {
            throw SMILESError(
                .invalidBracketAtom, at: origin + start,
                "hydrogen at position \(origin + start) cannot carry a stereo mark")
        }
        var hydrogens: UInt8 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "H") {
            index += 1
            hydrogens = 1
            if index < bytes.count, SMILESReader.isDigit(bytes[index]) {
                hydrogens = UInt8(try readBracketNumber(limit: Int(UInt8.max), what: "hydrogen count"))
            }
        }
        let charge = try readCharge()
        var atomClass: UInt32 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            index += 1
            guard index < bytes.count, SMILESReader.isDigit(bytes[index]) else {
                throw bracketProblem(bracket: start, expecting: "an atom class number after ':'")
            }
            atomClass = UInt32(try readBracketNumber(limit: 999_999_999, what: "atom class"))
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "]") else {
            throw bracketProblem(bracket: start, expecting: "']'")
        }
        index += 1
        return Atom(
            element: element, isotope: isotope, charge: charge, bracketHydrogens: hydrogens,
            isAromatic: aromatic, isBracketAtom: true, chirality: chirality, atomClass: atomClass)
    }

    private mutating func readBracketSymbol(bracket: Int) throws(SMILESError) -> (Element, Bool) {
        guard index < bytes.count else { throw bracketProblem(bracket: bracket, expecting: "an element symbol") }
        let first = bytes[index]
        let second: UInt8 = index + 1 < bytes.count ? bytes[index + 1] : 0
        let secondIsLower = second >= UInt8(ascii: "a") && second <= UInt8(ascii: "z")
        if first == UInt8(ascii: "*") {
            index += 1
            return (.wildcard, false)
        }
        if first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") {
            if first == UInt8(ascii: "U"), second == UInt8(ascii: "u"), index + 2 < bytes.count,
                let element = Element.lookupPlaceholder(third: bytes[index + 2])
            {
                index += 3
                return (element, false)
            }
            guard let element = Element.lookup(upper: first, lower: secondIsLower ? second : 0) else {
                throw unknownSymbol(at: index, length: secondIsLower ? 2 : 1)
            }
            index += secondIsLower ? 2 : 1
            return (element, false)
        }
        if first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") {
            if secondIsLower {
                guard let element = SMILESReader.aromaticPair(first, second) else {
                    throw unknownSymbol(at: index, length: 2)
                }
                index += 2
                return (element, true)
            }
            guard let element = SMILESReader.aromaticSingle(first) else { throw unknownSymbol(at: index, length: 1) }
            index += 1
            return (element, true)
        }
        throw bracketProblem(bracket: bracket, expecting: "an element symbol")
    }

    private static func aromaticSingle(_ byte: UInt8) -> Element? {
        switch byte {
        case UInt8(ascii: "b"): .boron
        case UInt8(ascii: "c"): .carbon
        case UInt8(ascii: "n"): .nitrogen
        case UInt8(ascii: "o"): .oxygen
        case UInt8(ascii: "p"): .phosphorus
        case UInt8(ascii: "s"): .sulfur
        default: nil
        }
    }

    // Two-letter aromatic symbols RDKit accepts in brackets: se, as, te and si.
    private static func aromaticPair(_ first: UInt8, _ second: UInt8) -> Element? {
        switch (first, second) {
        case (UInt8(ascii: "s"), UInt8(ascii: "e")): Element(unchecked: 34)
        case (UInt8(ascii: "a"), UInt8(ascii: "s")): Element(unchecked: 33)
        case (UInt8(ascii: "t"), UInt8(ascii: "e")): Element(unchecked: 52)
        case (UInt8(ascii: "s"), UInt8(ascii: "i")): Element(unchecked: 14)
        default: nil
        }
    }

    private func unknownSymbol(at offset: Int, length: Int) -> SMILESError {
        let symbol = String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
        return SMILESError(
            .unknownElement, at: origin + offset, "unknown element '\(symbol)' at position \(origin + offset)")
    }

    func bracketProblem(bracket: Int, expecting: String) -> SMILESError {
        guard index < bytes.count else {
            return SMILESError(
                .unclosedBracket, at: origin + bracket,
                "bracket atom opened at position \(origin + bracket) is not closed")
        }
        return SMILESError(
            .invalidBracketAtom, at: origin + index,
            "unexpected \(SMILESError.show(bytes[index])) at position \(origin + index) in bracket atom; expected \(expecting)"
        )
    }
}
