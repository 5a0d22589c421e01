// RDKit's default aromaticity model (MolOps::setAromaticity with AROMATICITY_RDKIT, in
// Code/GraphMol/Aromaticity.cpp), restated over the Kekulé structure the reader found:
//
// - Each ring atom donates 0, 1 or 2 π electrons (a wildcard 1 or 2), from its default
//   valence, lone pairs, charge and multiple bonds; an exocyclic multiple bond to a "more
//   electronegative" partner (RDKit compares outer electrons, then atomic number) takes one.
// - A ring of RDKit's ring set is a candidate when all its atoms are; candidate rings that
//   share exactly one bond (both of at most 24 bonds) are fused.
// - Within a fused system, every connected combination of up to six rings is tested with
//   Hückel's rule (2 electrons, or 4n + 2 with at least 6), counting atoms that lie in one
//   or two of the chosen rings. A passing combination makes the bonds it contains once
//   aromatic, and their atoms.
//
// So azulene's shared bond stays non-aromatic and NumAromaticRings is 0 for azulene, as in
// RDKit.

/// How many π electrons an atom can give a ring.
private enum DonorType {
    case none
    case vacant
    case one
    case two
    case any

    var range: (low: Int, high: Int) {
        switch self {
        case .none, .vacant: (0, 0)
        case .one: (1, 1)
        case .two: (2, 2)
        case .any: (1, 2)
        }
    }
}

extension Molecule {
    /// Aromatic flags for atoms and bonds under RDKit's model.
    ///
    /// - Parameters:
    ///   - rings: RDKit's ring set as bond indices.
    ///   - ringAtoms: the same rings as atoms in ring order.
    func perceiveAromaticity(rings: [[Int]], ringAtoms: [[Int]]) -> (atoms: [Bool], bonds: [Bool]) {
        var aromaticAtoms = [Bool](repeating: false, count: atoms.count)
        var aromaticBonds = [Bool](repeating: false, count: bonds.count)
        guard !rings.isEmpty else { return (aromaticAtoms, aromaticBonds) }
        var isRingBond = [Bool](repeating: false, count: bonds.count)
        for ring in rings { for bond in ring { isRingBond[bond] = true } }

        // Donor type and candidacy, computed once per ring atom.
        var donors = [DonorType?](repeating: nil, count: atoms.count)
        var candidates: [Int] = []
        for (index, ring) in ringAtoms.enumerated() {
            var allCandidates = true
            var allWildcards = true
            for atom in ring {
                if donors[atom] == nil { donors[atom] = donorType(of: atom, isRingBond: isRingBond) }
                if !isAromaticityCandidate(atom, donor: donors[atom]!) { allCandidates = false }
                if !atoms[atom].element.isWildcard { allWildcards = false }
            }
            if allCandidates, !allWildcards { candidates.append(index) }
        }
        guard !candidates.isEmpty else { return (aromaticAtoms, aromaticBonds) }

        // Fusion: exactly one shared bond, both rings of at most 24 bonds.
        var neighbors = [[Int]](repeating: [], count: candidates.count)
        let bondSets = candidates.map { Set(rings[$0]) }
        for first in candidates.indices where rings[candidates[first]].count <= 24 {
            for second in (first + 1)..<candidates.count where rings[candidates[second]].count <= 24 {
                if bondSets[first].intersection(bondSets[second]).count == 1 {
                    neighbors[first].append(second)
                    neighbors[second].append(first)
                }
            }
        }
        var done = [Bool](repeating: false, count: candidates.count)
        for start in candidates.indices where !done[start] {
            // Depth-first order, as RDKit picks fused rings.
            var system: [Int] = []
            var stack = [start]
            while let ring = stack.popLast() {
                guard !done[ring] else { continue }
                done[ring] = true
                system.append(ring)
                for next in neighbors[ring].reversed() where !done[next] { stack.append(next) }
            }
            markAromaticCombinations(
                system: system, candidates: candidates, neighbors: neighbors, rings: rings, ringAtoms: ringAtoms,
                donors: donors, aromaticAtoms: &aromaticAtoms, aromaticBonds: &aromaticBonds)
        }
        return (aromaticAtoms, aromaticBonds)
    }

