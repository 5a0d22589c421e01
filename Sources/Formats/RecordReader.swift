import BulkPredictCore
import Chemistry
import Foundation

/// Streams the records of an uploaded molecule file, one at a time, in input order.
///
/// Memory stays bounded by the longest accepted record whatever the file size. Problems with one
/// record (an over-long line, a short row, an empty SMILES, an unreadable molfile) become records
/// with an ``InputRecord/error``; problems with the file as a whole (no header, no SMILES column)
/// throw ``SubmissionError``.
///
/// Columns other than the SMILES and id columns of CSV/TSV input, and the data items of SD
/// files, are kept as ``InputRecord/passthrough`` so that results can hand them back unchanged.
/// SD file records are written as canonical SMILES.
///
/// Its per-record state is `@exclusivity(unchecked)`: the object has one owner and never lends its
/// buffers out overlappingly, and the runtime's access checks cost as much as the copying itself.
public final class RecordReader {
    /// How to read the file.
    public struct Configuration: Sendable {
        /// File format.
        public var format: InputFormat
        /// Header name of the SMILES column (CSV/TSV), matched without regard to case.
        public var smilesColumn: String = "smiles"
        /// Header name of the id column (CSV/TSV). When `nil`, a column named `id` is used if present.
        public var idColumn: String?
        /// Longest record in bytes; longer lines become error records.
        public var maximumRecordBytes: Int = 1 << 20

        /// Creates a configuration for `format`.
        public init(format: InputFormat, smilesColumn: String = "smiles", idColumn: String? = nil) {
            self.format = format
            self.smilesColumn = smilesColumn
            self.idColumn = idColumn
        }
    }

    private let lines: LineReader
    private let configuration: Configuration
    @exclusivity(unchecked) private var lineNumber = 0
    private var smilesIndex = 0
    private var idIndex: Int?
    private var columnCount = 0
    private var headerRead = false
    private var passthroughIndices: [Int] = []
    /// Names of the input's other columns, in order: CSV/TSV columns other than the SMILES and id
    /// columns once the header is read, SD data item names as they are first seen.
    public private(set) var passthroughColumns: [String] = []
    private var sdfRecordNumber = 0
    private lazy var molfileParser = MolfileParser()

    /// Opens `url`.
    /// - Throws: when the file cannot be opened.
    public init(url: URL, configuration: Configuration) throws {
        lines = try LineReader(url: url, maximumLineLength: configuration.maximumRecordBytes)
        self.configuration = configuration
    }

    /// The next record, or `nil` at the end.
    /// - Throws: ``SubmissionError`` when the file as a whole cannot be read as the format says.
    public func next() throws -> InputRecord? {
        switch configuration.format {
        case .smi: return try nextLineRecord()
        case .csv: return try nextDelimitedRecord(separator: UInt8(ascii: ","))
        case .tsv: return try nextDelimitedRecord(separator: UInt8(ascii: "\t"))
        case .sdf: return try nextSDFRecord()
        }
    }

