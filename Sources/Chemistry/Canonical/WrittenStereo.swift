/// The two digits of one ring bond at an atom with a stereo mark, as byte offsets from the start
/// of the SMILES.
struct RingBondDigits: Sendable, Hashable {
    /// The ring-closure bond.
    var bond: Int32
    /// Where the digit at the first (lower-numbered) atom stood.
    var opening: Int32
    /// Where the digit at the second atom stood.
    var closing: Int32
}

extension Molecule {
    /// Keeps the digit positions of ring bonds that touch an atom with a stereo mark, which
    /// ``StereoElements`` needs to read `@` and `@@`.
    ///
    /// - Parameter origin: the offset of the SMILES in the caller's input, so that leading
    ///   whitespace does not change what is stored.
    mutating func recordRingBondDigits(_ closures: [SMILESReader.RingBondPosition], origin: Int) {
        guard !closures.isEmpty else { return }
        var digits: [RingBondDigits] = []
        for closure in closures {
            let bond = bonds[Int(closure.bond)]
            guard atoms[bond.begin].chirality != .none || atoms[bond.end].chirality != .none else { continue }
            let base = Int32(truncatingIfNeeded: origin)
            digits.append(
                RingBondDigits(bond: closure.bond, opening: closure.opening - base, closing: closure.position - base))
        }
        ringBondDigits = digits
    }
}

/// The stereochemistry a SMILES wrote, restated independently of how it was written.
///
/// `@` and `@@` refer to the order in which a centre's neighbours appear in the string, and
/// `/` and `\` to the direction each bond is written in; canonical ranking and writing need
/// both as facts about the molecule: the centre's neighbours in some order with a handedness,
/// and a double bond's reference neighbours with cis or trans.
struct StereoElements {
    /// A tetrahedral centre.
    struct Centre {
        /// The centre.
        var atom: Int32
        /// Its four neighbours in a reference order; -1 stands for its one implicit hydrogen
        /// or, on a centre with three neighbours, its lone pair.
        var neighbors: SIMD4<Int32>
        /// Whether, looking from the first neighbour, the other three run clockwise (`@@`).
        var isClockwise: Bool
    }

    /// A double bond with a cis/trans configuration.
    struct DoubleBond {
        /// The double bond.
        var bond: Int32
        /// Its two atoms.
        var first: Int32
        var second: Int32
        /// One neighbour of each atom other than its partner, the reference for ``isTrans``.
        var firstNeighbor: Int32
        var secondNeighbor: Int32
        /// Whether the two reference neighbours lie on opposite sides of the bond.
        var isTrans: Bool
    }

    var centres: [Centre] = []
    var doubleBonds: [DoubleBond] = []

    var isEmpty: Bool { centres.isEmpty && doubleBonds.isEmpty }

    /// Reads the stereo marks of a molecule that could carry meaning: `@`/`@@` (or `@TH1`/`@TH2`)
    /// on atoms with four neighbours or three and no more than one hydrogen, and `/`/`\` on both
    /// sides of a double bond that is not aromatic, not cumulated and not in a ring smaller than
    /// eight atoms (RDKit's limit). Other stereo classes are not kept.
    init(_ perceived: PerceivedMolecule) {
        let molecule = perceived.molecule
        var hasMarks = false
        for atom in molecule.atoms where atom.chirality != .none {
            hasMarks = true
            break
        }
        if hasMarks { readCentres(molecule) }
        if molecule.bonds.contains(where: { $0.direction != .none }) { readDoubleBonds(perceived) }
    }

    private mutating func readCentres(_ molecule: Molecule) {
        for index in molecule.atoms.indices {
            let atom = molecule.atoms[index]
            let isClockwise: Bool
            switch atom.chirality {
            case .anticlockwise, .tetrahedral(1): isClockwise = false
            case .clockwise, .tetrahedral(2): isClockwise = true
            default: continue
            }
            let degree = molecule.degree(of: index)
            let hydrogens = atom.hydrogenCount
            guard (degree == 4 && hydrogens == 0) || (degree == 3 && hydrogens <= 1) else { continue }
            let written = StereoElements.writtenNeighbors(of: index, in: molecule)
            let isSaturated = molecule.neighbors(of: index).allSatisfy { neighbor in
                switch molecule.bonds[neighbor.bond].order {
                case .single, .dative: true
                default: false
                }
            }
            let inverted = StereoElements.isInvertedByRDKit(
                degree: degree, hydrogens: hydrogens, ringBonds: written.ringBonds, isSaturated: isSaturated)
            var neighbors = SIMD4<Int32>(repeating: -1)
            var slot = 0
            for (position, neighbor) in written.atoms.enumerated() {
                // An implicit hydrogen follows the preceding atom, or comes first; a lone pair
                // comes last, which is where RDKit puts it (not where OpenSMILES would, first,
                // on an atom that starts the SMILES).
                if hydrogens == 1, position == (written.hasParent ? 1 : 0) { slot += 1 }
                neighbors[slot] = neighbor
                slot += 1
            }
            centres.append(Centre(atom: Int32(index), neighbors: neighbors, isClockwise: isClockwise != inverted))
        }
    }

