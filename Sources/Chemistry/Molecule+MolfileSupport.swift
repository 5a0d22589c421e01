// Helpers the molfile reader needs beyond what SMILES reading uses.
extension Atom {
    /// The same atom with another isotope.
    func replacingIsotope(_ isotope: UInt16) -> Atom {
        var copy = Atom(
            element: element, isotope: isotope, charge: storedCharge, bracketHydrogens: storedBracketHydrogens,
            isAromatic: isAromatic, isBracketAtom: isBracketAtom, chirality: chirality, atomClass: storedAtomClass)
        copy.storedImplicitHydrogens = storedImplicitHydrogens
        return copy
    }

    /// The atom with its aromatic flag set from its bonds, and fixed hydrogens when the molfile
    /// says so: a radical takes no implicit hydrogens, and a valence field (15 meaning zero)
    /// fixes the hydrogens to what the valence leaves.
    func fixingHydrogens(aromatic: Bool, radical: Bool, valence: Int, bondValence: Int) -> Atom {
        let fixed = radical || valence != 0
        let hydrogens = valence == 0 || valence == 15 ? 0 : max(0, valence - bondValence)
        return Atom(
            element: element, isotope: storedIsotope, charge: storedCharge,
            bracketHydrogens: fixed ? UInt8(clamping: hydrogens) : 0, isAromatic: aromatic, isBracketAtom: fixed,
            chirality: chirality, atomClass: storedAtomClass)
    }
}

extension Molecule {
    /// Rejects two bonds between the same pair of atoms.
    func checkDuplicateBonds() throws(SMILESError) {
        var seen = Set<UInt64>()
        for bond in bonds {
            let low = UInt64(min(bond.begin, bond.end))
            let high = UInt64(max(bond.begin, bond.end))
            guard seen.insert(low << 32 | high).inserted else {
                throw SMILESError(
                    .invalidRingBond, at: bond.begin,
                    "atoms \(bond.begin + 1) and \(bond.end + 1) are joined by more than one bond")
            }
        }
    }

    /// The molecule with plain hydrogen atoms (no isotope, no charge, one single bond to a
    /// non-hydrogen atom) removed and counted on their neighbours instead, as RDKit's
    /// `RemoveHs` does.
    func foldingHydrogenAtoms() -> Molecule {
        var removable = [Bool](repeating: false, count: atoms.count)
        var any = false
        for (index, atom) in atoms.enumerated()
        where atom.element == .hydrogen && atom.isotope == 0 && atom.charge == 0 && degree(of: index) == 1 {
            let neighbor = neighbors(of: index)[neighbors(of: index).startIndex]
            guard bonds[neighbor.bond].order == .single, atoms[neighbor.atom].element != .hydrogen else { continue }
            removable[index] = true
            any = true
        }
        guard any else { return self }
        var newIndex = [Int32](repeating: -1, count: atoms.count)
        var kept: [Atom] = []
        for (index, atom) in atoms.enumerated() where !removable[index] {
            newIndex[index] = Int32(kept.count)
            kept.append(atom)
        }
        var keptBonds: [Bond] = []
        for bond in bonds {
            if removable[bond.begin] {
                let parent = Int(newIndex[bond.end])
                kept[parent].storedBracketHydrogens &+= 1
                continue
            }
            if removable[bond.end] {
                let parent = Int(newIndex[bond.begin])
                kept[parent].storedBracketHydrogens &+= 1
                continue
            }
            var copy = bond
            copy.reindex(begin: newIndex[bond.begin], end: newIndex[bond.end])
            keptBonds.append(copy)
        }
        return Molecule(atoms: kept, bonds: keptBonds)
    }
}

extension Bond {
    /// Points the bond at renumbered atoms.
    mutating func reindex(begin: Int32, end: Int32) {
        self = Bond(copying: self, begin: begin, end: end)
    }

    private init(copying bond: Bond, begin: Int32, end: Int32) {
        storedBegin = begin
        storedEnd = end
        order = bond.order
        kekuleOrder = bond.kekuleOrder
        direction = bond.direction
    }
}
