import BulkPredictCore
import Formats
import Foundation
import TestSupport
import Testing

@Suite struct ResultCSVReaderTests {
    func records(_ text: String) throws -> [[String]] {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let reader = try ResultCSVReader(url: try folder.write(text, to: "t.csv"))
        var records: [[String]] = []
        while try reader.next() { records.append((0..<reader.fieldCount).map(reader.string)) }
        return records
    }

    @Test func quotedFieldsMayHoldCommasQuotesAndLineBreaks() throws {
        let text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"two\r\nlines\",\r\n,,\r\n"
        #expect(try records(text) == [["a", "b", "c"], ["1", "x, y", "say \"hi\""], ["2", "two\r\nlines", ""], ["", "", ""]])
    }

    @Test func lastLineWithoutLineEndAndLoneCarriageReturn() throws {
        #expect(try records("a,b\n1,x\ry") == [["a", "b"], ["1", "x\ry"]])
        #expect(try records("") == [])
    }

    @Test func anUnclosedQuoteIsAnError() throws {
        #expect(throws: StoredInputError.self) { try records("a\n\"open") }
    }

    @Test func recordsLongerThanTheReadBlockAreWhole() throws {
        let long = String(repeating: "é,\"", count: 700_000)
        let quoted = "\"" + long.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        #expect(try records("x,\(quoted),y\n") == [["x", long, "y"]])
    }
}

@Suite struct ResultExportTests {
    /// Two models that both declare `score`, one as a double and one as a string, and both `n`.
    static let schema = ResultSchema.wide(
        requestID: "r1",
        models: [
            .init(id: "m.a", version: "1.0", outputs: [OutputColumn(name: "score", type: .double), OutputColumn(name: "n", type: .int)]),
            .init(id: "m.b", version: "2.1", outputs: [OutputColumn(name: "score", type: .string), OutputColumn(name: "n", type: .int)]),
        ],
        passthrough: ["input", "m.a.score", "note"])

    static let csv =
        [
            "row,id,input.input,input.m.a.score,note,input,m.a.score,m.a.n,m.a.error,m.b.score,m.b.n,m.b.error",
            #"0,x,p,q,"a ""b""",CCO,0.5,3,,high,4,"#,
            #"1,,,,,C,,,"bad, very",,,crashed"#,
            "2,y,,,\"line\r\nbreak\",N,nan,-2,,\"\",0,",
        ].joined(separator: "\r\n") + "\r\n"

    @Test func passthroughNamesThatClashAreRenamedNotLost() {
        #expect(Self.schema.columns.map(\.name).prefix(6) == ["row", "id", "input.input", "input.m.a.score", "note", "input"])
    }

    func export(_ layout: ResultLayout, _ format: ResultFormat) throws -> (rows: Int, text: String) {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let source = try folder.write(Self.csv, to: "result.csv")
        let destination = folder.file("out.\(format.fileExtension)")
        let rows = try ResultExport.write(csv: source, schema: Self.schema, layout: layout, format: format, to: destination, createdBy: "test")
        return (rows, try String(contentsOf: destination, encoding: .utf8))
    }

    @Test func longLayoutHasOneRowPerRecordAndModelWithTypesKeptApart() throws {
        let (rows, text) = try export(.long, .csv)
        #expect(rows == 6)
        let table = CSVTable(text)
        #expect(table.header == ["row", "id", "input", "model", "model_version", "m.a.score", "n", "m.b.score", "error"])
        #expect(table.rows[0] == ["0", "x", "CCO", "m.a", "1.0", "0.5", "3", "", ""])
        #expect(table.rows[1] == ["0", "x", "CCO", "m.b", "2.1", "", "4", "high", ""])
        #expect(table.rows[2] == ["1", "", "C", "m.a", "1.0", "", "", "", "bad, very"])
        #expect(table.rows[5] == ["2", "y", "N", "m.b", "2.1", "", "0", "", ""])
    }

    @Test func jsonLinesAreTypedAndEscaped() throws {
        let (rows, text) = try export(.wide, .jsonl)
        #expect(rows == 3)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["row"] as? Int == 0)
        #expect(first["m.a.score"] as? Double == 0.5)
        #expect(first["note"] as? String == "a \"b\"")
        #expect(first["m.a.error"] is NSNull)
        let third = try #require(try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any])
        #expect(third["note"] as? String == "line\r\nbreak")
        #expect(third["m.a.score"] is NSNull, "NaN has no JSON form, so it is null")
        #expect(third["m.a.n"] as? Int == -2)
        #expect(lines[0].hasPrefix("{\"row\":0,\"id\":\"x\",\"input.input\":\"p\""), "keys keep the column order")
    }

    @Test func aCellThatDoesNotFitItsTypeIsAnErrorNamingIt() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let damaged = Self.csv.replacingOccurrences(of: "0.5,3", with: "0.5,three")
        let source = try folder.write(damaged, to: "result.csv")
        #expect {
            try ResultExport.write(
                csv: source, schema: Self.schema, layout: .wide, format: .parquet, to: folder.file("out.parquet"), createdBy: "test")
        } throws: { error in
            "\(error)".contains("'three' in m.a.n, not a int")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("out.parquet").path), "nothing is left behind")
    }

    @Test func formatsFollowFileExtensions() {
        #expect(ResultFormat(fileName: "out.PARQUET") == .parquet)
        #expect(ResultFormat(fileName: "a/b.jsonl") == .jsonl)
        #expect(ResultFormat(fileName: "x.csv") == .csv)
        #expect(ResultFormat(fileName: "x.xlsx") == nil)
    }
}

@Suite struct GzipInflaterTests {
    /// Compresses with the system's `gzip`, an independent implementation.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let plain = folder.file("plain")
        try Data(bytes).write(to: plain)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-k", plain.path]
        try process.run()
        process.waitUntilExit()
        return Array(try Data(contentsOf: folder.file("plain.gz")))
    }

    func inflate(_ compressed: [UInt8], limit: Int = .max, pieces: Int = 7) throws -> [UInt8] {
        let inflater = try GzipInflater(limit: limit)
        var output: [UInt8] = []
        let size = max(1, compressed.count / pieces)
        for start in stride(from: 0, to: compressed.count, by: size) {
            try compressed[start..<min(compressed.count, start + size)].withUnsafeBytes { bytes in
                try inflater.append(bytes) { output.append(contentsOf: $0) }
            }
        }
        try inflater.finish()
        return output
    }

    @Test func decompressesInPiecesAndAcrossMembers() throws {
        let first = Array((0..<300_000).map { UInt8(truncatingIfNeeded: $0 * 31 / 7) })
        let second = Array("second member\n".utf8)
        #expect(try inflate(try Self.gzip(first)) == first)
        #expect(try inflate(try Self.gzip(first) + Self.gzip(second), pieces: 13) == first + second)
    }

    @Test func truncatedDamagedAndOversizedDataAreRefused() throws {
        let data = Array(String(repeating: "CCO\n", count: 50_000).utf8)
        let compressed = try Self.gzip(data)
        #expect(throws: GzipError.truncated) { try inflate(Array(compressed.dropLast(8))) }
        #expect(throws: GzipError.tooLarge(limit: 1000)) { try inflate(compressed, limit: 1000) }
        #expect(throws: GzipError.self) { try inflate(Array("not gzip at all".utf8)) }
        #expect(throws: GzipError.truncated) { try inflate([]) }
    }
}
