// Wildman–Crippen logP and molar refractivity (Wildman & Crippen, J. Chem. Inf. Comput. Sci.
// 1999, 39, 868), as RDKit's `CalcCrippenDescriptors` computes them: hydrogens become atoms of
// their own, then every atom takes the first type of the table whose SMARTS matches it as the
// pattern's first atom; an atom no type matches contributes nothing.
extension PerceivedMolecule {
    /// Wildman–Crippen logP and molar refractivity, RDKit's `Descriptors.MolLogP` and `MolMR`.
    public var crippenContributions: (logP: Double, molarRefractivity: Double) {
        let withHydrogens = PerceivedMolecule(explicitHydrogensOf: self)
        let types = CrippenTable.types
        let patterns = DescriptorPatterns.crippenTypes
        var logP = 0.0
        var refractivity = 0.0
        for atom in 0..<withHydrogens.atomCount {
            for (index, pattern) in patterns.enumerated() where pattern.matches(in: withHydrogens, rootedAt: atom) {
                logP += types[index].logP
                refractivity += types[index].mr
                break
            }
        }
        return (logP, refractivity)
    }
}

extension PerceivedMolecule {
    /// The same molecule with every attached hydrogen turned into an atom of its own, appended
    /// after the existing atoms in the order of their heavy atoms (RDKit's `AddHs`). Rings
    /// and aromaticity carry over unchanged.
    init(explicitHydrogensOf source: PerceivedMolecule) {
        var atoms = source.molecule.atoms
        var bonds = source.molecule.bonds
        var aromatic = source.isAromaticAtom
        var orders = source.bondOrders
        for index in source.molecule.atoms.indices {
            let count = atoms[index].hydrogenCount
            guard count > 0 else { continue }
            atoms[index].storedValence &+= atoms[index].storedImplicitHydrogens
            atoms[index].storedBracketHydrogens = 0
            atoms[index].storedImplicitHydrogens = 0
            for _ in 0..<count {
                var hydrogen = Atom(element: .hydrogen, isAromatic: false, isBracketAtom: true)
                hydrogen.storedValence = 1
                atoms.append(hydrogen)
                bonds.append(
                    Bond(
                        begin: Int32(truncatingIfNeeded: index), end: Int32(truncatingIfNeeded: atoms.count - 1),
                        order: .single, direction: .none))
                aromatic.append(false)
                orders.append(.single)
            }
        }
        self.init(
            molecule: Molecule(atoms: atoms, bonds: bonds), isAromaticAtom: aromatic, bondOrders: orders,
            rings: source.rings, ringAtoms: source.ringAtoms)
    }
}
