import Foundation

/// A small RFC 4180 reader for checking result files in tests (quoted fields, doubled quotes,
/// line breaks inside quotes). Independent of the writer it checks.
public struct CSVTable: Sendable {
    /// Header names.
    public let header: [String]
    /// Data rows.
    public let rows: [[String]]

    /// Parses `text`.
    public init(_ text: String) {
        var records: [[String]] = []
        var field = ""
        var record: [String] = []
        var inQuotes = false
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func nextScalar() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return iterator.next()
        }
        while let scalar = nextScalar() {
            if inQuotes {
                if scalar == "\"" {
                    if let following = nextScalar() {
                        if following == "\"" {
                            field.unicodeScalars.append("\"")
                        } else {
                            inQuotes = false
                            pending = following
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" {
                inQuotes = true
            } else if scalar == "," {
                record.append(field)
                field = ""
            } else if scalar == "\r" {
                continue
            } else if scalar == "\n" {
                record.append(field)
                records.append(record)
                record = []
                field = ""
            } else {
                field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        header = records.first ?? []
        rows = Array(records.dropFirst())
    }

    /// Reads and parses a file.
    public init(contentsOf url: URL) throws {
        self.init(try String(contentsOf: url, encoding: .utf8))
    }

    /// The index of a column.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// A cell by row and column name.
    public func value(_ row: Int, _ column: String) -> String? {
        guard let index = self.column(column), index < rows[row].count else { return nil }
        return rows[row][index]
    }
}
