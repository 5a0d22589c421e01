// Valence data behind hydrogen perception. The conventions follow RDKit's valence model
// so that implicit hydrogen counts, and therefore formulas and weights, agree with it.
extension Element {
    /// How many allowed valences the table lists for this element (1 to 4).
    var valenceCount: Int { Int(facts.valenceCount) }

    /// The allowed valence in the given slot (0 to 3), lowest first; -1 means "any higher".
    func valence(_ slot: Int) -> Int {
        switch slot {
        case 0: Int(facts.valences.0)
        case 1: Int(facts.valences.1)
        case 2: Int(facts.valences.2)
        default: Int(facts.valences.3)
        }
    }

    /// The first allowed valence, or -1 when the element accepts any valence (most metals).
    var defaultValence: Int { Int(facts.valences.0) }

    /// The last entry of the valence list; -1 when there is no upper bound.
    var lastValence: Int { Int(facts.lastValence) }

    /// Whether the element has a valence list at all (metals in the d and f blocks do not).
    var hasSpecifiedValences: Bool { facts.valenceCount > 1 || facts.valences.0 != -1 }

    /// Whether the element sits left of carbon in its period, where adding a negative
    /// charge raises the valence (B⁻ behaves like C) instead of lowering it.
    var isEarly: Bool { facts.isEarly }

    /// Whether the element counts as a metal when deciding on dative bonds.
    var isMetal: Bool { facts.isMetal }

    private var facts: ValenceFacts { ValenceFacts.table[Int(rawAtomicNumber)] }
}

/// Everything the valence model asks about one element, gathered in one place so that hot
/// loops look it up once.
private struct ValenceFacts {
    var valences: (Int8, Int8, Int8, Int8)
    var valenceCount: UInt8
    var lastValence: Int8
    var isEarly: Bool
    var isMetal: Bool

    static let table: [ValenceFacts] = (0...ElementTable.maximumAtomicNumber).map { number in
        let count = Int(ElementTable.valenceCounts[number])
        let slots = (0..<4).map { ElementTable.valences[number * 4 + $0] }
        return ValenceFacts(
            valences: (slots[0], slots[1], slots[2], slots[3]), valenceCount: UInt8(count),
            lastValence: slots[count - 1], isEarly: earlyElements.contains(number),
            isMetal: !nonMetals.contains(number))
    }

    // RDKit's list of "early" atoms: groups 1 to 3 plus a few heavier main-group and
    // lanthanide/actinide entries whose common charges behave the same way.
    private static let earlyElements: Set<Int> = Set(
        [3, 4, 5, 11, 12, 13, 19, 20, 21, 22, 30, 31, 32, 37, 38, 39, 40, 41, 48, 49, 50, 51]
            + [55, 56, 57, 58, 59, 60, 61, 72, 73, 80, 81, 82, 83, 87, 88, 89, 90, 91, 92, 93]
            + Array(104...118))

    // The non-metals of MarvinSketch's "M" query, which RDKit uses; the wildcard counts too.
    private static let nonMetals: Set<Int> = [
        0, 1, 2, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 33, 34, 35, 36, 52, 53, 54, 85, 86,
    ]
}
