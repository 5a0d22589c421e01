// Kekulisation decides which aromatic ring atoms need a double bond, then pairs them up
// along aromatic ring bonds. The choice of atoms follows RDKit's markDbondCands so that we
// accept and reject the same inputs; the pairing is an exact maximum matching, where RDKit
// searches with bounded backtracking.
extension Molecule {
    /// Checks that aromatic atoms sit in rings and assigns a Kekulé structure.
    ///
    /// - Throws: ``SMILESError/Code/aromaticAtomOutsideRing`` or
    ///   ``SMILESError/Code/cannotKekulize``.
    mutating func kekulize(atomPositions: [Int32]) throws(SMILESError) {
        let isRingBond = ringBondFlags()
        var state = KekuleState(atomCount: atoms.count)
        var hasOptional = false
        for index in atoms.indices {
            var ringBonds = 0
            for neighbor in neighbors(of: index) where isRingBond[neighbor.bond] { ringBonds += 1 }
            if ringBonds == 0 {
                if atoms[index].isAromatic {
                    throw SMILESError(
                        .aromaticAtomOutsideRing, at: Int(atomPositions[index]),
                        "aromatic atom at position \(atomPositions[index]) is not in a ring")
                }
                continue
            }
            let (role, singleBondSum) = doubleBondRole(of: index, isRingBond: isRingBond)
            state.setRingAtom(index, role: role, singleBondSum: singleBondSum)
            hasOptional = hasOptional || role == .optional
        }
        if hasOptional || !pairGreedily(state: &state, isRingBond: isRingBond) {
            try matchExactly(state: &state, isRingBond: isRingBond, atomPositions: atomPositions)
        }
        for index in bonds.indices {
            let bond = bonds[index]
            if state.mate(of: bond.begin) == bond.storedEnd {
                bonds[index].kekuleOrder = .double
            } else if bond.order == .aromatic, state.isRingAtom(bond.begin) || state.isRingAtom(bond.end) {
                // RDKit leaves an aromatic bond between two chain atoms (C:C) aromatic.
                bonds[index].kekuleOrder = .single
            }
        }
        try settleValencesAfterKekulization(atomPositions: atomPositions, state: state)
    }

    /// Pairs required atoms along aromatic ring bonds in SMILES order, which settles most
    /// written rings at once. Returns whether every required atom found a partner.
    private func pairGreedily(state: inout KekuleState, isRingBond: [Bool]) -> Bool {
        var complete = true
        for index in atoms.indices where state.role(of: index) == .required && state.mate(of: index) < 0 {
            for neighbor in neighbors(of: index)
            where isRingBond[neighbor.bond] && bonds[neighbor.bond].order == .aromatic
                && state.role(of: neighbor.atom) == .required && state.mate(of: neighbor.atom) < 0
            {
                state.pair(index, neighbor.atom)
                break
            }
            complete = complete && state.mate(of: index) >= 0
        }
        return complete
    }

    /// Finds a pairing with the blossom algorithm, or throws when none exists.
    private func matchExactly(state: inout KekuleState, isRingBond: [Bool], atomPositions: [Int32])
        throws(SMILESError)
    {
        let roles = atoms.indices.map { state.role(of: $0) }
        var matching = KekuleMatching(roles: roles) { atom, visit in
            for neighbor in neighbors(of: atom) where isRingBond[neighbor.bond] {
                let other = neighbor.atom
                guard
                    bonds[neighbor.bond].order == .aromatic || atoms[atom].element.isWildcard
                        || atoms[other].element.isWildcard
                else { continue }
                visit(other)
            }
        }
        if let stranded = matching.solve() {
            throw SMILESError(
                .cannotKekulize, at: Int(atomPositions[stranded]),
                "cannot kekulise the aromatic system: the atom at position \(atomPositions[stranded]) gets no double bond"
            )
        }
        for index in atoms.indices {
            let mate = matching.mate(of: index)
            if mate > index { state.pair(index, mate) }
        }
    }