    // Tests connected combinations of one to six rings of a fused system, smallest first.
    private func markAromaticCombinations(
        system: [Int], candidates: [Int], neighbors: [[Int]], rings: [[Int]], ringAtoms: [[Int]],
        donors: [DonorType?], aromaticAtoms: inout [Bool], aromaticBonds: inout [Bool]
    ) {
        let ringBondCount = Set(system.flatMap { rings[candidates[$0]] }).count
        var doneBonds = Set<Int>()
        // RDKit has no bound on this search beyond six rings per combination; a budget keeps
        // pathological sheets of hundreds of fused rings from running for hours.
        var budget = 200_000
        var size = 1
        while size <= min(system.count, 6), doneBonds.count < ringBondCount, budget > 0 {
            if size == 3, system.count > 300 { break }
            var combination = Array(0..<size)
            while budget > 0 {
                budget -= 1
                let chosen = combination.map { system[$0] }
                if isConnected(chosen, neighbors: neighbors) {
                    var count: [Int: Int] = [:]
                    for ring in chosen { for atom in ringAtoms[candidates[ring]] { count[atom, default: 0] += 1 } }
                    var low = 0
                    var high = 0
                    var wildcards = 0
                    for (atom, times) in count where times <= 2 {
                        let donor = donors[atom] ?? .none
                        if donor == .any { wildcards += 1 }
                        let range = donor.range
                        low += range.low
                        high += range.high
                    }
                    if wildcards <= 1, Molecule.satisfiesHuckel(low: low, high: high) {
                        var bondCount: [Int: Int] = [:]
                        for ring in chosen { for bond in rings[candidates[ring]] { bondCount[bond, default: 0] += 1 } }
                        for (bond, times) in bondCount where times == 1 {
                            aromaticBonds[bond] = true
                            aromaticAtoms[bonds[bond].begin] = true
                            aromaticAtoms[bonds[bond].end] = true
                            doneBonds.insert(bond)
                        }
                    }
                }
                // Next combination in lexicographic order.
                var position = size - 1
                while position >= 0, combination[position] == system.count - size + position { position -= 1 }
                if position < 0 { break }
                combination[position] += 1
                for later in (position + 1)..<size { combination[later] = combination[later - 1] + 1 }
            }
            size += 1
        }
    }

    private func isConnected(_ chosen: [Int], neighbors: [[Int]]) -> Bool {
        guard chosen.count > 1 else { return true }
        var reached: Set<Int> = [chosen[0]]
        var stack = [chosen[0]]
        let members = Set(chosen)
        while let ring = stack.popLast() {
            for next in neighbors[ring] where members.contains(next) && reached.insert(next).inserted {
                stack.append(next)
            }
        }
        return reached.count == chosen.count
    }

    // Two electrons, or 4n + 2 when the ring system offers at least six.
    private static func satisfiesHuckel(low: Int, high: Int) -> Bool {
        if high >= 6 {
            for electrons in low...high where (electrons - 2) % 4 == 0 { return true }
            return false
        }
        return high == 2
    }

    // MARK: Atoms

    // RDKit's isAtomCandForArom.
    private func isAromaticityCandidate(_ index: Int, donor: DonorType) -> Bool {
        let atom = atoms[index]
        let number = atom.atomicNumber
        if number > 18, number != 34, number != 52 { return false }
        if donor == .none { return false }
        let defaultValence = atom.element.defaultValence
        if defaultValence > 0 {
            let isoelectronic = number - atom.charge
            if isoelectronic >= 0, isoelectronic <= ElementTable.maximumAtomicNumber {
                let limit = Element(unchecked: UInt8(isoelectronic)).defaultValence
                if kekuleExplicitValence(of: index) + atom.implicitHydrogenCount > limit { return false }
            }
        }
        if radicalElectrons(of: index) > 0, number != 6 || atom.charge != 0 { return false }
        if kekuleExplicitValence(of: index) - degree(of: index) > 1 {
            var multiple = 0
            for neighbor in neighbors(of: index) {
                let order = bonds[neighbor.bond].kekuleOrder
                if order == .double || order == .triple { multiple += 1 }
            }
            if multiple > 1 { return false }
        }
        return true
    }

    // RDKit's getAtomDonorTypeArom.
    private func donorType(of index: Int, isRingBond: [Bool]) -> DonorType {
        if atoms[index].element.isWildcard {
            return hasMultipleBond(index, inRing: true, isRingBond: isRingBond) ? .one : .any
        }
        var electrons = piElectrons(of: index)
        if electrons < 0 { return .none }
        let exocyclic = exocyclicMultipleBondPartner(of: index, isRingBond: isRingBond)
        switch electrons {
        case 0:
            if exocyclic != nil { return .vacant }
            return hasMultipleBond(index, inRing: true, isRingBond: isRingBond) ? .one : .none
        case 1:
            if let partner = exocyclic {
                return Molecule.isMoreElectronegative(atoms[partner].element, than: atoms[index].element) ? .vacant : .one
            }
            if hasMultipleBond(index, inRing: nil, isRingBond: isRingBond) { return .one }
            return atoms[index].charge == 1 ? .vacant : .none
        default:
            if let partner = exocyclic,
                Molecule.isMoreElectronegative(atoms[partner].element, than: atoms[index].element)
            {
                electrons -= 1
            }
            return electrons % 2 == 1 ? .one : .two
        }
    }

