// Valence data behind hydrogen perception. The conventions follow RDKit's valence model
// so that implicit hydrogen counts, and therefore formulas and weights, agree with it.
extension Element {
    /// How many allowed valences the table lists for this element (1 to 4).
    var valenceCount: Int { Int(ElementTable.valenceCounts[Int(rawAtomicNumber)]) }

    /// The allowed valence in the given slot (0 to 3), lowest first; -1 means "any higher".
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
    ///
    /// RDKit's list: atomic numbers 3–5, 11–13, 19–22, 30–32, 37–41, 48–51, 55–61, 72, 73,
    /// 80–83, 87–93 and 104–118.
    var isEarly: Bool { Element.isMember(rawAtomicNumber, low: 0x3F8F_03E1_C078_3838, high: 0x7F_FF00_3F8F_0300) }

    /// Whether the element counts as a metal when deciding on dative bonds.
    ///
    /// Everything but MarvinSketch's non-metals, which RDKit uses: the wildcard, H, He, B, C,
    /// N, O, F, Ne, Si, P, S, Cl, Ar, As, Se, Br, Kr, Te, I, Xe, At and Rn.
    var isMetal: Bool { !Element.isMember(rawAtomicNumber, low: 0x70_001E_0007_C7E7, high: 0x60_0000) }

    // Membership in a set of atomic numbers given as a 128-bit mask, kept as constants so
    // that hot loops pay no lazy-initialisation check.
    private static func isMember(_ number: UInt8, low: UInt64, high: UInt64) -> Bool {
        number < 64 ? (low >> UInt64(number)) & 1 == 1 : (high >> UInt64(number &- 64)) & 1 == 1
    }
}
