/// Reads a protein sequence given as text rather than as a FASTA record (a JSON submission), the
/// way ``FASTAReader`` reads one: whitespace removed, letters upper-cased, one trailing `*` stop
/// removed, anything but letters an error naming the character and its position.
public enum ProteinSequenceText {
    /// The cleaned sequence, and why it cannot be used if it cannot.
    public static func check(_ text: String) -> (sequence: String, error: String?) {
        var residues: [UInt8] = []
        residues.reserveCapacity(text.utf8.count)
        for byte in text.utf8 where !(byte == 0x20 || (0x09...0x0D).contains(byte)) {
            residues.append(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte & 0xDF : byte)
        }
        if residues.last == UInt8(ascii: "*") { residues.removeLast() }
        let sequence = String(decoding: residues, as: UTF8.self)
        do {
            try residues.withUnsafeBufferPointer { buffer throws(ProteinSequenceError) in try ResidueAlphabet.validate(buffer) }
            return (sequence, nil)
        } catch {
            return (sequence, error.message)
        }
    }
}
