import Foundation

// Quantitative estimate of drug-likeness (Bickerton, Paolini, Besnard, Muresan and Hopkins,
// Nature Chemistry 2012, 4, 90), as RDKit's `QED.qed` computes it with the mean weights:
// eight properties, each mapped through an asymmetric double sigmoid to a desirability in
// (0, 1], combined as a weighted geometric mean.
extension PerceivedMolecule {
    /// The eight QED properties, in the order of ``QEDTable``.
    public struct QEDProperties: Sendable, Hashable {
        /// Average molecular weight.
        public var molecularWeight: Double
        /// Wildman–Crippen logP.
        public var logP: Double
        /// Acceptors by QED's own eleven patterns.
        public var acceptors: Int
        /// Donors as ``PerceivedMolecule/numHDonors``.
        public var donors: Int
        /// Topological polar surface area.
        public var polarSurfaceArea: Double
        /// Rotatable bonds (strict).
        public var rotatableBonds: Int
        /// Rings left after removing aliphatic ring atoms with a non-aromatic neighbour.
        public var aromaticRings: Int
        /// Structural alerts matched.
        public var alerts: Int

        var values: [Double] {
            [
                molecularWeight, logP, Double(acceptors), Double(donors), polarSurfaceArea, Double(rotatableBonds),
                Double(aromaticRings), Double(alerts),
            ]
        }
    }

    /// The QED properties, given the descriptors shared with other outputs.
    public func qedProperties(logP: Double, donors: Int, polarSurfaceArea: Double, rotatableBonds: Int)
        -> QEDProperties
    {
        QEDProperties(
            molecularWeight: molecule.averageMolecularWeight, logP: logP,
            acceptors: DescriptorPatterns.qedAcceptors.reduce(0) { $0 + $1.matchCount(in: self) },
            donors: donors, polarSurfaceArea: polarSurfaceArea, rotatableBonds: rotatableBonds,
            aromaticRings: qedAromaticRings, alerts: alertCount(DescriptorPatterns.qedAlerts))
    }

    /// QED with the mean weights, RDKit's `QED.qed(mol)`.
    public static func qed(_ properties: QEDProperties) -> Double {
        let weights = QEDTable.meanWeights
        var total = 0.0
        for (index, value) in properties.values.enumerated() {
            let p = QEDTable.adsParameters[index]
            let rising = 1 + exp(-(value - p.c + p.d / 2) / p.e)
            let falling = 1 + exp(-(value - p.c - p.d / 2) / p.f)
            let desirability = (p.a + p.b / rising * (1 - 1 / falling)) / p.dmax
            total += weights[index] * log(desirability)
        }
        return exp(total / weights.reduce(0, +))
    }

    // RDKit deletes the atoms matching `[$([A;R][!a])]` and counts the smallest set of
    // smallest rings of what remains, which is its cycle rank: bonds − atoms + fragments.
    private var qedAromaticRings: Int {
        let pattern = DescriptorPatterns.aliphaticRingAtoms
        var kept = [Bool](repeating: true, count: atomCount)
        for atom in 0..<atomCount where ringMembership[atom] > 0 && pattern.matches(in: self, rootedAt: atom) {
            kept[atom] = false
        }
        var parent = Array(0..<atomCount)
        func root(_ atom: Int) -> Int {
            var atom = atom
            while parent[atom] != atom {
                parent[atom] = parent[parent[atom]]
                atom = parent[atom]
            }
            return atom
        }
        var bondCount = 0
        var atoms = 0
        var fragments = 0
        for atom in 0..<atomCount where kept[atom] { atoms += 1; fragments += 1 }
        for bond in molecule.bonds where kept[bond.begin] && kept[bond.end] {
            bondCount += 1
            let first = root(bond.begin)
            let second = root(bond.end)
            if first != second {
                parent[first] = second
                fragments -= 1
            }
        }
        return bondCount - atoms + fragments
    }
}