    /// Whether RDKit reads `@`/`@@` inverted on this centre: one with three neighbours, no
    /// hydrogen, only single bonds and exactly one ring bond written at it (SmilesParseOps
    /// AdjustAtomChiralityFlags with Canon::chiralAtomNeedsTagInversion; its writer does the
    /// same). Reading and writing alike keeps strings interchangeable with RDKit.
    static func isInvertedByRDKit(degree: Int, hydrogens: Int, ringBonds: Int, isSaturated: Bool) -> Bool {
        degree == 3 && hydrogens == 0 && ringBonds == 1 && isSaturated
    }

    /// The neighbours of an atom in the order the SMILES wrote them: the preceding atom, ring
    /// bonds in the order of their digits, then branches and the following atom.
    static func writtenNeighbors(of index: Int, in molecule: Molecule) -> (
        atoms: [Int32], hasParent: Bool, ringBonds: Int
    ) {
        var parent: Int32 = -1
        var rings: [(position: Int32, atom: Int32)] = []
        var children: [Int32] = []
        for neighbor in molecule.neighbors(of: index) {
            if let digits = molecule.ringBondDigits.first(where: { Int($0.bond) == neighbor.bond }) {
                rings.append((index < neighbor.atom ? digits.opening : digits.closing, Int32(neighbor.atom)))
            } else if neighbor.atom < index {
                parent = Int32(neighbor.atom)
            } else {
                // Bonds are stored in the order their second atom was read.
                children.append(Int32(neighbor.atom))
            }
        }
        var result: [Int32] = []
        result.reserveCapacity(4)
        if parent >= 0 { result.append(parent) }
        rings.sort { $0.position < $1.position }
        for ring in rings { result.append(ring.atom) }
        result.append(contentsOf: children)
        return (result, parent >= 0, rings.count)
    }

    private mutating func readDoubleBonds(_ perceived: PerceivedMolecule) {
        let molecule = perceived.molecule
        var smallRingBond: [Bool]?
        for (index, bond) in molecule.bonds.enumerated() where perceived.bondOrders[index] == .double {
            guard let first = StereoElements.markedNeighbor(of: bond.begin, across: index, in: perceived),
                let second = StereoElements.markedNeighbor(of: bond.end, across: index, in: perceived)
            else { continue }
            if perceived.isRingBond[index] {
                if smallRingBond == nil { smallRingBond = StereoElements.smallRingBonds(perceived) }
                if smallRingBond?[index] == true { continue }
            }
            doubleBonds.append(
                DoubleBond(
                    bond: Int32(index), first: Int32(bond.begin), second: Int32(bond.end),
                    firstNeighbor: first.atom, secondNeighbor: second.atom, isTrans: first.side != second.side))
        }
    }

    /// The first neighbour of one atom of a double bond whose bond carries `/` or `\`, and on
    /// which side of the double bond it lies (+1 above, -1 below); `nil` when the atom cannot
    /// be a stereo end (no other neighbour, more than two, or another double bond).
    private static func markedNeighbor(of atom: Int, across doubleBond: Int, in perceived: PerceivedMolecule)
        -> (atom: Int32, side: Int)?
    {
        let molecule = perceived.molecule
        let degree = molecule.degree(of: atom)
        guard degree == 2 || degree == 3 else { return nil }
        var found: (atom: Int32, side: Int)?
        for neighbor in molecule.neighbors(of: atom) where neighbor.bond != doubleBond {
            switch perceived.bondOrders[neighbor.bond] {
            case .single, .aromatic: break
            default: return nil
            }
            let bond = molecule.bonds[neighbor.bond]
            guard found == nil, bond.direction != .none else { continue }
            // `X/Y` puts Y above X.
            let up = bond.direction == .up ? 1 : -1
            found = (Int32(neighbor.atom), bond.begin == atom ? up : -up)
        }
        return found
    }

    /// For each bond, whether it lies in a ring of fewer than eight atoms.
    private static func smallRingBonds(_ perceived: PerceivedMolecule) -> [Bool] {
        var small = [Bool](repeating: false, count: perceived.molecule.bonds.count)
        for ring in perceived.rings where ring.count < 8 {
            for bond in ring { small[bond] = true }
        }
        return small
    }
}
