// ESOL: J. S. Delaney, "ESOL: Estimating Aqueous Solubility Directly from Molecular
// Structure", J. Chem. Inf. Comput. Sci. 2004, 44, 1000–1005, equation 2:
//   log S = 0.16 − 0.63 clogP − 0.0062 MWT + 0.066 RB − 0.74 AP
// with the paper's coefficients. Delaney used Daylight's clogP; Wildman–Crippen logP stands in
// for it here, and RDKit's strict rotatable-bond count for RB.
extension PerceivedMolecule {
    /// An ESOL estimate and the four inputs it was computed from.
    public struct SolubilityEstimate: Sendable, Hashable {
        /// Estimated aqueous solubility, log10 of mol/L.
        public var logS: Double
        /// Wildman–Crippen logP.
        public var logP: Double
        /// Average molecular weight.
        public var molecularWeight: Double
        /// Rotatable bonds.
        public var rotatableBonds: Int
        /// Aromatic heavy atoms divided by heavy atoms (0 without heavy atoms).
        public var aromaticProportion: Double
    }

    /// Aqueous solubility by Delaney's ESOL equation.
    public var esol: SolubilityEstimate {
        let logP = crippenContributions.logP
        let weight = molecule.averageMolecularWeight
        let rotatable = numRotatableBonds
        var heavy = 0
        var aromatic = 0
        for atom in 0..<atomCount where atomicNumbers[atom] > 1 {
            heavy += 1
            if isAromaticAtom[atom] { aromatic += 1 }
        }
        let proportion = heavy == 0 ? 0 : Double(aromatic) / Double(heavy)
        let logS = 0.16 - 0.63 * logP - 0.0062 * weight + 0.066 * Double(rotatable) - 0.74 * proportion
        return SolubilityEstimate(
            logS: logS, logP: logP, molecularWeight: weight, rotatableBonds: rotatable, aromaticProportion: proportion)
    }
}
