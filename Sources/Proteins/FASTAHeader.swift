/// What a FASTA header line says about its record: an identifier and named annotations.
///
/// Three layouts are recognised, tried in this order:
///
/// - **UniProt** (``Format/uniProt``): `sp|P12345|NAME_SPECIES Protein name OS=… OX=… GN=… PE=…
///   SV=…`, also `tr|`. The identifier is the accession (`P12345`, or `P12345-2` for an isoform);
///   annotations `database` (`sp` or `tr`), `accession`, `entry_name`, `protein_name`, `organism`
///   (OS), `taxon_id` (OX), `gene` (GN), `existence_level` (PE) and `sequence_version` (SV),
///   each present only when the header has it.
/// - **NCBI** (``Format/ncbi``): a first word followed by bracketed `[name=value]` pairs, as in
///   NCBI's coding-sequence downloads (`lcl|NZ_CP040672.1_cds_WP_044801954.1_1
///   [locus_tag=FGE23_RS00005] [protein=…] [protein_id=WP_044801954.1] …`). The identifier is
///   the whole first word; every pair becomes an annotation under its own name (`protein`,
///   `protein_id`, `gene`, `locus_tag`, `location`, `gbkey`, …) in header order, and text outside
///   the brackets, if any, becomes `description` (listed first).
/// - **Plain** (``Format/plain``): anything else. The identifier is the first word and the
///   rest, if any, is `description`.
///
/// Words are separated by spaces or tabs. A header that begins with `>` has it removed.
/// Parsing never fails: a header that does not fit a layout fully is read as plain.
public struct FASTAHeader: Sendable, Hashable {
    /// The layout a header was read as.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// UniProtKB (`sp|` or `tr|`).
        case uniProt = "uniprot"
        /// NCBI with bracketed `[name=value]` pairs.
        case ncbi
        /// First word and description.
        case plain
    }

    /// One named value from a header.
    public struct Annotation: Sendable, Hashable {
        /// The annotation's name, for example `organism` or `protein_id`.
        public var name: String
        /// Its value, without surrounding whitespace.
        public var value: String

        /// Creates an annotation.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The layout the header was read as.
    public var format: Format
    /// The record's identifier: the UniProt accession, or the header's first word.
    public var identifier: String
    /// The annotations in a fixed order for UniProt and in header order otherwise.
    public var annotations: [Annotation]

    /// Creates a header from its parts.
    public init(format: Format, identifier: String, annotations: [Annotation]) {
        self.format = format
        self.identifier = identifier
        self.annotations = annotations
    }

    /// Reads `header` (a ``FASTARecord/header``, with or without its `>`).
    public init(parsing header: some StringProtocol) {
        self = withUTF8Bytes(of: header) { bytes in
            // Every delimiter is ASCII, so the header is parsed as UTF-8 bytes: splitting at an
            // ASCII byte never cuts a multi-byte character.
            let text = HeaderText(bytes: bytes)
            var whole = text.trimmed(0..<bytes.count)
            if whole.lowerBound < whole.upperBound, bytes[whole.lowerBound] == UInt8(ascii: ">") {
                whole = text.trimmed((whole.lowerBound + 1)..<whole.upperBound)
            }
            let (first, rest) = text.splitFirstWord(whole)
            if let uniProt = Self.uniProt(text, firstWord: first, description: rest) { return uniProt }
            if let ncbi = Self.ncbi(text, firstWord: first, rest: rest) { return ncbi }
            var annotations: [Annotation] = []
            if !rest.isEmpty { annotations.append(Annotation(name: "description", value: text.string(rest))) }
            return FASTAHeader(format: .plain, identifier: text.string(first), annotations: annotations)
        }
    }

    /// The value of the first annotation called `name`, or `nil` when there is none.
    public subscript(name: String) -> String? {
        annotations.first { $0.name == name }?.value
    }

    /// The annotations as a dictionary; for a repeated name, the first value wins, as with the
    /// subscript.
    public var dictionary: [String: String] {
        var result: [String: String] = [:]
        for annotation in annotations where result[annotation.name] == nil {
            result[annotation.name] = annotation.value
        }
        return result
    }
}

/// The UTF-8 bytes of a header and the small operations the parsers need on ranges of them.
struct HeaderText {
    let bytes: UnsafeBufferPointer<UInt8>

    /// Space or tab separate words; carriage returns and line feeds are trimmed too.
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    /// The text of `range`.
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// `range` without leading and trailing spaces.
    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, Self.isSpace(bytes[lower]) { lower += 1 }
        while upper > lower, Self.isSpace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// The first word of `range` and the rest without the spaces between them.
    func splitFirstWord(_ range: Range<Int>) -> (Range<Int>, Range<Int>) {
        var end = range.lowerBound
        while end < range.upperBound, !Self.isSpace(bytes[end]) { end += 1 }
        return (range.lowerBound..<end, trimmed(end..<range.upperBound))
    }

    /// Whether the bytes of `range` spell `ascii`.
    func equals(_ range: Range<Int>, _ ascii: StaticString) -> Bool {
        guard range.count == ascii.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: ascii.utf8Start, count: ascii.utf8CodeUnitCount)
        for (offset, byte) in expected.enumerated() where bytes[range.lowerBound + offset] != byte { return false }
        return true
    }
}
