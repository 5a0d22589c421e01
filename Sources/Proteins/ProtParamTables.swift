// The published parameter tables behind ProteinProperties, indexed as ResidueAlphabet
// (ACDEFGHIKLMNPQRSTVWY, then X B Z J U O). The numbers are the ones Biopython 1.88 uses, so
// that BulkPredict's values agree with `Bio.SeqUtils.ProtParam.ProteinAnalysis`.

/// Namespace for the ProtParam parameter tables.
enum ProtParamTables {
    /// Average masses of the free standard amino acids in daltons, as tabulated in Biopython's
    /// `Bio.Data.IUPACData.protein_weights` (IUPAC average masses).
    static let averageMass: [Double] = [
        89.0932, 121.1582, 133.1027, 147.1293, 165.1891,  // A C D E F
        75.0666, 155.1546, 131.1729, 146.1876, 131.1729,  // G H I K L
        149.2113, 132.1179, 115.1305, 146.1445, 174.201,  // M N P Q R
        105.0926, 119.1192, 117.1463, 204.2252, 181.1885,  // S T V W Y
    ]

    /// Average masses of the extended letters X, B, Z, J, U, O from the same table: U
    /// (selenocysteine) and O (pyrrolysine) have one; the ambiguity codes have none (`nil`),
    /// which is why Biopython's `molecular_weight` raises for them.
    static let extendedAverageMass: [Double?] = [nil, nil, nil, nil, 168.0532, 255.3134]

    /// The mass of the water lost at each peptide bond, as Biopython's
    /// `Bio.SeqUtils.molecular_weight` uses for average masses.
    static let water = 18.0153

    /// Kyte–Doolittle hydropathy of the standard residues (Kyte & Doolittle 1982, J. Mol. Biol.
    /// 157:105–132, as tabulated in Biopython's `ProtParamData.kd`).
    static let kyteDoolittle: [Double] = [
        1.8, 2.5, -3.5, -3.5, 2.8,  // A C D E F
        -0.4, -3.2, 4.5, -3.9, 3.8,  // G H I K L
        1.9, -3.5, -1.6, -3.5, -4.5,  // M N P Q R
        -0.8, -0.7, 4.2, -0.9, -1.3,  // S T V W Y
    ]

