// A reader for the part of Daylight SMARTS that descriptor definitions and filter catalogues
// use: bracket and organic-subset atoms, the atom primitives of ``AtomQuery``, the bond
// primitives of ``BondQuery``, the logical operators with SMARTS's precedence (`!` binds
// tightest, then `&` and juxtaposition, then `,`, then `;`), branches, ring bonds (digits,
// `%nn`), dot-separated components and recursive SMARTS `$(...)`.

struct SMARTSReader {
    private let bytes: [UInt8]
    private let origin: Int
    private var index = 0
    private var atoms: [AtomQuery] = []
    private var bonds: [QueryBond] = []
    // Recursive patterns nest by calling the reader again; this bounds how deep.
    private let nesting: Int

    init(bytes: [UInt8], origin: Int = 0, nesting: Int = 0) {
        self.bytes = bytes
        self.origin = origin
        self.nesting = nesting
    }

    /// Reads the whole pattern.
    mutating func read() throws(SMARTSError) -> (atoms: [AtomQuery], bonds: [QueryBond]) {
        guard nesting < 16 else { throw error(at: 0, "recursive SMARTS nested more than 16 deep") }
        guard !bytes.isEmpty else { throw error(at: 0, "empty SMARTS") }
        var previous: Int? = nil
        var pending: BondQuery? = nil
        var pendingPosition = 0
        var branches: [Int] = []
        var rings: [Int: (atom: Int, bond: BondQuery?)] = [:]
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "("):
                guard let atom = previous, pending == nil else {
                    throw error(at: index, "a branch must follow an atom")
                }
                branches.append(atom)
                index += 1
            case UInt8(ascii: ")"):
                guard let atom = branches.popLast() else { throw error(at: index, "')' without '('") }
                guard pending == nil else { throw error(at: pendingPosition, "bond with no atom after it") }
                previous = atom
                index += 1
            case UInt8(ascii: "."):
                guard previous != nil, pending == nil, branches.isEmpty else {
                    throw error(at: index, "misplaced '.'")
                }
                previous = nil
                index += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "%"):
                guard let atom = previous else { throw error(at: index, "ring bond with no atom before it") }
                let position = index
                let number = try readRingNumber()
                if let open = rings.removeValue(forKey: number) {
                    guard open.atom != atom else { throw error(at: position, "ring bond \(number) joins an atom to itself") }
                    let query = pending ?? open.bond ?? .singleOrAromatic
                    bonds.append(QueryBond(begin: open.atom, end: atom, query: query))
                } else {
                    rings[number] = (atom, pending)
                }
                pending = nil
            case UInt8(ascii: "-"), UInt8(ascii: "="), UInt8(ascii: "#"), UInt8(ascii: ":"), UInt8(ascii: "~"),
                UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "$"):
                guard previous != nil, pending == nil else { throw error(at: index, "misplaced bond") }
                pendingPosition = index
                pending = try readBondExpression()
            default:
                let atom = try readAtom()
                atoms.append(atom)
                let newIndex = atoms.count - 1
                if let previous {
                    bonds.append(QueryBond(begin: previous, end: newIndex, query: pending ?? .singleOrAromatic))
                }
                pending = nil
                previous = newIndex
            }
        }
        if pending != nil { throw error(at: pendingPosition, "bond with no atom after it") }
        if !branches.isEmpty { throw error(at: bytes.count, "unclosed branch") }
        if let open = rings.keys.min() { throw error(at: bytes.count, "ring bond \(open) is never closed") }
        guard previous != nil else { throw error(at: bytes.count, "SMARTS ends after '.'") }
        return (atoms, bonds)
    }

    private mutating func readRingNumber() throws(SMARTSError) -> Int {
        if bytes[index] != UInt8(ascii: "%") {
            defer { index += 1 }
            return Int(bytes[index] - UInt8(ascii: "0"))
        }
        let start = index
        index += 1
        var digits = 0
        var number = 0
        while index < bytes.count, digits < 2, SMARTSReader.isDigit(bytes[index]) {
            number = number * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        guard digits == 2 else { throw error(at: start, "'%' must be followed by two digits") }
        return number
    }

    // MARK: Bonds

    private static func isBondPrimitive(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "="), UInt8(ascii: "#"), UInt8(ascii: ":"), UInt8(ascii: "~"),
            UInt8(ascii: "@"), UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "$"):
            true
        default: false
        }
    }

    private mutating func readBondExpression() throws(SMARTSError) -> BondQuery {
        var lowParts = [try readBondOr()]
        while index < bytes.count, bytes[index] == UInt8(ascii: ";") {
            index += 1
            lowParts.append(try readBondOr())
        }
        return lowParts.count == 1 ? lowParts[0] : .and(lowParts)
    }

    private mutating func readBondOr() throws(SMARTSError) -> BondQuery {
        var parts = [try readBondAnd()]
        while index < bytes.count, bytes[index] == UInt8(ascii: ",") {
            index += 1
            parts.append(try readBondAnd())
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    private mutating func readBondAnd() throws(SMARTSError) -> BondQuery {
        var parts = [try readBondNot()]
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "&") {
                index += 1
            } else if !(SMARTSReader.isBondPrimitive(bytes[index]) || bytes[index] == UInt8(ascii: "!")) {
                break
            }
            parts.append(try readBondNot())
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private mutating func readBondNot() throws(SMARTSError) -> BondQuery {
        guard index < bytes.count else { throw error(at: index, "bond expression ends early") }
        if bytes[index] == UInt8(ascii: "!") {
            index += 1
            return .not(try readBondNot())
        }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "\\"): return .single
        case UInt8(ascii: "="): return .double
        case UInt8(ascii: "#"): return .triple
        case UInt8(ascii: "$"): return .quadruple
        case UInt8(ascii: ":"): return .aromatic
        case UInt8(ascii: "~"): return .any
        case UInt8(ascii: "@"): return .ring
        default: throw error(at: index - 1, "expected a bond symbol")
        }
    }

    // MARK: Atoms

    private mutating func readAtom() throws(SMARTSError) -> AtomQuery {
        let byte = bytes[index]
        let next: UInt8 = index + 1 < bytes.count ? bytes[index + 1] : 0
        if byte == UInt8(ascii: "[") { return try readBracketAtom() }
        index += 1
        switch byte {
        case UInt8(ascii: "*"): return .any
        case UInt8(ascii: "a"): return .aromatic
        case UInt8(ascii: "A"): return .aliphatic
        case UInt8(ascii: "C"):
            if next == UInt8(ascii: "l") { index += 1; return .element(17, aromatic: false) }
            return .element(6, aromatic: false)
        case UInt8(ascii: "B"):
            if next == UInt8(ascii: "r") { index += 1; return .element(35, aromatic: false) }
            return .element(5, aromatic: false)
        case UInt8(ascii: "N"): return .element(7, aromatic: false)
        case UInt8(ascii: "O"): return .element(8, aromatic: false)
        case UInt8(ascii: "P"): return .element(15, aromatic: false)
        case UInt8(ascii: "S"): return .element(16, aromatic: false)
        case UInt8(ascii: "F"): return .element(9, aromatic: false)
        case UInt8(ascii: "I"): return .element(53, aromatic: false)
        case UInt8(ascii: "b"): return .element(5, aromatic: true)
        case UInt8(ascii: "c"): return .element(6, aromatic: true)
        case UInt8(ascii: "n"): return .element(7, aromatic: true)
        case UInt8(ascii: "o"): return .element(8, aromatic: true)
        case UInt8(ascii: "p"): return .element(15, aromatic: true)
        case UInt8(ascii: "s"): return .element(16, aromatic: true)
        default: throw error(at: index - 1, "unexpected '\(SMARTSReader.printable(byte))'")
        }
    }

    private mutating func readBracketAtom() throws(SMARTSError) -> AtomQuery {
        let open = index
        index += 1
        // A lone hydrogen, `[H]`, `[2H]` or `[H+]`, is a hydrogen atom, not a count.
        var probe = index
        while probe < bytes.count, SMARTSReader.isDigit(bytes[probe]) { probe += 1 }
        if probe < bytes.count, bytes[probe] == UInt8(ascii: "H"), probe + 1 < bytes.count,
            [UInt8(ascii: "]"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains(bytes[probe + 1])
        {
            var parts: [AtomQuery] = [.atomicNumber(1)]
            if probe > index { parts.append(.isotope(readNumber() ?? 0)) }
            index = probe + 1
            if bytes[index] != UInt8(ascii: "]") { parts.append(try readAtomNot()) }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "]") else {
                throw error(at: open, "unclosed '['")
            }
            index += 1
            return .and(parts)
        }
        let query = try readAtomExpression()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "]") else {
            throw error(at: index < bytes.count ? index : open, index < bytes.count ? "unexpected '\(SMARTSReader.printable(bytes[index]))' in bracket atom" : "unclosed '['")
        }
        index += 1
        return query
    }

    private mutating func readAtomExpression() throws(SMARTSError) -> AtomQuery {
        var lowParts = [try readAtomOr()]
        while index < bytes.count, bytes[index] == UInt8(ascii: ";") {
            index += 1
            lowParts.append(try readAtomOr())
        }
        return lowParts.count == 1 ? lowParts[0] : .and(lowParts)
    }

    private mutating func readAtomOr() throws(SMARTSError) -> AtomQuery {
        var parts = [try readAtomAnd()]
        while index < bytes.count, bytes[index] == UInt8(ascii: ",") {
            index += 1
            parts.append(try readAtomAnd())
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    private mutating func readAtomAnd() throws(SMARTSError) -> AtomQuery {
        var parts = [try readAtomNot()]
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "&"): index += 1
            case UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ")"):
                return parts.count == 1 ? parts[0] : .and(parts)
            default: break
            }
            parts.append(try readAtomNot())
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private mutating func readAtomNot() throws(SMARTSError) -> AtomQuery {
        guard index < bytes.count else { throw error(at: index, "bracket atom ends early") }
        if bytes[index] == UInt8(ascii: "!") {
            index += 1
            return .not(try readAtomNot())
        }
        return try readAtomPrimitive()
    }

    private mutating func readNumber() -> Int? {
        var value = 0
        var digits = 0
        while index < bytes.count, SMARTSReader.isDigit(bytes[index]), digits < 6 {
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        return digits == 0 ? nil : value
    }

    private mutating func readAtomPrimitive() throws(SMARTSError) -> AtomQuery {
        let start = index
        let byte = bytes[index]
        let next: UInt8 = index + 1 < bytes.count ? bytes[index + 1] : 0
        if SMARTSReader.isDigit(byte) { return .isotope(readNumber() ?? 0) }
        index += 1
        switch byte {
        case UInt8(ascii: "*"): return .any
        case UInt8(ascii: "#"):
            guard let number = readNumber(), number <= 118 else { throw error(at: start, "'#' needs an atomic number") }
            return .atomicNumber(UInt8(number))
        case UInt8(ascii: "$"):
            return try readRecursive(at: start)
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = byte == UInt8(ascii: "+") ? 1 : -1
            if let magnitude = readNumber() { return .charge(sign * magnitude) }
            var magnitude = 1
            while index < bytes.count, bytes[index] == byte {
                magnitude += 1
                index += 1
            }
            return .charge(sign * magnitude)
        case UInt8(ascii: "@"):
            // Stereo marks do not take part in matching.
            while index < bytes.count, bytes[index] == UInt8(ascii: "@") || bytes[index] == UInt8(ascii: "?") { index += 1 }
            return .any
        case UInt8(ascii: ":"):
            guard readNumber() != nil else { throw error(at: start, "':' needs an atom map number") }
            return .any
        case UInt8(ascii: "H"):
            if !SMARTSReader.isLowercase(next) { return .totalHydrogens(readNumber() ?? 1) }
        case UInt8(ascii: "h"): return .implicitHydrogens(readNumber())
        case UInt8(ascii: "D"):
            if next == UInt8(ascii: "b") || next == UInt8(ascii: "s") || next == UInt8(ascii: "y") { break }
            return .degree(readNumber() ?? 1)
        case UInt8(ascii: "X"):
            if !SMARTSReader.isLowercase(next) { return .totalDegree(readNumber() ?? 1) }
        case UInt8(ascii: "v"): return .valence(readNumber() ?? 1)
        case UInt8(ascii: "R"):
            if !SMARTSReader.isLowercase(next) { return .ringMembership(readNumber()) }
        case UInt8(ascii: "r"): return .ringSize(readNumber())
        case UInt8(ascii: "x"): return .ringConnectivity(readNumber())
        case UInt8(ascii: "a"):
            if next == UInt8(ascii: "s") { index += 1; return .element(33, aromatic: true) }
            return .aromatic
        case UInt8(ascii: "A"):
            if !SMARTSReader.isLowercase(next) { return .aliphatic }
        case UInt8(ascii: "c"): return .element(6, aromatic: true)
        case UInt8(ascii: "n"): return .element(7, aromatic: true)
        case UInt8(ascii: "o"): return .element(8, aromatic: true)
        case UInt8(ascii: "p"): return .element(15, aromatic: true)
        case UInt8(ascii: "b"): return .element(5, aromatic: true)
        case UInt8(ascii: "s"):
            if next == UInt8(ascii: "e") { index += 1; return .element(34, aromatic: true) }
            return .element(16, aromatic: true)
        case UInt8(ascii: "t"):
            if next == UInt8(ascii: "e") { index += 1; return .element(52, aromatic: true) }
        default: break
        }
        // An uppercase element symbol, one or two letters; two when that spells an element.
        index = start
        guard byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") else {
            throw error(at: start, "unexpected '\(SMARTSReader.printable(byte))' in bracket atom")
        }
        if SMARTSReader.isLowercase(next), let element = Element.lookup(upper: byte, lower: next) {
            index += 2
            return .element(element.rawAtomicNumber, aromatic: false)
        }
        guard let element = Element.lookup(upper: byte, lower: 0) else {
            throw error(at: start, "unknown element '\(SMARTSReader.printable(byte))'")
        }
        index += 1
        return .element(element.rawAtomicNumber, aromatic: false)
    }

    private mutating func readRecursive(at start: Int) throws(SMARTSError) -> AtomQuery {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "(") else {
            throw error(at: start, "'$' must be followed by '('")
        }
        var depth = 0
        var end = index
        while end < bytes.count {
            if bytes[end] == UInt8(ascii: "(") { depth += 1 }
            if bytes[end] == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { break }
            }
            end += 1
        }
        guard end < bytes.count else { throw error(at: start, "unclosed '$('") }
        let inner = Array(bytes[(index + 1)..<end])
        var reader = SMARTSReader(bytes: inner, origin: origin + index + 1, nesting: nesting + 1)
        let (atoms, bonds) = try reader.read()
        index = end + 1
        // `$([C&H2])` is the same test as `[C&H2]`: no search needed.
        if atoms.count == 1, bonds.isEmpty { return atoms[0] }
        return .recursive(SMARTSPattern(atoms: atoms, bonds: bonds))
    }

    // MARK: Helpers

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isLowercase(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }

    private static func printable(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? String(UnicodeScalar(byte)) : "0x" + String(byte, radix: 16)
    }

    private func error(at offset: Int, _ message: String) -> SMARTSError {
        SMARTSError(at: origin + offset, "\(message) at position \(origin + offset)")
    }
}
