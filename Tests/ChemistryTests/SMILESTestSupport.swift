import Chemistry

/// Parses with the default parser; the test fails on a thrown error.
func parse(_ smiles: String) throws -> Molecule {
    try SMILESParser().parse(smiles)
}

/// The error the default parser throws for `smiles`, or `nil` when it parses.
func parseError(_ smiles: String, maximumLength: Int = 4096) -> SMILESError? {
    do throws(SMILESError) {
        _ = try SMILESParser(maximumLength: maximumLength).parse(smiles)
        return nil
    } catch {
        return error
    }
}

/// The error for raw bytes, which need not be valid UTF-8.
func parseError(bytes: [UInt8], maximumLength: Int = 4096) -> SMILESError? {
    bytes.withUnsafeBufferPointer { buffer in
        do throws(SMILESError) {
            _ = try SMILESParser(maximumLength: maximumLength).parse(utf8: buffer)
            return nil
        } catch {
            return error
        }
    }
}

/// Hydrogen counts of every atom, in SMILES order.
func hydrogenCounts(_ smiles: String) throws -> [Int] {
    try parse(smiles).atoms.map(\.hydrogenCount)
}
