/// One value of ``ProteinProperties``, named as Biopython's `ProteinAnalysis` method that computes
/// it; the raw values are the column names BulkPredict writes.
public enum ProteinProperty: String, Sendable, Hashable, CaseIterable {
    /// Residues in the sequence (`len(seq)`), every letter counted.
    case length
    /// Average molecular weight in daltons (`molecular_weight()`).
    case molecularWeight = "molecular_weight"
    /// Isoelectric point (`isoelectric_point()`).
    case isoelectricPoint = "isoelectric_point"
    /// Grand average of hydropathy, Kyte–Doolittle scale (`gravy()`).
    case gravy
    /// Instability index of Guruprasad et al. (`instability_index()`).
    case instabilityIndex = "instability_index"
    /// Relative frequency of F, W and Y (`aromaticity()`).
    case aromaticity
    /// Molar extinction coefficient at 280 nm with reduced cysteines
    /// (`molar_extinction_coefficient()[0]`).
    case extinctionReduced = "extinction_reduced"
    /// Molar extinction coefficient at 280 nm with all cysteine pairs as cystines
    /// (`molar_extinction_coefficient()[1]`).
    case extinctionOxidized = "extinction_oxidized"
    /// Net charge at pH 7 (`charge_at_pH(7.0)`).
    case chargeAtPH7 = "charge_at_ph7"

    /// The column name: Biopython's name for the value.
    public var name: String { rawValue }
}
