// The SMARTS behind RDKit's descriptors, compiled once per process. Every pattern here is
// a published definition; tests compile each one and compare the descriptors built on them
// with RDKit's values.

enum DescriptorPatterns {
    /// Compiles a pattern that is part of the program; a failure is a programming error that
    /// the test suite catches.
    static func compile(_ smarts: String) -> SMARTSPattern {
        do {
            return try SMARTSPattern(smarts)
        } catch {
            preconditionFailure("built-in SMARTS '\(smarts)' does not compile: \(error)")
        }
    }

    // rdMolDescriptors.CalcNumHBD, version 2.0.1 (Code/GraphMol/Descriptors/Lipinski.cpp).
    static let donors = compile("[N&!H0&v3,N&!H0&+1&v4,O&H1&+0,S&H1&+0,n&H1&+0]")

    // rdMolDescriptors.CalcNumHBA, version 2.0.2 (RDKit pull request 9060: a pyrrole-type
    // aromatic N with three connections is not an acceptor).
    static let acceptors = compile(
        "[$([O,S;H1;v2]-[!$(*=[O,N,P,S])]),$([O,S;H0;v2]),$([O,S;-]),$([N;v3;!$(N-*=!@[O,N,P,S])]),$([nH0X2,o,s;+0])]")

    // rdMolDescriptors.CalcNumRotatableBonds with the default (Strict) definition, version
    // 3.2.0 (RDKit pull request 9096 added `!$([CH3])` to both atoms): amide, ester, thioamide
    // and amidine C–N bonds, and bonds to CF3, CCl3, CBr3, t-butyl and methyl groups, do not
    // rotate.
    static let rotatableBonds = compile(
        "[!$(*#*)&!D1&!$(C(F)(F)F)&!$(C(Cl)(Cl)Cl)&!$(C(Br)(Br)Br)&!$(C([CH3])([CH3])[CH3])&!$([CH3])"
            + "&!$([CD3](=[N,O,S])-!@[#7,O,S!D1])&!$([#7,O,S!D1]-!@[CD3]=[N,O,S])&!$([CD3](=[N+])-!@[#7!D1])"
            + "&!$([#7!D1]-!@[CD3]=[N+])]-,:;!@"
            + "[!$(*#*)&!D1&!$(C(F)(F)F)&!$(C(Cl)(Cl)Cl)&!$(C(Br)(Br)Br)&!$(C([CH3])([CH3])[CH3])&!$([CH3])]")

    static let crippenTypes = CrippenTable.types.map { compile($0.smarts) }

    // For each atomic number, the Crippen types (in table order) that can apply to such an
    // atom: those whose first pattern atom requires that element or no element at all.
    static let crippenCandidates: [[Int]] = {
        var table = [[Int]](repeating: [], count: 119)
        for number in 0..<119 {
            table[number] = crippenTypes.indices.filter {
                crippenTypes[$0].storage.rootElement.map { Int($0) == number } ?? true
            }
        }
        return table
    }()
    static let qedAcceptors = QEDTable.acceptorSMARTS.map(compile)
    static let qedAlerts = QEDTable.alertSMARTS.map(compile)
    static let aliphaticRingAtoms = compile(QEDTable.aliphaticRingsSMARTS)
    static let pains = FilterCatalogTables.pains.map { compile($0.smarts) }
    static let brenk = FilterCatalogTables.brenk.map { compile($0.smarts) }
    static let nih = FilterCatalogTables.nih.map { compile($0.smarts) }
}
