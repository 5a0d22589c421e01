// Symbol lookup straight from ASCII bytes, so the SMILES reader never builds a String
// for an element symbol.
extension Element {
    /// The element spelled by an uppercase letter and an optional lowercase letter.
    ///
    /// - Parameters:
    ///   - upper: an ASCII uppercase letter.
    ///   - lower: an ASCII lowercase letter, or 0 for a one-letter symbol.
    static func lookup(upper: UInt8, lower: UInt8) -> Element? {
        guard upper >= UInt8(ascii: "A"), upper <= UInt8(ascii: "Z") else { return nil }
        var column = 0
        if lower != 0 {
            guard lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "z") else { return nil }
            column = Int(lower - UInt8(ascii: "a")) + 1
        }
        let number = symbolIndex[Int(upper - UInt8(ascii: "A")) * 27 + column]
        return number == notAnElement ? nil : Element(unchecked: number)
    }

    /// The element for one of the retired three-letter placeholder names (`Uub` to `Uuo`),
    /// which RDKit still reads; `third` is the final lowercase letter.
    static func lookupPlaceholder(third: UInt8) -> Element? {
        switch third {
        case UInt8(ascii: "b"): Element(unchecked: 112)
        case UInt8(ascii: "t"): Element(unchecked: 113)
        case UInt8(ascii: "q"): Element(unchecked: 114)
        case UInt8(ascii: "p"): Element(unchecked: 115)
        case UInt8(ascii: "h"): Element(unchecked: 116)
        case UInt8(ascii: "s"): Element(unchecked: 117)
        case UInt8(ascii: "o"): Element(unchecked: 118)
        default: nil
        }
    }

    private static let notAnElement: UInt8 = .max

    // 26 uppercase letters by 27 columns: column 0 is "no second letter", then a to z.
    private static let symbolIndex: [UInt8] = {
        var table = [UInt8](repeating: notAnElement, count: 26 * 27)
        for (number, symbol) in ElementTable.symbols.enumerated() where number > 0 {
            let bytes = Array(symbol.utf8)
            let row = Int(bytes[0] - UInt8(ascii: "A")) * 27
            let column = bytes.count > 1 ? Int(bytes[1] - UInt8(ascii: "a")) + 1 : 0
            table[row + column] = UInt8(number)
        }
        return table
    }()
}
