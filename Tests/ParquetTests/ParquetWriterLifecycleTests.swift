import Foundation
import Parquet
import Testing

@Suite("Parquet writer: validation, atomic output and bounded memory")
struct ParquetWriterLifecycleTests {
    static let columns = [
        ParquetColumn(name: "id", type: .int64), ParquetColumn(name: "score", type: .double, optional: true),
        ParquetColumn(name: "smiles", type: .string),
    ]

    @Test("rows that do not fit the schema are rejected with errors naming the column, and leave the writer usable")
    func rowValidation() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("checked.parquet")
        let writer = try ParquetWriter(url: url, columns: Self.columns, createdBy: "test version 1")
        try writer.append(row: [.int64(1), .double(0.5), .string("C")])

        #expect(throws: ParquetError.typeMismatch(column: "id", expected: .int64, got: .int32)) {
            try writer.append(row: [.int32(2), .double(0.5), .string("C")])
        }
        #expect(throws: ParquetError.typeMismatch(column: "smiles", expected: .string, got: .double)) {
            try writer.append(row: [.int64(2), .null, .double(1)])
        }
        #expect(throws: ParquetError.nullInRequiredColumn(column: "smiles")) {
            try writer.append(row: [.int64(2), .double(0.5), .null])
        }
        #expect(throws: ParquetError.wrongValueCount(expected: 3, got: 2)) {
            try writer.append(row: [.int64(2), .double(0.5)])
        }
        let message = ParquetError.typeMismatch(column: "id", expected: .int64, got: .int32).description
        #expect(message.contains("'id'") && message.contains("int64") && message.contains("int32"))
        #expect(ParquetError.nullInRequiredColumn(column: "smiles").description.contains("'smiles'"))

        try writer.append(row: [.int64(3), .null, .string("N")])
        #expect(writer.rowCount == 2)
        try writer.close()
        #expect(throws: ParquetError.writerNotOpen) { try writer.append(row: [.int64(4), .null, .string("O")]) }
        try writer.close()  // a second close is harmless

        let report = try ReferenceReader.read(url)
        #expect(report.numRows == 2)
        #expect(report.values?["id"] == ["1", "3"])
        #expect(report.values?["score"] == ["0x1.0000000000000p-1", nil])
        #expect(report.values?["smiles"] == ["C", "N"])
    }

    @Test("invalid schemas and settings are refused before any file is created")
    func configurationValidation() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("never.parquet")
        #expect(throws: ParquetError.self) { try ParquetWriter(url: url, columns: [], createdBy: "t") }
        #expect(throws: ParquetError.invalidSchema("a column name is empty")) {
            try ParquetWriter(url: url, columns: [ParquetColumn(name: "", type: .int32)], createdBy: "t")
        }
        #expect(throws: ParquetError.self) {
            try ParquetWriter(
                url: url, columns: [ParquetColumn(name: "a", type: .int32), ParquetColumn(name: "a", type: .string)], createdBy: "t")
        }
        #expect(throws: ParquetError.duplicateMetadataKey("k")) {
            try ParquetWriter(
                url: url, columns: [ParquetColumn(name: "a", type: .int32)], createdBy: "t", keyValueMetadata: [("k", "1"), ("k", "2")])
        }
        #expect(throws: ParquetError.self) {
            try ParquetWriter(url: url, columns: [ParquetColumn(name: "a", type: .int32)], rowGroupBytes: 0, createdBy: "t")
        }
        #expect(throws: ParquetError.self) {
            try ParquetWriter(url: folder.file("missing/x.parquet"), columns: [ParquetColumn(name: "a", type: .int32)], createdBy: "t")
        }
        // Canonically equal but differently encoded names are distinct Parquet columns.
        let distinct = try ParquetWriter(
            url: url, columns: [ParquetColumn(name: "\u{E9}", type: .int32), ParquetColumn(name: "e\u{301}", type: .int32)],
            createdBy: "t")
        distinct.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }

    @Test("the file appears only on close; discard and abandoned writers leave nothing behind")
    func atomicOutput() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("result.parquet")
        try Data("old contents".utf8).write(to: url)

        let writer = try ParquetWriter(url: url, columns: Self.columns, rowGroupBytes: 1024, createdBy: "test version 1")
        for index in 0..<5_000 {
            try writer.append(row: [.int64(Int64(index)), .double(Double(index)), .string("C\(index)")])
        }
        #expect(writer.rowGroupCount > 1)
        #expect(try Data(contentsOf: url) == Data("old contents".utf8))
        try writer.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["result.parquet"])
        #expect(try ReferenceReader.read(url, values: false).numRows == 5_000)

        let discarded = try ParquetWriter(url: folder.file("discarded.parquet"), columns: Self.columns, createdBy: "t")
        try discarded.append(row: [.int64(1), .null, .string("C")])
        discarded.discard()
        #expect(throws: ParquetError.writerNotOpen) { try discarded.append(row: [.int64(1), .null, .string("C")]) }
        #expect(throws: ParquetError.writerNotOpen) { try discarded.close() }

        do {
            let abandoned = try ParquetWriter(url: folder.file("abandoned.parquet"), columns: Self.columns, createdBy: "t")
            try abandoned.append(row: [.int64(1), .null, .string("C")])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["result.parquet"])
    }

    @Test("two million rows of five columns: buffered memory stays within one row group, values check out")
    func largeRun() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("large.parquet")
        let columns = [
            ParquetColumn(name: "id", type: .int64), ParquetColumn(name: "score", type: .double),
            ParquetColumn(name: "maybe", type: .float, optional: true), ParquetColumn(name: "model", type: .string),
            ParquetColumn(name: "note", type: .string, optional: true),
        ]
        let rowGroupBytes = 8 << 20
        let tuning = ParquetWriter.Tuning()
        let writer = try ParquetWriter(
            url: url, columns: columns, rowGroupBytes: rowGroupBytes, createdBy: "test version 1", tuning: tuning)
        let rows = 2_000_000
        let models = ["solubility", "toxicity", "logp"].map { ParquetValue.string($0) }
        var idSum: Int64 = 0
        var scoreSum = 0.0
        var noteLengths = 0
        var nullNotes = 0
        for index in 0..<rows {
            let note: ParquetValue
            if index % 10 == 0 {
                note = .null
                nullNotes += 1
            } else {
                let text = "n\(index)"
                noteLengths += text.utf8.count
                note = .string(text)
            }
            let score = Double(index % 1000) / 8
            idSum += Int64(index)
            scoreSum += score
            try writer.append(row: [
                .int64(Int64(index)), .double(score), index % 2 == 0 ? .null : .float(1), models[index % 3], note,
            ])
        }
        try writer.close()

        // One row group's encoded data, what compression can add to it, and the fixed per-column
        // and per-writer buffers (open pages, dictionaries, page scratch).
        let bound = rowGroupBytes + rowGroupBytes / 5 + columns.count * 3 * tuning.pageBytes + 4 * tuning.pageBytes
        #expect(writer.peakBufferedBytes <= bound, "peak \(writer.peakBufferedBytes) over \(bound)")
        #expect(writer.peakBufferedBytes > 0)
        #expect(writer.rowGroupCount >= 4)

        let report = try ReferenceReader.read(url, values: false, summary: true)
        #expect(report.numRows == rows)
        #expect(report.numRowGroups == writer.rowGroupCount)
        let summary = report.summary ?? [:]
        #expect(summary["id"]?.sum == String(idSum))
        #expect(summary["id"]?.last == String(rows - 1))
        #expect(summary["score"]?.sum.flatMap(Double.init) == scoreSum)
        #expect(summary["maybe"]?.nullCount == rows / 2)
        #expect(summary["maybe"]?.sum.flatMap(Double.init) == Double(rows / 2))
        #expect(summary["model"]?.last == "toxicity")  // (rows - 1) % 3 == 1
        #expect(summary["note"]?.nullCount == nullNotes)
        #expect(summary["note"]?.sum == String(noteLengths))
        #expect(summary["note"]?.last == "n\(rows - 1)")
    }
}
