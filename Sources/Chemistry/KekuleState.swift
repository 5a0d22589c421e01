/// Per-atom kekulisation state in one buffer: ring membership and role, the bond-order sum
/// counting aromatic bonds as single, and the paired atom.
struct KekuleState {
    // Three Int32 per atom: role (-1 for atoms outside rings), single-bond sum (-1 when not
    // computed), mate (-1 when unpaired).
    private var values: [Int32]

    init(atomCount: Int) {
        values = [Int32](repeating: -1, count: atomCount * 3)
    }

    mutating func setRingAtom(_ atom: Int, role: KekuleMatching.Role, singleBondSum: Int) {
        values[atom * 3] = Int32(role.rawValue)
        values[atom * 3 + 1] = Int32(truncatingIfNeeded: singleBondSum)
    }

    func isRingAtom(_ atom: Int) -> Bool { values[atom * 3] >= 0 }

    func role(of atom: Int) -> KekuleMatching.Role {
        let raw = values[atom * 3]
        return raw < 0 ? .none : KekuleMatching.Role(rawValue: UInt8(raw)) ?? .none
    }

    func mate(of atom: Int) -> Int32 { values[atom * 3 + 2] }

    mutating func pair(_ first: Int, _ second: Int) {
        values[first * 3 + 2] = Int32(truncatingIfNeeded: second)
        values[second * 3 + 2] = Int32(truncatingIfNeeded: first)
    }

    /// The Kekulé bond-order sum of a ring atom whose roles were computed, else -1.
    func kekuleValence(of atom: Int) -> Int {
        let sum = Int(values[atom * 3 + 1])
        guard sum >= 0 else { return -1 }
        return sum + (mate(of: atom) >= 0 ? 1 : 0)
    }
}
