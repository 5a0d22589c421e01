/// The residue letters BulkPredict knows and their table indices, shared by the property and
/// embedding code so that both read a sequence the same way.
///
/// Indices 0–19 are the standard residues in ``standard`` order (`ACDEFGHIKLMNPQRSTVWY`, the
/// order of Biopython's `IUPACData.protein_letters`), 20–25 the extended letters X, B, Z, J, U
/// and O. Upper- and lower-case letters share an index, as Biopython upper-cases its input.
enum ResidueAlphabet {
    /// The 20 standard residues in table order.
    static let standard: [UInt8] = Array("ACDEFGHIKLMNPQRSTVWY".utf8)
    /// The extended letters after the standard ones, in table order.
    static let extended: [UInt8] = Array("XBZJUO".utf8)
    /// Number of standard residues.
    static let standardCount = 20
    /// Number of letters with an index, standard and extended.
    static let letterCount = 26
    /// The index of a byte that is not a letter.
    static let invalid: UInt8 = 255

    /// The index of every byte value: ``invalid`` for bytes that are not letters A–Z or a–z.
    static let indices: [UInt8] = {
        var table = [UInt8](repeating: invalid, count: 256)
        for (index, letter) in letters.enumerated() {
            table[Int(letter)] = UInt8(index)
            table[Int(letter | 0x20)] = UInt8(index)
        }
        return table
    }()

    /// Every letter with an index, in index order.
    static let letters: [UInt8] = standard + extended

    /// The upper-case letter of an index.
    static func letter(_ index: Int) -> Character { Character(Unicode.Scalar(letters[index])) }

    /// Checks that `residues` is not empty and has letters only.
    ///
    /// Every byte before the first non-letter is an ASCII letter, so the byte offset + 1 is also
    /// the character position that ``FASTAReader``'s messages use.
    static func validate(_ residues: UnsafeBufferPointer<UInt8>) throws(ProteinSequenceError) {
        guard !residues.isEmpty else {
            throw ProteinSequenceError(code: .emptySequence, message: "the sequence is empty")
        }
        // Valid input, the usual case, needs only this scan.
        var firstInvalid: Int?
        indices.withUnsafeBufferPointer { table in
            for offset in residues.indices where table[Int(residues[offset])] == invalid {
                firstInvalid = offset
                break
            }
        }
        guard let offset = firstInvalid else { return }
        let position = offset + 1
        // A multi-byte UTF-8 character is quoted whole.
        var end = offset + 1
        while end < residues.count, residues[end] & 0xC0 == 0x80 { end += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: residues[offset..<end]), as: UTF8.self)
        throw ProteinSequenceError(
            code: .invalidCharacter, position: position,
            message: "invalid character \(describe(text)) at position \(position) of the sequence")
    }

    /// A character quoted for a message; control characters and spaces are named by code point.
    private static func describe(_ text: String) -> String {
        guard let scalar = text.unicodeScalars.first else { return "''" }
        if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return "'\(text)'"
    }
}
