/// Reads SMILES strings into ``Molecule`` values.
///
/// The parser follows OpenSMILES (organic subset, bracket atoms with isotope, chirality,
/// hydrogen count, charge and atom class, all bond symbols, branches, ring bonds `1`–`9`,
/// `%nn` and `%(nnnnn)`, dot-separated fragments, the wildcard `*`) plus RDKit's dative
/// bonds `->` and `<-`. It then does what RDKit's `MolFromSmiles` does before a molecule is
/// usable: normalises charge-separated groups, checks valences, adds implicit hydrogens and
/// finds a Kekulé structure for aromatic rings. Input that RDKit rejects is rejected here too.
///
/// Leading whitespace is skipped and the SMILES ends at the next whitespace; what follows is
/// taken as a title and ignored, except ChemAxon extensions (`|...|`), which are rejected.
///
/// The parser never traps and never recurses: any input, including random bytes, yields a
/// molecule or a ``SMILESError``. A parser is a small value; share one across threads freely.
public struct SMILESParser: Sendable {
    /// The longest input accepted, in bytes; longer input fails with ``SMILESError/Code/tooLong``.
    public let maximumLength: Int

    /// Creates a parser.
    ///
    /// - Parameter maximumLength: the longest input accepted, in bytes (default 4096). It
    ///   bounds the work and memory spent on one string.
    public init(maximumLength: Int = 4096) {
        self.maximumLength = min(max(maximumLength, 0), Int(Int32.max) - 1)
    }

    /// Parses a SMILES string.
    ///
    /// - Throws: ``SMILESError`` describing the first problem found.
    public func parse(_ smiles: some StringProtocol) throws(SMILESError) -> Molecule {
        let contiguous = smiles.utf8.withContiguousStorageIfAvailable { buffer in
            Result { () throws(SMILESError) -> Molecule in try parse(utf8: buffer) }
        }
        if let contiguous { return try contiguous.get() }
        var copy = String(smiles)
        return try copy.withUTF8 { buffer in
            Result { () throws(SMILESError) -> Molecule in try parse(utf8: buffer) }
        }.get()
    }

    /// Parses a SMILES string given as UTF-8 bytes (need not be valid UTF-8).
    ///
    /// This is the fast path for bulk input: no `String` is created. Error positions are byte
    /// offsets into `utf8`.
    ///
    /// - Throws: ``SMILESError`` describing the first problem found.
    public func parse(utf8: UnsafeBufferPointer<UInt8>) throws(SMILESError) -> Molecule {
        guard utf8.count <= maximumLength else {
            throw SMILESError(.tooLong, at: maximumLength, "SMILES is longer than \(maximumLength) bytes")
        }
        var start = 0
        while start < utf8.count, SMILESParser.isWhitespace(utf8[start]) { start += 1 }
        guard start < utf8.count else { throw SMILESError(.empty, at: 0, "empty SMILES") }
        var end = start
        while end < utf8.count, !SMILESParser.isWhitespace(utf8[end]) { end += 1 }
        var rest = end
        while rest < utf8.count, SMILESParser.isWhitespace(utf8[rest]) { rest += 1 }
        if rest < utf8.count, utf8[rest] == UInt8(ascii: "|") {
            throw SMILESError(
                .unsupportedExtension, at: rest,
                "extension fields ('|...|') at position \(rest) are not supported")
        }
        let token = UnsafeBufferPointer(rebasing: utf8[start..<end])
        var reader = SMILESReader(bytes: token, origin: start)
        try reader.read()
        var molecule = Molecule(atoms: reader.atoms, bonds: reader.bonds)
        try molecule.checkRingBonds(reader.ringBondPositions)
        molecule.recordRingBondDigits(reader.ringBondPositions, origin: start)
        try molecule.perceive(atomPositions: reader.atomPositions)
        return molecule
    }

    // The same set as C's isspace, which RDKit uses to split a SMILES from its title.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
