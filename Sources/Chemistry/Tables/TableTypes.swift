// The shapes of the published parameter tables, which scripts/reference/chemistry_tables.py
// writes from RDKit's data files into the other files of this folder.

/// Namespace for the Wildman–Crippen atom-type table.
enum CrippenTable {}

/// One Wildman–Crippen atom type: the first type whose SMARTS matches an atom (as the
/// pattern's first atom) gives that atom its logP and molar-refractivity contributions.
struct CrippenAtomType: Sendable {
    /// The type's name in the paper (`C1`, `N11`, `H2`, ...).
    let label: String
    /// The SMARTS that assigns the type.
    let smarts: String
    /// The contribution to logP.
    let logP: Double
    /// The contribution to molar refractivity.
    let mr: Double
}

/// Namespace for the QED parameters.
enum QEDTable {}

/// The asymmetric double sigmoid of one QED property (Bickerton et al. 2012, equation 1).
struct ADSParameters: Sendable {
    let a: Double
    let b: Double
    let c: Double
    let d: Double
    let e: Double
    let f: Double
    let dmax: Double
}

/// Namespace for the structural-alert catalogues.
enum FilterCatalogTables {}

/// One entry of a structural-alert catalogue: it fires when its SMARTS matches at least
/// `minCount` times (and at most `maxCount` times, when given).
struct FilterDefinition: Sendable {
    /// The entry's name in the catalogue.
    let name: String
    /// The SMARTS that detects it.
    let smarts: String
    /// Matches needed for the entry to fire.
    let minCount: Int
    /// Matches beyond which the entry no longer fires, if any.
    let maxCount: Int?
}
