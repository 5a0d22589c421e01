// RDKit's count of possible tetrahedral stereocentres (rdMolDescriptors.
// CalcNumAtomStereoCenters), which with RDKit's default legacy stereo perception is the
// number of atoms that could be chiral: three or four neighbours (hydrogens included), and
// no two neighbours alike by the legacy CIP ranking (Chirality.cpp, assignAtomCIPRanks and
// isAtomPotentialChiralCenter). Ring neighbours tie in that ranking, so cis/trans ring
// centres such as those of 1,4-dimethylcyclohexane do not count, as in RDKit.
//
// RDKit re-ranks once R/S labels are known, which can make a pseudo-asymmetric centre
// between two specified ones count as well; that refinement is not made here.
extension PerceivedMolecule {
    /// Possible tetrahedral stereocentres, specified or not (`NumAtomStereoCenters`).
    public var numAtomStereoCenters: Int {
        // The ranking takes up to N/2 refinement rounds; skip it when no atom could qualify.
        let candidates = (0..<atomCount).filter { isPotentialStereocenter($0, ranks: nil) }
        guard !candidates.isEmpty else { return 0 }
        let ranks = legacyRanks()
        return candidates.count { isPotentialStereocenter($0, ranks: ranks) }
    }

    // Without ranks, only the local conditions are checked.
    private func isPotentialStereocenter(_ index: Int, ranks: [Int]?) -> Bool {
        let atom = molecule.atoms[index]
        var affecting: [Int] = []
        for neighbor in molecule.neighbors(of: index) {
            let bond = molecule.bonds[neighbor.bond]
            if bond.order == .dative, bond.begin == index { continue }
            affecting.append(neighbor.atom)
        }
        let hydrogens = atom.hydrogenCount
        let connections = affecting.count + hydrogens
        let number = atom.atomicNumber
        guard connections >= 3, connections <= 4 else { return false }
        if affecting.count < 3, number != 15, number != 33 { return false }
        if affecting.count == 3 {
            if hydrogens == 1 {
                if affecting.contains(where: { atomicNumbers[$0] == 1 && molecule.atoms[$0].isotope == 0 }) {
                    return false
                }
            } else {
                switch number {
                case 7:
                    guard !hasConjugatedBond(index), (ringSizes[index] >> 3) & 1 == 1 || isBridgehead(index) else {
                        return false
                    }
                case 15, 33: break
                case 16, 34:
                    let valence = molecule.kekuleExplicitValence(of: index)
                    guard valence == 4 || (valence == 3 && atom.charge == 1) else { return false }
                default: return false
                }
            }
        }
        guard let ranks else { return true }
        var seen = Set<Int>()
        for neighbor in affecting where !seen.insert(ranks[neighbor]).inserted { return false }
        return true
    }

    // A nitrogen's lone pair is conjugated when a neighbour carries a multiple or aromatic
    // bond (amide, aniline, enamine), which RDKit's conjugation pass marks.
    private func hasConjugatedBond(_ index: Int) -> Bool {
        for neighbor in molecule.neighbors(of: index) {
            if bondOrders[neighbor.bond] != .single { return true }
            for next in molecule.neighbors(of: neighbor.atom) where next.bond != neighbor.bond {
                switch bondOrders[next.bond] {
                case .double, .triple, .aromatic: return true
                default: continue
                }
            }
        }
        return false
    }

    // RDKit's queryIsAtomBridgehead: three ring bonds, and every ring through the atom shares
    // at least two bonds with another ring through it.
    private func isBridgehead(_ index: Int) -> Bool {
        guard molecule.degree(of: index) >= 3, ringBondCounts[index] >= 3 else { return false }
        let through = rings.indices.filter { ringAtoms[$0].contains(index) }
        for ring in through {
            let bonds = Set(rings[ring])
            let shared = through.contains { other in
                other != ring && rings[other].filter { bonds.contains($0) }.count >= 2
            }
            if !shared { return false }
        }
        return true
    }

    /// The partition of atoms by RDKit's legacy CIP ranking (assignAtomCIPRanks): seeded by
    /// element, isotope and atom map, refined by neighbour ranks weighted by bond order and by
    /// attached hydrogens.
    func legacyRanks() -> [Int] {
        let count = atomCount
        var invariants: [Int] = []
        invariants.reserveCapacity(count)
        for atom in molecule.atoms {
            var mass = 0
            if atom.isotope != 0 {
                let common = Int(atom.element.mostCommonIsotopeMass.rounded())
                mass = atom.isotope - common
                if mass >= 0 { mass += 1 }
            }
            mass = max(mass + 512, 0) % 1024
            let map = (atom.atomClass == 0 ? 0 : atom.atomClass + 1) % 1024
            invariants.append((((atom.atomicNumber % 128) << 10) | mass) << 10 | map)
        }
        var ranks = PerceivedMolecule.denseRanks(invariants)
        var classes = Set(ranks).count
        var iterations = 0
        let limit = count / 2 + 1
        while classes < count, iterations < limit {
            var keys: [[Int]] = []
            keys.reserveCapacity(count)
            for atom in 0..<count {
                var key = [ranks[atom]]
                let neighbors = molecule.neighbors(of: atom).map { ($0.atom, $0.bond) }.sorted { ranks[$0.0] > ranks[$1.0] }
                for (other, bond) in neighbors {
                    let weight = bondWeight(bond, toward: other)
                    for _ in 0..<weight { key.append(ranks[other] + 1) }
                }
                for _ in 0..<molecule.atoms[atom].hydrogenCount { key.append(0) }
                keys.append(key)
            }
            let refined = PerceivedMolecule.denseRanks(keys)
            let refinedClasses = Set(refined).count
            ranks = refined
            iterations += 1
            if refinedClasses <= classes { break }
            classes = refinedClasses
        }
        return ranks
    }

    // Twice the bond order; a double bond to a three- or four-connected P counts 1.
    private func bondWeight(_ bond: Int, toward other: Int) -> Int {
        switch bondOrders[bond] {
        case .single: return 2
        case .double:
            if atomicNumbers[other] == 15, (3...4).contains(molecule.degree(of: other)) { return 1 }
            return 4
        case .triple: return 6
        case .quadruple: return 8
        case .aromatic: return 3
        case .dative: return 2
        }
    }

    /// Ranks from 0 in increasing order of the keys, equal keys sharing a rank.
    static func denseRanks(_ keys: [Int]) -> [Int] {
        denseRanks(keys) { $0 < $1 }
    }

    /// Ranks from 0 in lexicographic order of the keys, a prefix first.
    static func denseRanks(_ keys: [[Int]]) -> [Int] {
        denseRanks(keys) { $0.lexicographicallyPrecedes($1) }
    }

    private static func denseRanks<Key>(_ keys: [Key], by less: (Key, Key) -> Bool) -> [Int] {
        let order = keys.indices.sorted { less(keys[$0], keys[$1]) }
        var ranks = [Int](repeating: 0, count: keys.count)
        var rank = 0
        for (position, index) in order.enumerated() {
            if position > 0, less(keys[order[position - 1]], keys[index]) { rank += 1 }
            ranks[index] = rank
        }
        return ranks
    }
}

