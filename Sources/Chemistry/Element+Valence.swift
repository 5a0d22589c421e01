// Valence data behind hydrogen perception. The conventions follow RDKit's valence model
// so that implicit hydrogen counts, and therefore formulas and weights, agree with it.
extension Element {
    /// How many allowed valences the table lists for this element (1 to 4).
    var valenceCount: Int { Int(ElementTable.valenceCounts[Int(rawAtomicNumber)]) }

    /// The allowed valence in the given slot, lowest first; -1 means "any higher valence".
    func valence(_ slot: Int) -> Int {
        Int(ElementTable.valences[Int(rawAtomicNumber) &* 4 &+ slot])
    }

    /// The first allowed valence, or -1 when the element accepts any valence (most metals).
    var defaultValence: Int { valence(0) }

    /// The last entry of the valence list; -1 when there is no upper bound.
    var lastValence: Int { valence(valenceCount - 1) }

    /// Whether the element has a valence list at all (metals in the d and f blocks do not).
    var hasSpecifiedValences: Bool { valenceCount > 1 || valence(0) != -1 }

    /// Whether the element sits left of carbon in its period, where adding a negative
    /// charge raises the valence (B⁻ behaves like C) instead of lowering it.
    var isEarly: Bool { Element.earlyElements[Int(rawAtomicNumber)] }

    /// Whether the element counts as a metal when deciding on dative bonds.
    var isMetal: Bool { !Element.nonMetals[Int(rawAtomicNumber)] }

    // RDKit's list of "early" atoms: groups 1 to 3 plus a few heavier main-group and
    // lanthanide/actinide entries whose common charges behave the same way.
    private static let earlyElements: [Bool] = membershipTable(
        [3, 4, 5, 11, 12, 13, 19, 20, 21, 22, 30, 31, 32, 37, 38, 39, 40, 41, 48, 49, 50, 51]
            + [55, 56, 57, 58, 59, 60, 61, 72, 73, 80, 81, 82, 83, 87, 88, 89, 90, 91, 92, 93]
            + Array(104...118)
    )

    // The non-metals of MarvinSketch's "M" query, which RDKit uses; the wildcard counts too.
    private static let nonMetals: [Bool] = membershipTable(
        [0, 1, 2, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 33, 34, 35, 36, 52, 53, 54, 85, 86]
    )

    private static func membershipTable(_ members: [Int]) -> [Bool] {
        var table = [Bool](repeating: false, count: ElementTable.maximumAtomicNumber + 1)
        for number in members { table[number] = true }
        return table
    }
}
