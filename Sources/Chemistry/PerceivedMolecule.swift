/// A molecule with the properties substructure search and descriptors need, perceived as
/// RDKit perceives them after `MolFromSmiles`: its aromaticity model, its ring set, and
/// per-atom counts of hydrogens, neighbours, valence and rings.
///
/// Building one costs a ring search and an aromaticity pass; build it once per molecule and
/// use it for every pattern and descriptor.
public struct PerceivedMolecule: Sendable {
    // The tables, shared between copies.
    let tables: PerceivedTables

    /// The molecule as read.
    public var molecule: Molecule { tables.molecule }
    /// For each atom, whether RDKit's aromaticity model makes it aromatic.
    public var isAromaticAtom: [Bool] { tables.isAromaticAtom }
    /// For each bond, its order after aromaticity perception: ``Bond/Order-swift.enum/aromatic``
    /// for bonds of aromatic rings, the Kekulé order for the others.
    public var bondOrders: [Bond.Order] { tables.bondOrders }
    /// The rings (RDKit's symmetrised smallest set), each as its bond indices.
    public var rings: [[Int]] { tables.rings }
    /// The rings of ``rings``, each as its atom indices in ring order.
    public var ringAtoms: [[Int]] { tables.ringAtoms }

    var atomicNumbers: [UInt8] { tables.atomicNumbers }
    var totalHydrogens: [UInt8] { tables.totalHydrogens }
    var implicitHydrogens: [UInt8] { tables.implicitHydrogens }
    var valences: [UInt8] { tables.valences }
    var ringMembership: [UInt8] { tables.ringMembership }
    // Bit n set when the atom is in a ring of size n (sizes up to 63).
    var ringSizes: [UInt64] { tables.ringSizes }
    var ringBondCounts: [UInt8] { tables.ringBondCounts }
    var isRingBond: [Bool] { tables.isRingBond }
    // Each bond's (order, ring) bit, as bond queries test it.
    var bondBits: [UInt16] { tables.bondBits }
    // Atoms per element and aromaticity, at 2 × atomic number (+1 when aromatic): patterns
    // start from the atom with the fewest candidates.
    var elementCounts: [UInt16] { tables.elementCounts }
    var aromaticAtomCount: Int { tables.aromaticAtomCount }
    // Elements present, as a 128-bit set, to skip patterns quickly.

    /// Perceives rings and aromaticity of `molecule`.
    public init(_ molecule: Molecule) {
        let rings = molecule.relevantRings()
        let ringAtoms = rings.map { molecule.orderedAtoms(ofRing: $0) }
        let aromaticity = molecule.perceiveAromaticity(rings: rings, ringAtoms: ringAtoms)
        var orders = [Bond.Order]()
        orders.reserveCapacity(molecule.bonds.count)
        for (index, bond) in molecule.bonds.enumerated() {
            if aromaticity.bonds[index] {
                orders.append(.aromatic)
            } else {
                // An aromatic bond written between chain atoms has no Kekulé order; RDKit
                // would have made it single.
                orders.append(bond.kekuleOrder == .aromatic ? .single : bond.kekuleOrder)
            }
        }
        self.init(
            molecule: molecule, isAromaticAtom: aromaticity.atoms, bondOrders: orders, rings: rings,
            ringAtoms: ringAtoms)
    }

    /// Assembles the per-atom tables from perceived rings and aromaticity.
    init(molecule: Molecule, isAromaticAtom: [Bool], bondOrders: [Bond.Order], rings: [[Int]], ringAtoms: [[Int]]) {
        tables = PerceivedTables(
            molecule: molecule, isAromaticAtom: isAromaticAtom, bondOrders: bondOrders, rings: rings,
            ringAtoms: ringAtoms)
    }

    /// The number of atoms.
    public var atomCount: Int { atomicNumbers.count }
}

extension Molecule {
    /// The atoms of a ring given by its bonds, in order around the ring.
    func orderedAtoms(ofRing ring: [Int]) -> [Int] {
        guard let first = ring.first else { return [] }
        var result = [bonds[first].begin]
        var current = bonds[first].end
        var previousBond = first
        while current != result[0], result.count <= ring.count {
            result.append(current)
            guard let next = ring.first(where: { $0 != previousBond && (bonds[$0].begin == current || bonds[$0].end == current) })
            else { break }
            previousBond = next
            current = bonds[next].otherAtom(from: current)
        }
        return result
    }
}

