/// Every descriptor of the `chem.descriptors` model for one molecule, under RDKit's names and
/// definitions, computed together so that shared parts (rings, aromaticity, Crippen types,
/// TPSA) are computed once.
public struct Descriptors: Sendable, Hashable {
    /// Average molecular weight (`MolWt`).
    public var molWt: Double
    /// Monoisotopic molecular weight (`ExactMolWt`).
    public var exactMolWt: Double
    /// Non-hydrogen atoms (`HeavyAtomCount`).
    public var heavyAtomCount: Int
    /// Hydrogen-bond donors (`NumHDonors`).
    public var numHDonors: Int
    /// Hydrogen-bond acceptors (`NumHAcceptors`).
    public var numHAcceptors: Int
    /// Rotatable bonds, strict definition (`NumRotatableBonds`).
    public var numRotatableBonds: Int
    /// Rings of RDKit's symmetrised smallest set (`RingCount`).
    public var ringCount: Int
    /// Rings whose bonds are all aromatic (`NumAromaticRings`).
    public var numAromaticRings: Int
    /// Fraction of sp3 carbons (`FractionCSP3`).
    public var fractionCSP3: Double
    /// Topological polar surface area in Å² (`TPSA`).
    public var tpsa: Double
    /// Wildman–Crippen logP (`MolLogP`).
    public var molLogP: Double
    /// Wildman–Crippen molar refractivity (`MolMR`).
    public var molMR: Double
    /// Quantitative estimate of drug-likeness (`QED`).
    public var qed: Double
    /// Tetrahedral stereocentres, specified or not (`NumAtomStereoCenters`).
    public var numAtomStereoCenters: Int
    /// Net formal charge (`FormalCharge`).
    public var formalCharge: Int
    /// Rule-of-five violations (`LipinskiViolations`).
    public var lipinskiViolations: Int
    /// Matching PAINS catalogue entries.
    public var pains: Int
    /// Matching BRENK catalogue entries.
    public var brenk: Int
    /// Matching NIH catalogue entries.
    public var nih: Int
    /// The QED inputs, kept for the drug-likeness model.
    public var qedProperties: PerceivedMolecule.QEDProperties

    /// Computes every descriptor of `molecule`.
    public init(_ molecule: Molecule) {
        self.init(PerceivedMolecule(molecule))
    }

    /// Computes every descriptor of an already perceived molecule.
    public init(_ perceived: PerceivedMolecule) {
        let molecule = perceived.molecule
        molWt = molecule.averageMolecularWeight
        exactMolWt = molecule.exactMolecularWeight
        heavyAtomCount = molecule.heavyAtomCount
        numHDonors = perceived.numHDonors
        numHAcceptors = perceived.numHAcceptors
        numRotatableBonds = perceived.numRotatableBonds
        ringCount = perceived.rings.count
        numAromaticRings = perceived.numAromaticRings
        fractionCSP3 = molecule.fractionCSP3
        tpsa = perceived.tpsa
        let crippen = perceived.crippenContributions
        molLogP = crippen.logP
        molMR = crippen.molarRefractivity
        qedProperties = perceived.qedProperties(
            logP: crippen.logP, donors: numHDonors, polarSurfaceArea: tpsa, rotatableBonds: numRotatableBonds)
        qed = PerceivedMolecule.qed(qedProperties)
        numAtomStereoCenters = perceived.numAtomStereoCenters
        formalCharge = molecule.formalCharge
        lipinskiViolations = perceived.lipinskiViolations(
            molWt: molWt, logP: molLogP, donors: numHDonors, acceptors: numHAcceptors)
        pains = perceived.painsCount
        brenk = perceived.brenkCount
        nih = perceived.nihCount
    }
}
