import BulkPredictCore
import Formats
import Foundation
import TestSupport
import Testing

@Suite struct StoredFilesTests {
    @Test func storedInputRoundTripsAwkwardTextAndSeeksToChunks() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.file("records.tsv")
        let writer = try StoredInput.Writer(url: url, chunkSize: 2)
        let records = [
            InputRecord(id: "tab\there", input: "CCO"),
            InputRecord(id: nil, input: "C\\N"),
            InputRecord(id: "\\N", input: "line\nbreak", error: "bad\r\nrecord"),
            InputRecord(id: "é", input: "c1ccccc1"),
            InputRecord(id: "", input: "N"),
        ]
        for record in records { try writer.append(record) }
        try writer.close()
        #expect(writer.count == 5)
        #expect(writer.errorCount == 1)
        #expect(writer.chunkOffsets.count == 3)
        for (chunk, offset) in writer.chunkOffsets.enumerated() {
            let reader = try StoredInput.Reader(url: url, offset: offset)
            #expect(try reader.next() == records[chunk * 2])
        }
        let reader = try StoredInput.Reader(url: url)
        var all: [InputRecord] = []
        while let record = try reader.next() { all.append(record) }
        #expect(all == records)
    }

    @Test func nothingAppearsUntilTheWriterCloses() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.file("sub/out.tsv")
        let writer = try StoredInput.Writer(url: url, chunkSize: 10)
        try writer.append(InputRecord(id: nil, input: "C"))
        #expect(!FileManager.default.fileExists(atPath: url.path))
        try writer.close()
        #expect(FileManager.default.fileExists(atPath: url.path))
        let discarded = try StoredInput.Writer(url: directory.file("gone.tsv"), chunkSize: 10)
        discarded.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == ["sub"])
    }

    @Test func chunkOutputRoundTripsEveryValueType() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.file("chunk.out")
        let types: [ValueType] = [.string, .int, .double, .bool]
        let outcomes: [RecordOutcome] = [
            .values([.string("C2H6O\t"), .int(-3), .double(46.069), .bool(true)]),
            .error("invalid SMILES: unclosed ring\nbond"),
            .values([.null, .int(Int64.max), .double(0.1 + 0.2), .bool(false)]),
            .values([.string(""), .null, .double(-.infinity), .null]),
        ]
        let writer = try ChunkOutput.Writer(segment: url)
        for outcome in outcomes { try writer.append(outcome) }
        let range = try writer.close()
        #expect(writer.succeeded == 3)
        #expect(writer.failed == 1)
        #expect(range.lowerBound == 0)
        let reader = try ChunkOutput.Reader(url: url, range: range, types: types)
        var read: [RecordOutcome] = []
        while let outcome = try reader.next() { read.append(outcome) }
        #expect(read == outcomes)
    }

    /// Chunk outputs share segment files: each block reads back alone, a discarded block leaves
    /// nothing behind, and the next block starts where the last good one ended.
    @Test func segmentBlocksReadBackOneByOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.file("chunks/r/p-0.seg")
        let types: [ValueType] = [.int]
        func block(_ values: [Int64]) throws -> Range<UInt64> {
            let writer = try ChunkOutput.Writer(segment: url)
            for value in values { try writer.append(.values([.int(value)])) }
            return try writer.close()
        }
        let first = try block([1, 2, 3])
        let abandoned = try ChunkOutput.Writer(segment: url)
        try abandoned.append(.values([.int(99)]))
        abandoned.discard()
        let second = try block([4, 5])
        #expect(first.upperBound == second.lowerBound)
        #expect(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? UInt64 == second.upperBound)
        for (range, expected) in [(first, [1, 2, 3]), (second, [4, 5])] as [(Range<UInt64>, [Int64])] {
            let reader = try ChunkOutput.Reader(url: url, range: range, types: types)
            var read: [RecordOutcome] = []
            while let outcome = try reader.next() { read.append(outcome) }
            #expect(read == expected.map { .values([.int($0)]) })
        }
        let location = ChunkLocation(fileKey: "chunks/r/p-0.seg", range: second)
        #expect(ChunkLocation(key: location.key) == location)
        #expect(location.key == "chunks/r/p-0.seg#\(second.lowerBound)+\(second.count)")
        // Keys written before segments name a whole file.
        #expect(ChunkLocation(key: "chunks/r/7-1.out") == ChunkLocation(fileKey: "chunks/r/7-1.out", range: nil))
    }

    @Test func csvResultQuotesOnlyWhatNeedsIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.file("result.csv")
        let writer = try CSVResultWriter(url: url, columns: ["row", "id", "m.value", "m.error"])
        try writer.appendRow([.int(0), .string("a,b"), .double(1.5), .null])
        try writer.appendRow([.int(1), .string("say \"x\"\nnow"), .null, .string("bad")])
        try writer.close()
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == "row,id,m.value,m.error\r\n0,\"a,b\",1.5,\r\n1,\"say \"\"x\"\"\nnow\",,bad\r\n")
        let table = CSVTable(text)
        #expect(table.rows.count == 2)
        #expect(table.value(1, "id") == "say \"x\"\nnow")
        #expect(writer.byteCount == UInt64(text.utf8.count))
        #expect(writer.sha256 == (try FileDigest.sha256(of: url)), "the digest made while writing is the file's")
    }

    @Test func byteLevelCellsMatchTheTypedWriterExactly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let types: [ValueType] = [.string, .int, .double, .bool]
        let outcomes: [RecordOutcome] = [
            .values([.string("a,\"b\"\tc\nd"), .int(-7), .double(1.0e-7), .bool(true)]),
            .values([.null, .null, .null, .bool(false)]),
            .error("bad, \"very\" bad\nrecord"),
            .values([.string("plain"), .int(0), .double(-.infinity), .null]),
        ]
        let chunk = directory.file("chunk.out")
        let chunkWriter = try ChunkOutput.Writer(segment: chunk)
        for outcome in outcomes { try chunkWriter.append(outcome) }
        _ = try chunkWriter.close()

        let typed = directory.file("typed.csv")
        let typedWriter = try CSVResultWriter(url: typed, columns: ["v1", "v2", "v3", "v4", "error"])
        for outcome in outcomes {
            switch outcome {
            case .values(let values): try typedWriter.appendRow(values + [.null])
            case .error(let message): try typedWriter.appendRow(Array(repeating: .null, count: 4) + [.string(message)])
            }
        }
        try typedWriter.close()

        let spliced = directory.file("spliced.csv")
        let splicedWriter = try CSVResultWriter(url: spliced, columns: ["v1", "v2", "v3", "v4", "error"])
        let reader = try ChunkOutput.Reader(url: chunk, types: types)
        var failures: [Bool] = []
        var row: [UInt8] = []
        while let failed = try reader.appendCSVCells(to: &row) {
            failures.append(failed)
            try splicedWriter.appendEncodedRow(Array(row.dropFirst()))
            row.removeAll()
        }
        try splicedWriter.close()
        #expect(failures == [false, false, true, false])
        #expect(try Data(contentsOf: spliced) == Data(contentsOf: typed))
    }

    @Test func storedInputCellsMatchTheTypedWriter() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let records = [InputRecord(id: "a,b", input: "CCO"), InputRecord(id: nil, input: "x\ty"), InputRecord(id: "q\"", input: "N\\n")]
        let url = directory.file("records.tsv")
        let writer = try StoredInput.Writer(url: url, chunkSize: 10)
        for record in records { try writer.append(record) }
        try writer.close()
        let reader = try StoredInput.Reader(url: url)
        for record in records {
            var cells: [UInt8] = []
            #expect(try reader.appendCSVCells(to: &cells))
            var expected: [UInt8] = []
            CSVCell.append((record.id ?? "").utf8, to: &expected)
            expected.append(CSVCell.comma)
            CSVCell.append(record.input.utf8, to: &expected)
            #expect(cells == expected)
        }
        var rest: [UInt8] = []
        #expect(try reader.appendCSVCells(to: &rest) == false)
    }
}
