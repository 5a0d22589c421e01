import BulkPredictCore
import Chemistry

/// The built-in chemistry models beyond `chem.formula`: their descriptors and what they compute.
public enum ChemistryModels {
    private static func column(_ name: String, _ type: ValueType, _ description: String) -> OutputColumn {
        OutputColumn(name: name, type: type, description: description)
    }

    /// `chem.descriptors`: RDKit's physicochemical descriptors under RDKit's names, plus the
    /// canonical SMILES.
    public static let descriptors = ModelDescriptor(
        id: "chem.descriptors", version: "1.0.0", input: .smiles,
        outputs: [
            column("canonical_smiles", .string, "canonical SMILES (the same for every way of writing the molecule)"),
            column("MolWt", .double, "average molecular weight (g/mol)"),
            column("ExactMolWt", .double, "monoisotopic molecular weight (Da)"),
            column("HeavyAtomCount", .int, "non-hydrogen atoms"),
            column("NumHDonors", .int, "hydrogen-bond donors"),
            column("NumHAcceptors", .int, "hydrogen-bond acceptors"),
            column("NumRotatableBonds", .int, "rotatable bonds (strict definition)"),
            column("RingCount", .int, "rings (symmetrised smallest set)"),
            column("NumAromaticRings", .int, "rings whose bonds are all aromatic"),
            column("FractionCSP3", .double, "fraction of carbons that are sp3"),
            column("TPSA", .double, "topological polar surface area (Å², N and O)"),
            column("MolLogP", .double, "Wildman–Crippen logP"),
            column("MolMR", .double, "Wildman–Crippen molar refractivity"),
            column("QED", .double, "quantitative estimate of drug-likeness (mean weights)"),
            column("NumAtomStereoCenters", .int, "tetrahedral stereocentres, specified or not"),
            column("FormalCharge", .int, "net formal charge"),
            column("LipinskiViolations", .int, "rule-of-five violations (MW > 500, logP > 5, HBD > 5, HBA > 10)"),
            column("PAINS", .int, "matching PAINS alerts (families A, B, C)"),
            column("BRENK", .int, "matching Brenk alerts"),
            column("NIH", .int, "matching NIH alerts"),
        ],
        targets: ["descriptors"], series: [], runner: .builtin("chem.descriptors"),
        description: "RDKit-compatible physicochemical descriptors, QED and structural-alert counts")

    /// `chem.druglikeness`: rule of five, QED and structural alerts.
    public static let druglikeness = ModelDescriptor(
        id: "chem.druglikeness", version: "1.0.0", input: .smiles,
        outputs: [
            column("MolWt", .double, "average molecular weight (g/mol)"),
            column("MolLogP", .double, "Wildman–Crippen logP"),
            column("NumHDonors", .int, "hydrogen-bond donors"),
            column("NumHAcceptors", .int, "hydrogen-bond acceptors"),
            column("LipinskiViolations", .int, "rule-of-five violations"),
            column("lipinski_pass", .bool, "at most one rule-of-five violation"),
            column("QED", .double, "quantitative estimate of drug-likeness (mean weights)"),
            column("PAINS", .int, "matching PAINS alerts"),
            column("BRENK", .int, "matching Brenk alerts"),
            column("NIH", .int, "matching NIH alerts"),
        ],
        targets: ["druglikeness"], series: [], runner: .builtin("chem.druglikeness"),
        description: "Lipinski's rule of five, QED and PAINS/Brenk/NIH alert counts")

    /// `chem.esol`: aqueous solubility by Delaney's ESOL equation.
    public static let esol = ModelDescriptor(
        id: "chem.esol", version: "1.0.0", input: .smiles,
        outputs: [
            column("logS", .double, "estimated aqueous solubility, log10(mol/L)"),
            column("MolLogP", .double, "Wildman–Crippen logP used in the equation"),
            column("MolWt", .double, "average molecular weight used in the equation"),
            column("NumRotatableBonds", .int, "rotatable bonds used in the equation"),
            column("AromaticProportion", .double, "aromatic atoms / heavy atoms"),
        ],
        targets: ["solubility"], series: [], runner: .builtin("chem.esol"),
        description: "Aqueous solubility (logS) by Delaney's 2004 ESOL equation")

    /// Registers the three models.
    static func register(in registry: inout ModelRegistry) {
        registry.addBuiltIn(descriptors) { MoleculePredictor(descriptor: $0, compute: computeDescriptors) }
        registry.addBuiltIn(druglikeness) { MoleculePredictor(descriptor: $0, compute: computeDruglikeness) }
        registry.addBuiltIn(esol) { MoleculePredictor(descriptor: $0, compute: computeESOL) }
    }

    /// Their default recommendations: one target per model.
    static let recommendations = [
        Recommendation(target: "descriptors", model: descriptors.id),
        Recommendation(target: "druglikeness", model: druglikeness.id),
        Recommendation(target: "solubility", model: esol.id),
    ]

    @Sendable static func computeDescriptors(_ molecule: Molecule) -> [OutputValue] {
        let perceived = PerceivedMolecule(molecule)
        let values = Descriptors(perceived)
        return [
            .string(perceived.canonicalSMILES), .double(values.molWt), .double(values.exactMolWt),
            .int(Int64(values.heavyAtomCount)), .int(Int64(values.numHDonors)), .int(Int64(values.numHAcceptors)),
            .int(Int64(values.numRotatableBonds)), .int(Int64(values.ringCount)), .int(Int64(values.numAromaticRings)),
            .double(values.fractionCSP3), .double(values.tpsa), .double(values.molLogP), .double(values.molMR),
            .double(values.qed), .int(Int64(values.numAtomStereoCenters)), .int(Int64(values.formalCharge)),
            .int(Int64(values.lipinskiViolations)), .int(Int64(values.pains)), .int(Int64(values.brenk)),
            .int(Int64(values.nih)),
        ]
    }

    @Sendable static func computeDruglikeness(_ molecule: Molecule) -> [OutputValue] {
        let perceived = PerceivedMolecule(molecule)
        let logP = perceived.crippenContributions.logP
        let donors = perceived.numHDonors
        let acceptors = perceived.numHAcceptors
        let weight = molecule.averageMolecularWeight
        let tpsa = perceived.tpsa
        let properties = perceived.qedProperties(
            logP: logP, donors: donors, polarSurfaceArea: tpsa, rotatableBonds: perceived.numRotatableBonds)
        let violations = perceived.lipinskiViolations(molWt: weight, logP: logP, donors: donors, acceptors: acceptors)
        return [
            .double(weight), .double(logP), .int(Int64(donors)), .int(Int64(acceptors)), .int(Int64(violations)),
            .bool(violations <= 1), .double(PerceivedMolecule.qed(properties)), .int(Int64(perceived.painsCount)),
            .int(Int64(perceived.brenkCount)), .int(Int64(perceived.nihCount)),
        ]
    }

    @Sendable static func computeESOL(_ molecule: Molecule) -> [OutputValue] {
        let perceived = PerceivedMolecule(molecule)
        let estimate = perceived.esol
        return [
            .double(estimate.logS), .double(estimate.logP), .double(estimate.molecularWeight),
            .int(Int64(estimate.rotatableBonds)), .double(estimate.aromaticProportion),
        ]
    }
}
