// Descriptors defined by SMARTS or by ring and aromaticity perception, as RDKit computes
// them with default arguments (Code/GraphMol/Descriptors/Lipinski.cpp and MolSurf.cpp).
extension PerceivedMolecule {
    /// Hydrogen-bond donors, as RDKit's `Descriptors.NumHDonors` (`CalcNumHBD`) counts them.
    public var numHDonors: Int { DescriptorPatterns.donors.matchCount(in: self) }

    /// Hydrogen-bond acceptors, as RDKit's `Descriptors.NumHAcceptors` (`CalcNumHBA`) counts them.
    public var numHAcceptors: Int { DescriptorPatterns.acceptors.matchCount(in: self) }

    /// Rotatable bonds under RDKit's default (strict) definition, `Descriptors.NumRotatableBonds`.
    public var numRotatableBonds: Int { DescriptorPatterns.rotatableBonds.matchCount(in: self) }

    /// Rings whose bonds are all aromatic, as RDKit's `Descriptors.NumAromaticRings` counts them.
    ///
    /// Azulene has none: its shared bond is not aromatic in RDKit's model.
    public var numAromaticRings: Int {
        rings.reduce(0) { count, ring in ring.allSatisfy { bondOrders[$0] == .aromatic } ? count + 1 : count }
    }

    /// Lipinski's rule-of-five violations: molecular weight over 500, logP over 5, more than
    /// 5 donors, more than 10 acceptors (RDKit's `MolWt`, `MolLogP`, `NumHDonors`,
    /// `NumHAcceptors`).
    public func lipinskiViolations(molWt: Double, logP: Double, donors: Int, acceptors: Int) -> Int {
        (molWt > 500 ? 1 : 0) + (logP > 5 ? 1 : 0) + (donors > 5 ? 1 : 0) + (acceptors > 10 ? 1 : 0)
    }

    /// The number of entries of a structural-alert catalogue that match.
    func alertCount(_ catalogue: [SMARTSPattern]) -> Int {
        catalogue.reduce(0) { $0 + ($1.hasMatch(in: self) ? 1 : 0) }
    }

    /// Matching entries of RDKit's PAINS catalogue (families A, B and C; Baell & Holloway,
    /// J. Med. Chem. 2010, 53, 2719).
    public var painsCount: Int { alertCount(DescriptorPatterns.pains) }

    /// Matching entries of RDKit's BRENK catalogue (Brenk et al., ChemMedChem 2008, 3, 435).
    public var brenkCount: Int { alertCount(DescriptorPatterns.brenk) }

    /// Matching entries of RDKit's NIH catalogue (Jadhav et al., J. Med. Chem. 2010, 53, 37).
    public var nihCount: Int { alertCount(DescriptorPatterns.nih) }
}

// Topological polar surface area: Ertl, Rohde and Selzer, J. Med. Chem. 2000, 43, 3714,
// with the contributions and the decision order of RDKit's MolSurf.cpp (nitrogen and oxygen
// only, RDKit's default).
extension PerceivedMolecule {
    /// The topological polar surface area in Å², as RDKit's `Descriptors.TPSA` computes it.
    public var tpsa: Double {
        let count = atomCount
        var neighbors = [Int](repeating: 0, count: count)
        var hydrogens = [Int](repeating: 0, count: count)
        var single = [Int](repeating: 0, count: count)
        var double = [Int](repeating: 0, count: count)
        var triple = [Int](repeating: 0, count: count)
        var aromatic = [Int](repeating: 0, count: count)
        for (index, bond) in molecule.bonds.enumerated() {
            let begin = bond.begin
            let end = bond.end
            if atomicNumbers[begin] == 1 {
                neighbors[end] -= 1
                hydrogens[end] += 1
            } else if atomicNumbers[end] == 1 {
                neighbors[begin] -= 1
                hydrogens[begin] += 1
            } else {
                switch bondOrders[index] {
                case .aromatic: aromatic[begin] += 1; aromatic[end] += 1
                case .single: single[begin] += 1; single[end] += 1
                case .double: double[begin] += 1; double[end] += 1
                case .triple: triple[begin] += 1; triple[end] += 1
                default: break
                }
            }
        }
        var total = 0.0
        for index in 0..<count where atomicNumbers[index] == 7 || atomicNumbers[index] == 8 {
            let atom = molecule.atoms[index]
            let contribution = PolarSurface(
                neighbors: neighbors[index] + molecule.degree(of: index),
                hydrogens: hydrogens[index] + atom.hydrogenCount, charge: atom.charge,
                single: single[index], double: double[index], triple: triple[index], aromatic: aromatic[index],
                inThreeRing: (ringSizes[index] >> 3) & 1 == 1)
            total += atomicNumbers[index] == 7 ? contribution.nitrogen : contribution.oxygen
        }
        return total
    }
}

