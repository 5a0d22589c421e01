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

    // Compressed adjacency in one buffer: entries 0...atomCount hold where each atom's run of
    // neighbours starts; then come (atom, bond) pairs, the run of atom i covering pairs
    // adjacency[i] ..< adjacency[i + 1].
    let adjacency: [Int32]

    // Where the digits of ring bonds at atoms with a stereo mark stood in the SMILES: `@` and
    // `@@` refer to the order in which neighbours were written, which the bond order does not
    // keep for ring bonds (a ring bond is added where it closes). Empty for other molecules.
    var ringBondDigits: [RingBondDigits] = []

    /// One neighbour of an atom: the atom across a bond, and that bond.
    public struct Neighbor: Sendable, Hashable {
        let storedAtom: Int32
        let storedBond: Int32

        /// Index of the neighbouring atom.
        public var atom: Int { Int(storedAtom) }
        /// Index of the bond that joins the two atoms.
        public var bond: Int { Int(storedBond) }
    }

    /// The neighbours of one atom, in the order their bonds appear in ``Molecule/bonds``.
    public struct Neighbors: RandomAccessCollection, Sendable {
        let adjacency: [Int32]
        let pairBase: Int
        /// The index of the first neighbour.
        public let startIndex: Int
        /// One past the index of the last neighbour.
        public let endIndex: Int

        /// The neighbour at `position`.
        public subscript(position: Int) -> Neighbor {
            let slot = pairBase + 2 * position
            return Neighbor(storedAtom: adjacency[slot], storedBond: adjacency[slot + 1])
        }
    }

    init(atoms: [Atom], bonds: [Bond]) {
        self.atoms = atoms
        self.bonds = bonds
        let atomCount = atoms.count
        let pairBase = atomCount + 1
        var buffer = [Int32](repeating: 0, count: pairBase + 4 * bonds.count)
        // Count degrees one slot ahead, then turn the counts into run starts.
        for bond in bonds {
            if Int(bond.storedBegin) + 1 < atomCount { buffer[Int(bond.storedBegin) + 2] &+= 1 }
            if Int(bond.storedEnd) + 1 < atomCount { buffer[Int(bond.storedEnd) + 2] &+= 1 }
        }
        if atomCount > 1 {
            for index in 2...atomCount { buffer[index] &+= buffer[index - 1] }
        }
        // Fill each run using its start as a cursor; afterwards entry i + 1 holds the end of
        // run i, which is exactly the start of run i + 1.
        for (index, bond) in bonds.enumerated() {
            let bondIndex = Int32(truncatingIfNeeded: index)
            let begin = Int(bond.storedBegin) + 1
            let end = Int(bond.storedEnd) + 1
            var slot = pairBase + 2 * Int(buffer[begin])
            buffer[slot] = bond.storedEnd
            buffer[slot + 1] = bondIndex
            buffer[begin] &+= 1
            slot = pairBase + 2 * Int(buffer[end])
            buffer[slot] = bond.storedBegin
            buffer[slot + 1] = bondIndex
            buffer[end] &+= 1
        }
        adjacency = buffer
    }

    /// The neighbours of an atom, in the order their bonds appear in ``bonds``.
    ///
    /// - Precondition: `atom` is a valid index into ``atoms``.
    public func neighbors(of atom: Int) -> Neighbors {
        Neighbors(
            adjacency: adjacency, pairBase: atoms.count + 1, startIndex: Int(adjacency[atom]),
            endIndex: Int(adjacency[atom + 1]))
    }

    /// The number of bonds at an atom (hydrogens counted on the atom are not bonds).
    ///
    /// - Precondition: `atom` is a valid index into ``atoms``.
    public func degree(of atom: Int) -> Int {
        Int(adjacency[atom + 1] - adjacency[atom])
    }
}