    /// The next line with its byte-order mark removed, counting line numbers.
    private func nextLine() throws -> LineReader.Line? {
        guard let line = try lines.next() else { return nil }
        lineNumber += 1
        if lineNumber == 1, case .text(let bytes) = line, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return .text(bytes.dropFirst(3))
        }
        return line
    }

    private func tooLong() -> InputRecord {
        InputRecord(
            id: nil, input: "",
            error: "line \(lineNumber) is longer than \(configuration.maximumRecordBytes) bytes")
    }

    private func nextLineRecord() throws -> InputRecord? {
        while let line = try nextLine() {
            guard case .text(let bytes) = line else { return tooLong() }
            let trimmed = bytes.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            // Blank lines and `#` comments carry no record; `#` cannot begin a SMILES.
            if trimmed.isEmpty || trimmed.first == UInt8(ascii: "#") { continue }
            let smilesEnd = trimmed.firstIndex { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } ?? trimmed.endIndex
            let smiles = String(decoding: trimmed[..<smilesEnd], as: UTF8.self)
            let rest = trimmed[smilesEnd...].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            var name = rest[...]
            while let last = name.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { name = name.dropLast() }
            return InputRecord(id: name.isEmpty ? nil : String(decoding: name, as: UTF8.self), input: smiles)
        }
        return nil
    }

    private func nextDelimitedRecord(separator: UInt8) throws -> InputRecord? {
        if !headerRead { try readHeader(separator: separator) }
        while let line = try nextLine() {
            guard case .text(let first) = line else { return tooLong() }
            if first.isEmpty { continue }
            var bytes = Array(first)
            var fields = DelimitedRow.fields(bytes[...], separator: separator)
            let opened = lineNumber
            // A quoted field may hold line breaks: keep joining lines until the quote closes. A quote
            // that never closes would swallow every following record, so the file is refused.
            while fields == nil {
                guard let more = try nextLine(), case .text(let continuation) = more,
                    bytes.count + continuation.count < configuration.maximumRecordBytes
                else {
                    throw SubmissionError(
                        code: .unreadableInput,
                        message:
                            "line \(opened): a quoted field opens there and does not close within \(configuration.maximumRecordBytes) bytes"
                    )
                }
                bytes.append(UInt8(ascii: "\n"))
                bytes.append(contentsOf: continuation)
                fields = DelimitedRow.fields(bytes[...], separator: separator)
            }
            guard let fields else { continue }
            let id = idIndex.flatMap { $0 < fields.count ? fields[$0] : nil }
            let passthrough = passthroughIndices.map { $0 < fields.count ? fields[$0] : nil }
            guard smilesIndex < fields.count else {
                return InputRecord(
                    id: id, input: "",
                    error: "line \(lineNumber) has \(fields.count) fields but the header has \(columnCount)",
                    passthrough: passthrough)
            }
            let smiles = fields[smilesIndex].trimmingCharacters(in: .whitespaces)
            if smiles.isEmpty {
                return InputRecord(
                    id: id, input: "", error: "line \(lineNumber): the \(configuration.smilesColumn) field is empty",
                    passthrough: passthrough)
            }
            return InputRecord(id: id, input: smiles, passthrough: passthrough)
        }
        return nil
    }

    private func readHeader(separator: UInt8) throws {
        headerRead = true
        var header: [String]?
        while header == nil, let line = try nextLine() {
            guard case .text(let bytes) = line else {
                throw SubmissionError(
                    code: .unreadableInput, message: "the header line is longer than \(configuration.maximumRecordBytes) bytes")
            }
            if bytes.isEmpty { continue }
            header = DelimitedRow.fields(bytes, separator: separator)?.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let header, !header.isEmpty else {
            throw SubmissionError(code: .emptyInput, message: "the file is empty: no header line")
        }
        columnCount = header.count
        let wanted = configuration.smilesColumn.lowercased()
        guard let smiles = header.firstIndex(where: { $0.lowercased() == wanted }) else {
            throw SubmissionError(
                code: .unreadableInput, field: "smiles_column",
                message: "no '\(configuration.smilesColumn)' column in the header; columns found: \(header.joined(separator: ", "))")
        }
        smilesIndex = smiles
        if let idName = configuration.idColumn {
            guard let id = header.firstIndex(where: { $0.lowercased() == idName.lowercased() }) else {
                throw SubmissionError(
                    code: .unreadableInput, field: "id_column",
                    message: "no '\(idName)' column in the header; columns found: \(header.joined(separator: ", "))")
            }
            idIndex = id
        } else {
            idIndex = header.firstIndex { $0.lowercased() == "id" }
        }
        passthroughIndices = header.indices.filter { $0 != smilesIndex && $0 != idIndex }
        passthroughColumns = passthroughIndices.map { header[$0] }
    }

    // MARK: SD files

    private func nextSDFRecord() throws -> InputRecord? {
        var lines: [Substring] = []
        var bytes = 0
        var tooLong = false
        var sawLine = false
        let firstLine = lineNumber + 1
        while let line = try nextLine() {
            sawLine = true
            guard case .text(let text) = line else {
                tooLong = true
                continue
            }
            let string = String(decoding: text, as: UTF8.self)
            if string.hasPrefix("$$$$") { break }
            bytes += text.count + 1
            if bytes > configuration.maximumRecordBytes { tooLong = true }
            if !tooLong { lines.append(Substring(string)) }
        }
        // Trailing blank lines after the last `$$$$` are no record.
        guard sawLine, !(lines.allSatisfy { $0.allSatisfy(\.isWhitespace) } && !tooLong) else { return nil }
        sdfRecordNumber += 1
        let number = sdfRecordNumber
        if tooLong {
            return InputRecord(
                id: nil, input: "",
                error: "SD record \(number) (line \(firstLine)) is longer than \(configuration.maximumRecordBytes) bytes")
        }
        let end = lines.firstIndex { $0.hasPrefix("M  END") } ?? lines.count
        let (items, dataError) = dataItems(lines[min(end + 1, lines.count)...])
        let title = lines.first.map { String($0.trimmingCharacters(in: .whitespaces)) } ?? ""
        var id: String? = title.isEmpty ? nil : title
        var passthrough = [String?](repeating: nil, count: passthroughColumns.count)
        for (name, value) in items {
            if let idName = configuration.idColumn, name.lowercased() == idName.lowercased() {
                id = value
                continue
            }
            if let column = passthroughColumns.firstIndex(of: name) {
                passthrough[column] = value
            } else {
                passthroughColumns.append(name)
                passthrough.append(value)
            }
        }
        if let dataError {
            return InputRecord(id: id, input: "", error: "SD record \(number) (line \(firstLine)): \(dataError)", passthrough: passthrough)
        }
        guard end < lines.count else {
            return InputRecord(
                id: id, input: "", error: "SD record \(number) (line \(firstLine)) has no 'M  END' line", passthrough: passthrough)
        }
        do {
            let molecule = try molfileParser.parse(lines: Array(lines[..<end]))
            return InputRecord(id: id, input: molecule.canonicalSMILES, passthrough: passthrough)
        } catch {
            return InputRecord(
                id: id, input: "", error: "SD record \(number) (line \(firstLine)): \(error.description)",
                passthrough: passthrough)
        }
    }

    // Data items: a `>` line naming the item in angle brackets, value lines, a blank line.
    private func dataItems(_ lines: ArraySlice<Substring>) -> ([(String, String)], String?) {
        var items: [(String, String)] = []
        var index = lines.startIndex
        while index < lines.endIndex {
            let line = lines[index]
            index += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            guard line.hasPrefix(">") else { continue }
            guard let open = line.firstIndex(of: "<"), let close = line[open...].firstIndex(of: ">"),
                open < close
            else {
                return (items, "data item header '\(line.prefix(40))' has no <name>")
            }
            let name = String(line[line.index(after: open)..<close])
            var value: [Substring] = []
            while index < lines.endIndex, !lines[index].isEmpty {
                value.append(lines[index])
                index += 1
            }
            items.append((name, value.joined(separator: "\n")))
        }
        return (items, nil)
    }
}