    // RDKit's MolOps::countAtomElec: electrons the atom has for a π system, or -1.
    private func piElectrons(of index: Int) -> Int {
        let atom = atoms[index]
        let defaultValence = atom.element.defaultValence
        guard defaultValence > 1 else { return -1 }
        var degree = degree(of: index) + atom.hydrogenCount
        for neighbor in neighbors(of: index) {
            let bond = bonds[neighbor.bond]
            if bond.order == .dative, bond.begin == index { degree -= 1 }
        }
        guard degree <= 3 else { return -1 }
        let lonePairElectrons = max(Molecule.outerElectrons(atom.element) - defaultValence - atom.charge, 0)
        var result = (defaultValence - degree) + lonePairElectrons - radicalElectrons(of: index)
        if result > 1, kekuleExplicitValence(of: index) - self.degree(of: index) > 1 { result = 1 }
        return result
    }

    // The partner across the first double or triple bond that is in no ring.
    private func exocyclicMultipleBondPartner(of index: Int, isRingBond: [Bool]) -> Int? {
        for neighbor in neighbors(of: index) where !isRingBond[neighbor.bond] {
            let order = bonds[neighbor.bond].kekuleOrder
            if order == .double || order == .triple || order == .quadruple { return neighbor.atom }
        }
        return nil
    }

    // Whether the atom has a double or triple bond; `inRing` restricts to ring bonds.
    private func hasMultipleBond(_ index: Int, inRing: Bool?, isRingBond: [Bool]) -> Bool {
        for neighbor in neighbors(of: index) {
            if inRing == true, !isRingBond[neighbor.bond] { continue }
            let order = bonds[neighbor.bond].kekuleOrder
            if order == .double || order == .triple || order == .quadruple { return true }
        }
        return false
    }

    /// The explicit valence of the Kekulé structure: bond orders (dative bonds count for
    /// their acceptor) plus bracket hydrogens.
    func kekuleExplicitValence(of index: Int) -> Int {
        var total = atoms[index].explicitHydrogenCount
        for neighbor in neighbors(of: index) {
            let bond = bonds[neighbor.bond]
            switch bond.kekuleOrder {
            case .single: total += 1
            case .double: total += 2
            case .triple: total += 3
            case .quadruple: total += 4
            case .aromatic: total += 1
            case .dative: total += bond.end == index ? 1 : 0
            }
        }
        return total
    }

    /// Unpaired electrons, as RDKit assigns them to bracket atoms short of an allowed valence
    /// (`[CH3]` has one, `[CH2]` two); atoms outside brackets have none.
    func radicalElectrons(of index: Int) -> Int {
        let atom = atoms[index]
        guard atom.isBracketAtom, !atom.element.isWildcard, atom.element.hasSpecifiedValences else { return 0 }
        let effective = Molecule.effectiveElement(of: atom)
        guard effective.hasSpecifiedValences, effective.defaultValence >= 0 else { return 0 }
        let valence = kekuleExplicitValence(of: index)
        // Only the default valence counts for radicals: [SH] has one, though S may be 4 or 6.
        let defaultValence = effective.defaultValence
        return valence < defaultValence ? defaultValence - valence : 0
    }

    /// RDKit's `PeriodicTable::moreElectroNegative`: more outer electrons, or as many and a
    /// smaller atomic number.
    static func isMoreElectronegative(_ first: Element, than second: Element) -> Bool {
        let firstOuter = outerElectrons(first)
        let secondOuter = outerElectrons(second)
        if firstOuter != secondOuter { return firstOuter > secondOuter }
        return first.atomicNumber < second.atomicNumber
    }

    /// Valence-shell electrons of a neutral atom, by position in its period (d-block metals
    /// count their s and d electrons).
    static func outerElectrons(_ element: Element) -> Int {
        let number = element.atomicNumber
        switch number {
        case 0: return 0
        case 1...2: return number
        case 3...10: return number - 2
        case 11...18: return number - 10
        case 19...36: return number - 18 > 12 ? number - 28 : number - 18
        case 37...54: return number - 36 > 12 ? number - 46 : number - 36
        case 55...86: return number - 54 > 26 ? number - 78 : min(number - 54, 12)
        default: return number - 86 > 26 ? number - 110 : min(number - 86, 12)
        }
    }
}
