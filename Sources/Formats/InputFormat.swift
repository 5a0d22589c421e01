/// The file formats accepted for molecule input.
public enum InputFormat: String, Sendable, CaseIterable {
    /// Comma-separated values with a header row naming a SMILES column (and optionally an id column).
    case csv
    /// Tab-separated values with a header row.
    case tsv
    /// One SMILES per line, optionally followed by whitespace and a name (the `.smi` convention).
    case smi

    /// Guesses the format from a file name, falling back to a media type, then to `smi`.
    public static func detect(fileName: String?, contentType: String?) -> InputFormat {
        let lowered = (fileName ?? "").lowercased()
        let name = lowered.hasSuffix(".gz") ? String(lowered.dropLast(3)) : lowered
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".tsv") || name.hasSuffix(".tab") { return .tsv }
        if name.hasSuffix(".smi") || name.hasSuffix(".smiles") || name.hasSuffix(".txt") { return .smi }
        let media = (contentType ?? "").lowercased()
        if media.hasPrefix("text/csv") { return .csv }
        if media.hasPrefix("text/tab-separated-values") { return .tsv }
        return .smi
    }
}