/// The per-atom and per-bond tables of a ``PerceivedMolecule``, kept in one object so that
/// copying a perceived molecule (which every substructure search does) costs one reference,
/// not twenty.
final class PerceivedTables: Sendable {
    // The molecule's compressed adjacency (see ``Molecule``), shared for hot loops.
    let adjacency: [Int32]
    let pairBase: Int
    /// The molecule as read.
    let molecule: Molecule
    /// For each atom, whether RDKit's aromaticity model makes it aromatic.
    let isAromaticAtom: [Bool]
    /// For each bond, its order after aromaticity perception: ``Bond/Order-swift.enum/aromatic``
    /// for bonds of aromatic rings, the Kekulé order for the others.
    let bondOrders: [Bond.Order]
    /// The rings (RDKit's symmetrised smallest set), each as its bond indices.
    let rings: [[Int]]
    /// The rings of ``rings``, each as its atom indices in ring order.
    let ringAtoms: [[Int]]

    let atomicNumbers: [UInt8]
    let totalHydrogens: [UInt8]
    let implicitHydrogens: [UInt8]
    let valences: [UInt8]
    let ringMembership: [UInt8]
    // Bit n set when the atom is in a ring of size n (sizes up to 63).
    let ringSizes: [UInt64]
    let ringBondCounts: [UInt8]
    let isRingBond: [Bool]
    // Each bond's (order, ring) bit, as bond queries test it.
    let bondBits: [UInt16]
    // Atoms per element and aromaticity, at 2 × atomic number (+1 when aromatic): patterns
    // start from the atom with the fewest candidates.
    let elementCounts: [UInt16]
    let aromaticAtomCount: Int

    init(molecule: Molecule, isAromaticAtom: [Bool], bondOrders: [Bond.Order], rings: [[Int]], ringAtoms: [[Int]]) {
        adjacency = molecule.adjacency
        pairBase = molecule.atoms.count + 1
        self.molecule = molecule
        self.isAromaticAtom = isAromaticAtom
        self.bondOrders = bondOrders
        self.rings = rings
        self.ringAtoms = ringAtoms
        let atomCount = molecule.atoms.count
        var membership = [UInt8](repeating: 0, count: atomCount)
        var sizes = [UInt64](repeating: 0, count: atomCount)
        var isRingBond = [Bool](repeating: false, count: molecule.bonds.count)
        for (ring, atoms) in zip(rings, ringAtoms) {
            for atom in atoms {
                membership[atom] &+= 1
                if ring.count < 64 { sizes[atom] |= 1 << UInt64(ring.count) }
            }
            for bond in ring { isRingBond[bond] = true }
        }
        ringMembership = membership
        ringSizes = sizes
        self.isRingBond = isRingBond
        bondBits = molecule.bonds.indices.map { BondMask.bit(order: bondOrders[$0], inRing: isRingBond[$0]) }
        var ringBondCounts = [UInt8](repeating: 0, count: atomCount)
        for (index, bond) in molecule.bonds.enumerated() where isRingBond[index] {
            ringBondCounts[bond.begin] &+= 1
            ringBondCounts[bond.end] &+= 1
        }
        self.ringBondCounts = ringBondCounts
        var numbers = [UInt8](repeating: 0, count: atomCount)
        var hydrogens = [UInt8](repeating: 0, count: atomCount)
        var implicit = [UInt8](repeating: 0, count: atomCount)
        var valences = [UInt8](repeating: 0, count: atomCount)
        for (index, atom) in molecule.atoms.enumerated() {
            let number = atom.element.rawAtomicNumber
            numbers[index] = number
            hydrogens[index] = UInt8(clamping: molecule.totalHydrogenCount(of: index))
            implicit[index] = UInt8(clamping: atom.implicitHydrogenCount)
            valences[index] = UInt8(clamping: molecule.totalValence(of: index))
        }
        atomicNumbers = numbers
        var counts = [UInt16](repeating: 0, count: 2 * 119)
        var aromaticCount = 0
        for (index, number) in numbers.enumerated() where number < 119 {
            counts[2 * Int(number) + (isAromaticAtom[index] ? 1 : 0)] &+= 1
            if isAromaticAtom[index] { aromaticCount += 1 }
        }
        elementCounts = counts
        aromaticAtomCount = aromaticCount
        totalHydrogens = hydrogens
        implicitHydrogens = implicit
        self.valences = valences
    }
}
