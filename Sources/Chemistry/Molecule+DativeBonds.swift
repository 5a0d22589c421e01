// Ligands are often drawn with plain single bonds to a metal, which leaves the ligand atom
// over its valence (a pyridine N with four bonds). RDKit turns one such bond into a dative
// bond from the ligand to the metal (MolOps::cleanUpOrganometallics); we do the same.
extension Molecule {
    /// Turns one single bond to a metal into a dative bond on each over-bonded non-metal.
    mutating func makeOverbondedMetalBondsDative() {
        for index in atoms.indices where isOverbondedNonMetal(index) {
            var chosen: Neighbor?
            var chosenDativeCount = Int.max
            for neighbor in neighbors(of: index)
            where bonds[neighbor.bond].order == .single && atoms[neighbor.atom].element.isMetal {
                let count = dativeBondCount(of: neighbor.atom)
                if count < chosenDativeCount {
                    chosen = neighbor
                    chosenDativeCount = count
                }
            }
            guard let chosen else { continue }
            let old = bonds[chosen.bond]
            bonds[chosen.bond] = Bond(
                begin: Int32(truncatingIfNeeded: index), end: chosen.storedAtom, order: .dative,
                direction: old.direction)
        }
    }

    private func isOverbondedNonMetal(_ index: Int) -> Bool {
        let atom = atoms[index]
        switch atom.element.rawAtomicNumber {
        case 1, 2, 9, 10: return false
        default: break
        }
        guard !atom.element.isMetal else { return false }
        let isoelectronic = atom.atomicNumber - atom.charge
        guard isoelectronic > 0, let effective = Element(atomicNumber: isoelectronic) else { return false }
        let maximum = effective.lastValence
        let valence = explicitValence(of: index)
        // Only octet-rule atoms qualify: a valence above 4 is left to fail the valence check.
        return maximum > 0 && valence > maximum && valence <= 4
    }

    private func dativeBondCount(of index: Int) -> Int {
        var count = 0
        for neighbor in neighbors(of: index) where bonds[neighbor.bond].order == .dative { count += 1 }
        return count
    }
}
