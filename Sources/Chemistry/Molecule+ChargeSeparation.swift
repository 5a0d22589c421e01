// RDKit rewrites a few hypervalent spellings into charge-separated ones before checking
// valences (MolOps::cleanUp). Doing the same keeps us accepting exactly what RDKit accepts,
// and the net charge, formula and weight are unchanged by it.
extension Molecule {
    /// Rewrites `N(=O)=O` → `[N+](=O)[O-]`, `N=N#N` → `N=[N+]=[N-]`, `C=P(=O)X` →
    /// `C=[P+]([O-])X` and halogen oxo acids such as `Cl(=O)(=O)(=O)O` → `[Cl+3]([O-])…`.
    mutating func separateCharges() {
        for index in atoms.indices {
            switch atoms[index].element.rawAtomicNumber {
            case 7: separateNitrogenCharge(index)
            case 15: separatePhosphorusCharge(index)
            case 17, 35, 53: separateHalogenCharges(index)
            default: break
            }
        }
    }

    private mutating func separateNitrogenCharge(_ index: Int) {
        guard atoms[index].storedCharge == 0, explicitValence(of: index, countAtomFlag: false) == 5 else { return }
        for neighbor in neighbors(of: index) {
            let other = atoms[neighbor.atom]
            guard other.storedCharge == 0 else { continue }
            let order = bonds[neighbor.bond].order
            if other.element == .oxygen, order == .double {
                setOrder(of: neighbor.bond, to: .single)
            } else if other.element == .nitrogen, order == .triple {
                setOrder(of: neighbor.bond, to: .double)
            } else {
                continue
            }
            atoms[index].storedCharge = 1
            atoms[neighbor.atom].storedCharge = -1
            return
        }
    }

    private mutating func separatePhosphorusCharge(_ index: Int) {
        guard atoms[index].storedCharge == 0, degree(of: index) == 3, explicitValence(of: index) == 5 else { return }
        var oxoBond: Neighbor?
        var hasDoubleBondToChain = false
        for neighbor in neighbors(of: index) where bonds[neighbor.bond].order == .double {
            let other = atoms[neighbor.atom]
            if other.element == .oxygen, other.storedCharge == 0 {
                oxoBond = neighbor
            } else if other.element == .carbon || other.element == .nitrogen, degree(of: neighbor.atom) >= 2 {
                hasDoubleBondToChain = true
            }
        }
        guard hasDoubleBondToChain, let oxoBond else { return }
        setOrder(of: oxoBond.bond, to: .single)
        atoms[oxoBond.atom].storedCharge = -1
        atoms[index].storedCharge = 1
    }

    private mutating func separateHalogenCharges(_ index: Int) {
        guard atoms[index].storedCharge == 0 else { return }
        let valence = explicitValence(of: index)
        guard valence == 3 || valence == 5 || valence == 7 else { return }
        for neighbor in neighbors(of: index) where atoms[neighbor.atom].element != .oxygen { return }
        var charge: Int8 = 0
        for neighbor in neighbors(of: index) where bonds[neighbor.bond].order == .double {
            setOrder(of: neighbor.bond, to: .single)
            atoms[neighbor.atom].storedCharge = -1
            charge += 1
        }
        atoms[index].storedCharge = charge
    }
}
