// The steps that turn a freshly read graph into a usable molecule, in RDKit's order
// (MolOps::sanitizeMol): normalise charge-separated groups, turn over-bonded ligand bonds to
// metals into dative bonds, check valences and add implicit hydrogens, then kekulise.
extension Molecule {
    /// Completes a molecule read from SMILES.
    ///
    /// - Parameter atomPositions: the byte offset of every atom, for error messages.
    mutating func perceive(atomPositions: [Int32]) throws(SMILESError) {
        var hasAromatic = false
        var hasMetal = false
        var hasHypervalentCandidate = false
        for atom in atoms {
            hasAromatic = hasAromatic || atom.isAromatic
            hasMetal = hasMetal || atom.element.isMetal
            switch atom.element.rawAtomicNumber {
            case 7, 15, 17, 35, 53: hasHypervalentCandidate = true
            default: break
            }
        }
        if hasHypervalentCandidate { separateCharges() }
        if hasMetal { makeOverbondedMetalBondsDative() }
        for index in atoms.indices {
            let (valence, aromatic) = valenceState(of: index)
            atoms[index].storedValence = UInt8(clamping: valence)
            try checkExplicitValence(of: index, valence: valence, position: atomPositions[index])
            guard !atoms[index].isBracketAtom else { continue }
            let hydrogens = try implicitHydrogens(
                of: index, explicitValence: valence, isAromatic: aromatic, position: atomPositions[index])
            atoms[index].storedImplicitHydrogens = UInt8(clamping: hydrogens)
        }
        if !hasAromatic {
            hasAromatic = bonds.contains { $0.order == .aromatic }
        }
        // RDKit reads `c$c` in a ring but can write no Kekulé form of it; such input is refused
        // here rather than carried into results that cannot be written back (a deliberate
        // difference, found by fuzzing).
        if hasAromatic {
            for bond in bonds where bond.order == .quadruple && (isAromaticAtom(bond.begin) || isAromaticAtom(bond.end)) {
                let atom = isAromaticAtom(bond.begin) ? bond.begin : bond.end
                throw SMILESError(
                    .invalidValence, at: Int(atomPositions[atom]),
                    "aromatic atom at position \(atomPositions[atom]) cannot take a quadruple bond ('$')")
            }
        }
        if hasAromatic { try kekulize(atomPositions: atomPositions) }
    }

    /// Rejects ring bonds that repeat a bond already present between the same two atoms.
    func checkRingBonds(_ closures: [SMILESReader.RingBondPosition]) throws(SMILESError) {
        for closure in closures {
            let bond = bonds[Int(closure.bond)]
            for neighbor in neighbors(of: bond.begin)
            where neighbor.storedAtom == bond.storedEnd && neighbor.storedBond < closure.bond {
                throw SMILESError(
                    .invalidRingBond, at: Int(closure.position),
                    "ring bond \(closure.number) at position \(closure.position) repeats an existing bond between the same two atoms"
                )
            }
        }
    }

    /// Whether RDKit treats the atom as aromatic: written in lowercase, or on an aromatic bond.
    func isAromaticAtom(_ index: Int) -> Bool {
        if atoms[index].isAromatic { return true }
        for neighbor in neighbors(of: index) where bonds[neighbor.bond].order == .aromatic {
            return true
        }
        return false
    }

    /// Replaces a bond's order (and its Kekulé order) in place.
    mutating func setOrder(of bond: Int, to order: Bond.Order) {
        bonds[bond].order = order
        bonds[bond].kekuleOrder = order
    }
}
