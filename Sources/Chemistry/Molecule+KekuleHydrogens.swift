// Once aromatic bonds have Kekulé orders RDKit checks valences again and recomputes hydrogen
// counts (the last updatePropertyCache of sanitizeMol), and those are the counts its formula
// and weight use. Rings it does not perceive as aromatic are then counted bond by bond: an
// aromatic `s` with three single bonds carries a hydrogen, and `n2=NCCN2` is over-valent.
extension Molecule {
    /// Re-checks and re-counts every atom that is aromatic or sits on a kekulised bond.
    ///
    /// Organic-subset atoms get the hydrogens their Kekulé valence leaves room for, unless
    /// they lie on a ring RDKit perceives as aromatic again (see ``aromaticRingAtoms()``). An
    /// aromatic `[nH]` or `[pH]` keeps its written hydrogen when the Kekulé structure has room
    /// for exactly one, and loses it otherwise, as RDKit does.
    ///
    /// - Parameter state: the pairing, which gives ring atoms' Kekulé valences.
    mutating func settleValencesAfterKekulization(atomPositions: [Int32], state: KekuleState) throws(SMILESError) {
        var keepsAromaticity: [Bool]?
        // Aromatic bonds on uppercase atoms (O:c) are rare; skip looking for them otherwise.
        let hasAromaticBondOnAliphaticAtom = bonds.contains { bond in
            bond.order == .aromatic && !(atoms[bond.begin].isAromatic && atoms[bond.end].isAromatic)
        }
        for index in atoms.indices {
            let atom = atoms[index]
            guard atom.isAromatic || (hasAromaticBondOnAliphaticAtom && hasOnlyKekulizedAromaticBonds(index)) else {
                continue
            }
            let known = state.kekuleValence(of: index)
            let bondValence = known >= 0 ? known : kekuleBondValence(of: index)
            let number = atom.element.rawAtomicNumber
            if atom.isAromatic, atom.isBracketAtom, number == 7 || number == 15, atom.storedCharge == 0,
                atom.storedBracketHydrogens == 1
            {
                let hydrogens = nonAromaticImplicitHydrogens(of: atom, explicitValence: bondValence)
                if hydrogens != 1 {
                    atoms[index].storedBracketHydrogens = 0
                    atoms[index].storedImplicitHydrogens = UInt8(clamping: hydrogens)
                }
            }
            let current = atoms[index]
            let valence = bondValence + Int(current.storedBracketHydrogens)
            let hydrogens =
                current.isBracketAtom
                ? current.implicitHydrogenCount : nonAromaticImplicitHydrogens(of: current, explicitValence: valence)
            let agrees =
                exceededMaximum(of: current, valence: valence) == nil && hydrogens == current.implicitHydrogenCount
            if agrees { continue }
            // Only a disagreement needs to know whether RDKit keeps this ring aromatic.
            if current.isAromatic {
                if keepsAromaticity == nil { keepsAromaticity = aromaticRingAtoms() }
                if keepsAromaticity?[index] == true { continue }
            }
            try checkExplicitValence(of: index, valence: valence, position: atomPositions[index])
            atoms[index].storedImplicitHydrogens = UInt8(clamping: hydrogens)
        }
    }

    /// The sum of Kekulé bond orders at an atom (bracket hydrogens not included).
    private func kekuleBondValence(of index: Int) -> Int {
        let atomIndex = Int32(truncatingIfNeeded: index)
        var twice = 0
        for neighbor in neighbors(of: index) {
            var bond = bonds[neighbor.bond]
            bond.order = bond.kekuleOrder
            twice += bond.twiceValence(for: atomIndex)
        }
        return (twice + 1) / 2
    }

    /// Whether the atom has aromatic bonds and all of them received a Kekulé order.
    private func hasOnlyKekulizedAromaticBonds(_ index: Int) -> Bool {
        var found = false
        for neighbor in neighbors(of: index) where bonds[neighbor.bond].order == .aromatic {
            guard bonds[neighbor.bond].kekuleOrder != .aromatic else { return false }
            found = true
        }
        return found
    }
}