/// What decides one atom's polar surface contribution.
private struct PolarSurface {
    let neighbors: Int
    let hydrogens: Int
    let charge: Int
    let single: Int
    let double: Int
    let triple: Int
    let aromatic: Int
    let inThreeRing: Bool

    var nitrogen: Double {
        let h = hydrogens
        switch neighbors {
        case 1:
            if h == 0, charge == 0, triple == 1 { return 23.79 }
            if h == 1, charge == 0, double == 1 { return 23.85 }
            if h == 2, charge == 0, single == 1 { return 26.02 }
            if h == 2, charge == 1, double == 1 { return 25.59 }
            if h == 3, charge == 1, single == 1 { return 27.64 }
        case 2:
            if h == 0, charge == 0, single == 1, double == 1 { return 12.36 }
            if h == 0, charge == 0, triple == 1, double == 1 { return 13.60 }
            if h == 1, charge == 0, single == 2 { return inThreeRing ? 21.94 : 12.03 }
            if h == 0, charge == 1, triple == 1, single == 1 { return 4.36 }
            if h == 1, charge == 1, double == 1, single == 1 { return 13.97 }
            if h == 2, charge == 1, single == 2 { return 16.61 }
            if h == 0, charge == 0, aromatic == 2 { return 12.89 }
            if h == 1, charge == 0, aromatic == 2 { return 15.79 }
            if h == 1, charge == 1, aromatic == 2 { return 14.14 }
        case 3:
            if h == 0, charge == 0, single == 3 { return inThreeRing ? 3.01 : 3.24 }
            if h == 0, charge == 0, single == 1, double == 2 { return 11.68 }
            if h == 0, charge == 1, single == 2, double == 1 { return 3.01 }
            if h == 1, charge == 1, single == 3 { return 4.44 }
            if h == 0, charge == 0, aromatic == 3 { return 4.41 }
            if h == 0, charge == 0, single == 1, aromatic == 2 { return 4.93 }
            if h == 0, charge == 0, double == 1, aromatic == 2 { return 8.39 }
            if h == 0, charge == 1, aromatic == 3 { return 4.10 }
            if h == 0, charge == 1, single == 1, aromatic == 2 { return 3.88 }
        case 4:
            if h == 0, single == 4, charge == 1 { return 0 }
        default: break
        }
        return max(0, 30.5 - 8.2 * Double(neighbors) + 1.5 * Double(h))
    }

    var oxygen: Double {
        let h = hydrogens
        switch neighbors {
        case 1:
            if h == 0, charge == 0, double == 1 { return 17.07 }
            if h == 1, charge == 0, single == 1 { return 20.23 }
            if h == 0, charge == -1, single == 1 { return 23.06 }
        case 2:
            if h == 0, charge == 0, single == 2 { return inThreeRing ? 12.53 : 9.23 }
            if h == 0, charge == 0, aromatic == 2 { return 13.14 }
        default: break
        }
        return max(0, 28.5 - 8.6 * Double(neighbors) + 1.5 * Double(h))
    }
}
