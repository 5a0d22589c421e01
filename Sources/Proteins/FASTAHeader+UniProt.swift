extension FASTAHeader {
    /// UniProt's description fields and the annotation names BulkPredict gives them, after
    /// UniProt's FASTA header documentation.
    private static let uniProtFields: [(key: StaticString, name: String)] = [
        ("OS", "organism"), ("OX", "taxon_id"), ("GN", "gene"), ("PE", "existence_level"),
        ("SV", "sequence_version"),
    ]

    /// Reads `sp|ACCESSION|ENTRY_NAME Protein name OS=… OX=… GN=… PE=… SV=…`, or returns `nil`
    /// when the first word is not of that form.
    static func uniProt(_ text: HeaderText, firstWord: Range<Int>, description: Range<Int>) -> FASTAHeader? {
        let bytes = text.bytes
        var bars: [Int] = []
        for index in firstWord where bytes[index] == UInt8(ascii: "|") { bars.append(index) }
        guard bars.count == 2 else { return nil }
        let database = firstWord.lowerBound..<bars[0]
        let accession = (bars[0] + 1)..<bars[1]
        let entryName = (bars[1] + 1)..<firstWord.upperBound
        guard text.equals(database, "sp") || text.equals(database, "tr"), !accession.isEmpty, !entryName.isEmpty else {
            return nil
        }
        let accessionText = text.string(accession)
        var annotations = [
            Annotation(name: "database", value: text.string(database)),
            Annotation(name: "accession", value: accessionText),
            Annotation(name: "entry_name", value: text.string(entryName)),
        ]
        let fields = uniProtFieldStarts(text, in: description)
        let proteinName = text.trimmed(description.lowerBound..<(fields.first?.keyStart ?? description.upperBound))
        if !proteinName.isEmpty { annotations.append(Annotation(name: "protein_name", value: text.string(proteinName))) }
        for (number, field) in fields.enumerated() {
            let end = number + 1 < fields.count ? fields[number + 1].keyStart : description.upperBound
            annotations.append(Annotation(name: field.name, value: text.string(text.trimmed(field.valueStart..<end))))
        }
        return FASTAHeader(format: .uniProt, identifier: accessionText, annotations: annotations)
    }

    /// Where each `KEY=` of ``uniProtFields`` starts: at the start of the description or after a
    /// space, so that a protein name containing `=` elsewhere is left alone.
    private static func uniProtFieldStarts(
        _ text: HeaderText, in description: Range<Int>
    ) -> [(name: String, keyStart: Int, valueStart: Int)] {
        let bytes = text.bytes
        var starts: [(name: String, keyStart: Int, valueStart: Int)] = []
        var index = description.lowerBound
        while index + 2 < description.upperBound {
            let atWordStart = index == description.lowerBound || HeaderText.isSpace(bytes[index - 1])
            if atWordStart, bytes[index + 2] == UInt8(ascii: "="),
                let field = uniProtFields.first(where: { text.equals(index..<(index + 2), $0.key) })
            {
                starts.append((field.name, index, index + 3))
                index += 3
                continue
            }
            index += 1
        }
        return starts
    }
}
