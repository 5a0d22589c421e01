/// The file formats accepted for molecule input.
public enum InputFormat: String, Sendable, CaseIterable {
    /// Comma-separated values with a header row naming a SMILES column (and optionally an id column).
    case csv
    /// Tab-separated values with a header row.
    case tsv
    /// One SMILES per line, optionally followed by whitespace and a name (the `.smi` convention).
    case smi
    /// An MDL SD file: molfile records (V2000 or V3000) separated by `$$$$`, with data items.
    case sdf

    /// Guesses the format from a file name, falling back to a media type, then to `smi`.
    public static func detect(fileName: String?, contentType: String?) -> InputFormat {
        let lowered = (fileName ?? "").lowercased()
        let name = lowered.hasSuffix(".gz") ? String(lowered.dropLast(3)) : lowered
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".tsv") || name.hasSuffix(".tab") { return .tsv }
        if name.hasSuffix(".sdf") || name.hasSuffix(".sd") || name.hasSuffix(".mol") { return .sdf }
        if name.hasSuffix(".smi") || name.hasSuffix(".smiles") || name.hasSuffix(".txt") { return .smi }
        let media = (contentType ?? "").lowercased()
        if media.hasPrefix("text/csv") { return .csv }
        if media.hasPrefix("text/tab-separated-values") { return .tsv }
        if media.hasPrefix("chemical/x-mdl-sdfile") || media.hasPrefix("chemical/x-mdl-molfile") { return .sdf }
        return .smi
    }
}
