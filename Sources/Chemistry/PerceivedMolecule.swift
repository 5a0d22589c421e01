/// A molecule with the properties substructure search and descriptors need, perceived as
/// RDKit perceives them after `MolFromSmiles`: its aromaticity model, its ring set, and
/// per-atom counts of hydrogens, neighbours, valence and rings.
///
/// Building one costs a ring search and an aromaticity pass; build it once per molecule and
/// use it for every pattern and descriptor.
public struct PerceivedMolecule: Sendable {
    /// The molecule as read.
    public let molecule: Molecule
    /// For each atom, whether RDKit's aromaticity model makes it aromatic.
    public let isAromaticAtom: [Bool]
    /// For each bond, its order after aromaticity perception: ``Bond/Order-swift.enum/aromatic``
    /// for bonds of aromatic rings, the Kekulé order for the others.
    public let bondOrders: [Bond.Order]
    /// The rings (RDKit's symmetrised smallest set), each as its bond indices.
    public let rings: [[Int]]
    /// The rings of ``rings``, each as its atom indices in ring order.
    public let ringAtoms: [[Int]]

    let atomicNumbers: [UInt8]
    let totalHydrogens: [UInt8]
    let implicitHydrogens: [UInt8]
    let valences: [UInt8]
    let ringMembership: [UInt8]
    // Bit n set when the atom is in a ring of size n (sizes up to 63).
    let ringSizes: [UInt64]
    let ringBondCounts: [UInt8]
    let isRingBond: [Bool]
    // Elements present, as a 128-bit set, to skip patterns quickly.
    private let elementsLow: UInt64
    private let elementsHigh: UInt64

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
        var low: UInt64 = 0
        var high: UInt64 = 0
        for (index, atom) in molecule.atoms.enumerated() {
            let number = atom.element.rawAtomicNumber
            numbers[index] = number
            if number < 64 { low |= 1 << UInt64(number) } else { high |= 1 << UInt64(number - 64) }
            hydrogens[index] = UInt8(clamping: molecule.totalHydrogenCount(of: index))
            implicit[index] = UInt8(clamping: atom.implicitHydrogenCount)
            valences[index] = UInt8(clamping: molecule.totalValence(of: index))
        }
        atomicNumbers = numbers
        totalHydrogens = hydrogens
        implicitHydrogens = implicit
        self.valences = valences
        elementsLow = low
        elementsHigh = high
    }

    /// The number of atoms.
    public var atomCount: Int { atomicNumbers.count }

    func contains(element: UInt8) -> Bool {
        element < 64 ? (elementsLow >> UInt64(element)) & 1 == 1 : (elementsHigh >> UInt64(element - 64)) & 1 == 1
    }

    /// The bond joining two atoms, if any.
    func bond(between first: Int, and second: Int) -> Int? {
        for neighbor in molecule.neighbors(of: first) where neighbor.atom == second { return neighbor.bond }
        return nil
    }

    func bond(_ bond: Int, satisfies query: BondQuery) -> Bool {
        let order = bondOrders[bond]
        switch query {
        case .singleOrAromatic: return order == .single || order == .aromatic
        case .single: return order == .single
        case .double: return order == .double
        case .triple: return order == .triple
        case .quadruple: return order == .quadruple
        case .aromatic: return order == .aromatic
        case .any: return true
        case .ring: return isRingBond[bond]
        case .not(let inner): return !self.bond(bond, satisfies: inner)
        case .and(let parts):
            for part in parts where !self.bond(bond, satisfies: part) { return false }
            return true
        case .or(let parts):
            for part in parts where self.bond(bond, satisfies: part) { return true }
            return false
        }
    }

    // Primitive atom tests; logical combinations and recursion are handled by the search.
    func atom(_ atom: Int, satisfies query: AtomQuery) -> Bool {
        switch query {
        case .any: return true
        case .element(let number, let aromatic):
            return atomicNumbers[atom] == number && isAromaticAtom[atom] == aromatic
        case .atomicNumber(let number): return atomicNumbers[atom] == number
        case .aromatic: return isAromaticAtom[atom]
        case .aliphatic: return !isAromaticAtom[atom]
        case .totalHydrogens(let count): return Int(totalHydrogens[atom]) == count
        case .implicitHydrogens(let count):
            return count.map { Int(implicitHydrogens[atom]) == $0 } ?? (implicitHydrogens[atom] > 0)
        case .degree(let count): return molecule.degree(of: atom) == count
        case .totalDegree(let count):
            return molecule.degree(of: atom) + molecule.atoms[atom].hydrogenCount == count
        case .valence(let count): return Int(valences[atom]) == count
        case .ringMembership(let count):
            return count.map { Int(ringMembership[atom]) == $0 } ?? (ringMembership[atom] > 0)
        case .ringSize(let size):
            guard let size else { return ringMembership[atom] > 0 }
            return size < 64 && (ringSizes[atom] >> UInt64(size)) & 1 == 1
        case .ringConnectivity(let count):
            return count.map { Int(ringBondCounts[atom]) == $0 } ?? (ringBondCounts[atom] > 0)
        case .charge(let charge): return molecule.atoms[atom].charge == charge
        case .isotope(let isotope): return molecule.atoms[atom].isotope == isotope
        case .recursive, .not, .and, .or: return false
        }
    }
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
