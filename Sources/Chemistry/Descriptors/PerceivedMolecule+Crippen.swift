// Wildman–Crippen logP and molar refractivity (Wildman & Crippen, J. Chem. Inf. Comput. Sci.
// 1999, 39, 868), as RDKit's `CalcCrippenDescriptors` computes them: every atom, hydrogens
// included, takes the first type of the table whose SMARTS matches it as the pattern's first
// atom; an atom no type matches contributes nothing.
//
// RDKit first makes every hydrogen an atom of its own. Doing the same here would double the
// atoms to type, so hydrogens are typed from their heavy atom instead: a hydrogen row such as
// `[#1]O[CX4,c]` applies when `O[CX4,c]` matches rooted at the heavy atom, and all hydrogens
// of one atom share a type. The heavy-atom rows never let a pattern atom stand for a hydrogen
// (they say `!#1` wherever a hydrogen could otherwise match), so they give the same types on
// either graph.
extension PerceivedMolecule {
    /// Wildman–Crippen logP and molar refractivity, RDKit's `Descriptors.MolLogP` and `MolMR`.
    public var crippenContributions: (logP: Double, molarRefractivity: Double) {
        let types = CrippenTable.types
        let patterns = DescriptorPatterns.crippenTypes
        var logP = 0.0
        var refractivity = 0.0
        for atom in 0..<atomCount {
            for index in DescriptorPatterns.crippenCandidates[Int(atomicNumbers[atom])]
            where patterns[index].matches(in: self, rootedAt: atom) {
                logP += types[index].logP
                refractivity += types[index].mr
                break
            }
            let hydrogens = molecule.atoms[atom].hydrogenCount
            guard hydrogens > 0 else { continue }
            let type = types[CrippenHydrogens.type(ofHydrogensOn: atom, in: self)]
            logP += Double(hydrogens) * type.logP
            refractivity += Double(hydrogens) * type.mr
        }
        return (logP, refractivity)
    }
}

/// The hydrogen rows of the Crippen table, restated as patterns on the heavy atom.
enum CrippenHydrogens {
    /// One hydrogen row: its index in the table, the row without its hydrogen (rooted at the
    /// heavy atom), and whether the row's second atom may be another hydrogen of the same
    /// heavy atom (`[#1]O[!#6;!#7;!#8;!#16]` types the hydrogens of water).
    struct Row: Sendable {
        let index: Int
        let parent: SMARTSPattern?
        let siblingHydrogen: Bool
    }

    static let rows: [Row] = {
        var rows: [Row] = []
        for (index, type) in CrippenTable.types.enumerated() {
            let storage = DescriptorPatterns.crippenTypes[index].storage
            guard storage.rootElement == 1 else { continue }
            guard storage.atoms.count > 1 else {
                rows.append(Row(index: index, parent: nil, siblingHydrogen: false))
                continue
            }
            // Drop the hydrogen (atom 0); its one neighbour, atom 1, becomes the root.
            let atoms = Array(storage.atoms.dropFirst())
            let bonds = storage.bonds.filter { $0.begin != 0 && $0.end != 0 }.map {
                QueryBond(begin: $0.begin - 1, end: $0.end - 1, query: $0.query)
            }
            precondition(storage.bonds.count == bonds.count + 1, "Crippen row \(type.label) is not [#1] on one atom")
            let sibling = atoms.count == 2 && AtomFilter.of(atoms[1]).admits(element: 1, aromatic: false)
            rows.append(Row(index: index, parent: SMARTSPattern(atoms: atoms, bonds: bonds), siblingHydrogen: sibling))
        }
        return rows
    }()

    /// The table index of the type of the hydrogens attached to `atom`.
    static func type(ofHydrogensOn atom: Int, in molecule: PerceivedMolecule) -> Int {
        for row in rows {
            guard let parent = row.parent else { return row.index }
            if parent.matches(in: molecule, rootedAt: atom) { return row.index }
            if row.siblingHydrogen, molecule.totalHydrogens[atom] >= 2,
                parent.storage.filters[0].admits(
                    element: molecule.atomicNumbers[atom], aromatic: molecule.isAromaticAtom[atom]),
                parent.rootMatchesAlone(in: molecule, atom: atom)
            {
                return row.index
            }
        }
        return rows.last?.index ?? 0
    }
}