    /// Lowercase atoms on a ring made only of lowercase atoms and wildcards: those RDKit
    /// perceives as aromatic again, so their aromatic valences stand. This approximates
    /// RDKit's Hückel perception, which is not reproduced here.
    func aromaticRingAtoms() -> [Bool] {
        var included = [Bool](repeating: false, count: bonds.count)
        for (index, bond) in bonds.enumerated() {
            let begin = atoms[bond.begin]
            let end = atoms[bond.end]
            // A double bond written between two lowercase atoms (c=1) takes them out of the
            // aromatic system as RDKit perceives it.
            included[index] =
                (begin.isAromatic || begin.element.isWildcard) && (end.isAromatic || end.element.isWildcard)
                && bond.order != .double
        }
        let isAromaticRingBond = ringBondFlags(among: included)
        var result = [Bool](repeating: false, count: atoms.count)
        for (index, bond) in bonds.enumerated() where isAromaticRingBond[index] {
            result[bond.begin] = true
            result[bond.end] = true
        }
        return result
    }

    /// Whether a ring atom must, may or cannot take a double bond in the Kekulé structure.
    ///
    /// Also returns the atom's bond-order sum counting aromatic bonds as single (-1 when not
    /// computed), from which its Kekulé valence follows once the pairing is known.
    private func doubleBondRole(of index: Int, isRingBond: [Bool]) -> (role: KekuleMatching.Role, singleBondSum: Int) {
        let atom = atoms[index]
        let aromatic = isAromaticAtom(index)
        guard aromatic || atom.element.isWildcard else { return (.none, -1) }
        if atom.element.isWildcard {
            // RDKit lets a ring wildcard take a double bond or not, unless aliphatic ring atoms
            // it has already visited (in practice, earlier in the SMILES) hem it in.
            var ringBonds = 0
            var earlierAliphaticNeighbors = 0
            for neighbor in neighbors(of: index) where isRingBond[neighbor.bond] {
                ringBonds += 1
                let other = atoms[neighbor.atom]
                if neighbor.atom < index, !other.element.isWildcard, !other.isAromatic {
                    earlierAliphaticNeighbors += 1
                }
            }
            return (earlierAliphaticNeighbors < max(ringBonds - 1, 1) ? .optional : .none, -1)
        }
        var bondOrderSum = 0
        var zeroOrderBonds = 0
        for neighbor in neighbors(of: index) {
            let bond = bonds[neighbor.bond]
            if bond.order == .aromatic {
                bondOrderSum += 1
            } else {
                let contribution = bond.twiceValence(for: Int32(truncatingIfNeeded: index)) / 2
                bondOrderSum += contribution
                if contribution == 0 { zeroOrderBonds += 1 }
            }
        }
        let singleBondSum = bondOrderSum
        let hydrogens = atom.hydrogenCount
        bondOrderSum += hydrogens
        let element = atom.element
        var charge = atom.charge
        if element.isEarly { charge = -charge }
        if element == .carbon, charge > 0 { charge = -charge }
        var target = element.defaultValence + charge
        let totalValence = Int(atom.storedValence) + atom.implicitHydrogenCount
        let totalDegree = degree(of: index) + atom.implicitHydrogenCount - zeroOrderBonds
        var slot = 1
        while totalValence > target, slot < element.valenceCount, element.valence(slot) > 0 {
            target = element.valence(slot) + charge
            slot += 1
        }
        // Aromatic N-oxides written as O=n1ccccc1 take a double bond at valence 5.
        if totalValence == 5, bondOrderSum == 4, target == 3, totalDegree == 3, charge == 0, hydrogens == 0,
            element == .nitrogen || element == .phosphorus || element.rawAtomicNumber == 33
        {
            target = 5
        }
        guard totalDegree < target else { return (.none, singleBondSum) }
        if target == bondOrderSum + 1 { return (.required, singleBondSum) }
        // A bracket atom one short of a double bond could also be a radical, as in [c]1ccccc1.
        if atom.isBracketAtom, target == bondOrderSum + 2 { return (.required, singleBondSum) }
        return (.none, singleBondSum)
    }
}