    /// Dipeptide instability weight values, row = first residue, column = second, 20 × 20 in
    /// table order (Guruprasad, Reddy & Pandit 1990, Protein Eng. 4:155–161, as tabulated in
    /// Biopython's `ProtParamData.DIWV`, including its F→Y entry of 33.601).
    static let instabilityWeights: [Double] = [
        // A
        1.0, 44.94, -7.49, 1.0, 1.0, 1.0, -7.49, 1.0, 1.0, 1.0,
        1.0, 1.0, 20.26, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
        // C
        1.0, 1.0, 20.26, 1.0, 1.0, 1.0, 33.6, 1.0, 1.0, 20.26,
        33.6, 1.0, 20.26, -6.54, 1.0, 1.0, 33.6, -6.54, 24.68, 1.0,
        // D
        1.0, 1.0, 1.0, 1.0, -6.54, 1.0, 1.0, 1.0, -7.49, 1.0,
        1.0, 1.0, 1.0, 1.0, -6.54, 20.26, -14.03, 1.0, 1.0, 1.0,
        // E
        1.0, 44.94, 20.26, 33.6, 1.0, 1.0, -6.54, 20.26, 1.0, 1.0,
        1.0, 1.0, 20.26, 20.26, 1.0, 20.26, 1.0, 1.0, -14.03, 1.0,
        // F
        1.0, 1.0, 13.34, 1.0, 1.0, 1.0, 1.0, 1.0, -14.03, 1.0,
        1.0, 1.0, 20.26, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 33.601,
        // G
        -7.49, 1.0, 1.0, -6.54, 1.0, 13.34, 1.0, -7.49, -7.49, 1.0,
        1.0, -7.49, 1.0, 1.0, 1.0, 1.0, -7.49, 1.0, 13.34, -7.49,
        // H
        1.0, 1.0, 1.0, 1.0, -9.37, -9.37, 1.0, 44.94, 24.68, 1.0,
        1.0, 24.68, -1.88, 1.0, 1.0, 1.0, -6.54, 1.0, -1.88, 44.94,
        // I
        1.0, 1.0, 1.0, 44.94, 1.0, 1.0, 13.34, 1.0, -7.49, 20.26,
        1.0, 1.0, -1.88, 1.0, 1.0, 1.0, 1.0, -7.49, 1.0, 1.0,
        // K
        1.0, 1.0, 1.0, 1.0, 1.0, -7.49, 1.0, -7.49, 1.0, -7.49,
        33.6, 1.0, -6.54, 24.64, 33.6, 1.0, 1.0, -7.49, 1.0, 1.0,
        // L
        1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -7.49, 1.0,
        1.0, 1.0, 20.26, 33.6, 20.26, 1.0, 1.0, 1.0, 24.68, 1.0,
        // M
        13.34, 1.0, 1.0, 1.0, 1.0, 1.0, 58.28, 1.0, 1.0, 1.0,
        -1.88, 1.0, 44.94, -6.54, -6.54, 44.94, -1.88, 1.0, 1.0, 24.68,
        // N
        1.0, -1.88, 1.0, 1.0, -14.03, -14.03, 1.0, 44.94, 24.68, 1.0,
        1.0, 1.0, -1.88, -6.54, 1.0, 1.0, -7.49, 1.0, -9.37, 1.0,
        // P
        20.26, -6.54, -6.54, 18.38, 20.26, 1.0, 1.0, 1.0, 1.0, 1.0,
        -6.54, 1.0, 20.26, 20.26, -6.54, 20.26, 1.0, 20.26, -1.88, 1.0,
        // Q
        1.0, -6.54, 20.26, 20.26, -6.54, 1.0, 1.0, 1.0, 1.0, 1.0,
        1.0, 1.0, 20.26, 20.26, 1.0, 44.94, 1.0, -6.54, 1.0, -6.54,
        // R
        1.0, 1.0, 1.0, 1.0, 1.0, -7.49, 20.26, 1.0, 1.0, 1.0,
        1.0, 13.34, 20.26, 20.26, 58.28, 44.94, 1.0, 1.0, 58.28, -6.54,
        // S
        1.0, 33.6, 1.0, 20.26, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
        1.0, 1.0, 44.94, 20.26, 20.26, 20.26, 1.0, 1.0, 1.0, 1.0,
        // T
        1.0, 1.0, 1.0, 20.26, 13.34, -7.49, 1.0, 1.0, 1.0, 1.0,
        1.0, -14.03, 1.0, -6.54, 1.0, 1.0, 1.0, 1.0, -14.03, 1.0,
        // V
        1.0, 1.0, -14.03, 1.0, 1.0, -7.49, 1.0, 1.0, -1.88, 1.0,
        1.0, 1.0, 20.26, 1.0, 1.0, 1.0, -7.49, 1.0, 1.0, -6.54,
        // W
        -14.03, 1.0, 1.0, 1.0, 1.0, -9.37, 24.68, 1.0, 1.0, 13.34,
        24.68, 13.34, 1.0, 1.0, 1.0, 1.0, -14.03, -7.49, 1.0, 1.0,
        // Y
        24.68, 1.0, 24.68, -6.54, 1.0, -7.49, 13.34, 1.0, 1.0, 1.0,
        44.94, 1.0, 13.34, 1.0, -15.91, 1.0, -7.49, 1.0, -9.37, 13.34,
    ]

    /// Molar extinction at 280 nm of tryptophan and tyrosine, and the increment of one cystine
    /// (a disulfide-bonded pair of cysteines), in M⁻¹ cm⁻¹ (Pace et al. 1995, Protein Sci.
    /// 4:2411–2423, as used by Biopython's `molar_extinction_coefficient`).
    static let extinctionTryptophan = 5500
    /// See ``extinctionTryptophan``.
    static let extinctionTyrosine = 1490
    /// See ``extinctionTryptophan``.
    static let extinctionCystine = 125
}
