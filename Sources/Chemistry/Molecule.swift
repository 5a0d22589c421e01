/// A molecule graph: atoms, bonds and each atom's neighbours.
///
/// Build one with ``SMILESParser``. Atoms and bonds are indexed from 0 in the order the
/// SMILES wrote them (ring-closure bonds follow the chain bond that precedes them). A
/// molecule read from SMILES has passed valence checks and Kekulé assignment, and carries
/// its implicit hydrogens, so it is ready for descriptors such as ``formula``.
public struct Molecule: Sendable, Hashable {
    /// The atoms, in SMILES order.
    public internal(set) var atoms: [Atom]
    /// The bonds, in SMILES order.
    public internal(set) var bonds: [Bond]

    // Compressed adjacency: the neighbours of atom i are entries[offsets[i] ..< offsets[i + 1]].
    let neighborOffsets: [Int32]
    let neighborEntries: [Neighbor]

    /// One neighbour of an atom: the atom across a bond, and that bond.
    public struct Neighbor: Sendable, Hashable {
        let storedAtom: Int32
        let storedBond: Int32

        /// Index of the neighbouring atom.
        public var atom: Int { Int(storedAtom) }
        /// Index of the bond that joins the two atoms.
        public var bond: Int { Int(storedBond) }
    }

    init(atoms: [Atom], bonds: [Bond]) {
        self.atoms = atoms
        self.bonds = bonds
        // Count degrees one slot ahead, fill using the slots as cursors, then shift back.
        var offsets = [Int32](repeating: 0, count: atoms.count + 2)
        for bond in bonds {
            offsets[Int(bond.storedBegin) + 2] &+= 1
            offsets[Int(bond.storedEnd) + 2] &+= 1
        }
        for index in 0..<atoms.count {
            offsets[index + 2] &+= offsets[index + 1]
        }
        var entries = [Neighbor](repeating: Neighbor(storedAtom: 0, storedBond: 0), count: bonds.count * 2)
        for (index, bond) in bonds.enumerated() {
            let bondIndex = Int32(truncatingIfNeeded: index)
            let begin = Int(bond.storedBegin) + 1
            let end = Int(bond.storedEnd) + 1
            entries[Int(offsets[begin])] = Neighbor(storedAtom: bond.storedEnd, storedBond: bondIndex)
            offsets[begin] &+= 1
            entries[Int(offsets[end])] = Neighbor(storedAtom: bond.storedBegin, storedBond: bondIndex)
            offsets[end] &+= 1
        }
        offsets.removeLast()
        neighborOffsets = offsets
        neighborEntries = entries
    }

    /// The neighbours of an atom, in the order their bonds appear in ``bonds``.
    ///
    /// - Precondition: `atom` is a valid index into ``atoms``.
    public func neighbors(of atom: Int) -> ArraySlice<Neighbor> {
        neighborEntries[Int(neighborOffsets[atom])..<Int(neighborOffsets[atom + 1])]
    }

    /// The number of bonds at an atom (hydrogens counted on the atom are not bonds).
    ///
    /// - Precondition: `atom` is a valid index into ``atoms``.
    public func degree(of atom: Int) -> Int {
        Int(neighborOffsets[atom + 1] - neighborOffsets[atom])
    }
}
