extension PerceivedMolecule {
    /// A canonical SMILES: the same for every way of writing the molecule, with its stereo.
    ///
    /// Atoms are ranked by partition refinement (tie-breaking where the molecule is
    /// symmetric) and written from the ranks; aromaticity is RDKit's model as perceived here,
    /// so aromatic atoms are lowercase. Charges, isotopes, atom classes, bracket hydrogens,
    /// dative bonds and wildcards are kept, and fragments are written in canonical order,
    /// joined by `.`. Tetrahedral (`@`/`@@`) and double-bond (`/`/`\`) stereo are kept where
    /// they can carry meaning; marks RDKit would drop as meaningless (two alike neighbours,
    /// a double bond in a ring of fewer than eight atoms) are dropped. Other stereo classes
    /// (`@SP1`, `@TB1`, `@OH1`, `@AL1`) are not kept.
    ///
    /// The string reads back, with ``SMILESParser`` or RDKit, as the same molecule, and gives
    /// the same canonical SMILES again. It is not RDKit's canonical SMILES.
    public var canonicalSMILES: String {
        guard atomCount > 0 else { return "" }
        return SMILESWriter(self, labeling: CanonicalLabeling(self)).write()
    }
}

extension Molecule {
    /// A canonical SMILES: the same for every way of writing the molecule, with its stereo.
    ///
    /// This perceives rings and aromaticity first; with a ``PerceivedMolecule`` at hand, use
    /// its ``PerceivedMolecule/canonicalSMILES`` instead.
    public var canonicalSMILES: String {
        PerceivedMolecule(self).canonicalSMILES
    }
}
