import Foundation
import HTTPTypes
import Hummingbird

/// The headers of a result download: a file name that is safe whatever the user uploaded, a
/// validator, and byte ranges for resuming.
enum DownloadHeaders {
    /// `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>` for a result derived
    /// from the upload `inputName`.
    ///
    /// The name loses any directory part (`../../etc/passwd` becomes `passwd`) and control
    /// characters; the plain `filename` keeps only letters, digits, `.`, `-` and `_`, so quotes and
    /// line breaks can never end the header early or start another one.
    static func contentDisposition(inputName: String?, fallback: String, suffix: String) -> String {
        let base = inputName.map(baseName) ?? ""
        let stem = base.isEmpty ? fallback : base
        let full = stem + suffix
        var ascii = String(full.unicodeScalars.map { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar)) ? Character(scalar) : "_"
        })
        if ascii.count > 150 { ascii = String(ascii.suffix(150)) }
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        let encoded = full.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    /// The last path component without its extension (and without a `.gz`), control characters
    /// removed.
    static func baseName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.map(Character.init))
        var stem = clean.hasSuffix(".gz") ? String(clean.dropLast(3)) : clean
        if let dot = stem.lastIndex(of: "."), dot != stem.startIndex { stem = String(stem[..<dot]) }
        return stem.trimmingCharacters(in: .whitespaces)
    }

    /// A single byte range of a `length`-byte file.
    enum RangeRequest: Equatable {
        /// Serve the whole file (no Range header, a stale If-Range, or several ranges).
        case whole
        /// Serve `bounds` (inclusive byte positions).
        case part(ClosedRange<Int>)
        /// The range lies outside the file: 416.
        case unsatisfiable
    }

    /// Interprets a `Range` header (`bytes=a-b`, `bytes=a-`, `bytes=-n`) against a file of `length`.
    static func range(_ header: String?, length: Int) -> RangeRequest {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else { return .whole }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .unsatisfiable }
        let first = Int(parts[0])
        let second = Int(parts[1])
        switch (parts[0].isEmpty, parts[1].isEmpty) {
        case (true, false):
            guard let suffix = second, suffix > 0, length > 0 else { return .unsatisfiable }
            return .part(max(0, length - suffix)...(length - 1))
        case (false, true):
            guard let start = first, start < length else { return .unsatisfiable }
            return .part(start...(length - 1))
        case (false, false):
            guard let start = first, let end = second, start <= end, start < length else { return .unsatisfiable }
            return .part(start...min(end, length - 1))
        case (true, true):
            return .unsatisfiable
        }
    }
}
