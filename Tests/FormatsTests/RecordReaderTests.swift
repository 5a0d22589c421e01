import BulkPredictCore
import Formats
import Foundation
import TestSupport
import Testing

@Suite struct RecordReaderTests {
    func records(_ text: String, _ configuration: RecordReader.Configuration) throws -> [InputRecord] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let reader = try RecordReader(url: try directory.write(text, to: "input"), configuration: configuration)
        var records: [InputRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    @Test func csvWithQuotesEmbeddedNewlinesBOMAndCRLF() throws {
        let text = "\u{FEFF}name,SMILES,id\r\n\"a, b\",CCO,x1\r\n\"multi\nline\",c1ccccc1,\"say \"\"hi\"\"\"\r\n"
        let result = try records(text, .init(format: .csv))
        #expect(
            result == [
                InputRecord(id: "x1", input: "CCO", passthrough: ["a, b"]),
                InputRecord(id: "say \"hi\"", input: "c1ccccc1", passthrough: ["multi\nline"]),
            ])
    }

    @Test func missingSmilesColumnNamesTheColumnsFound() throws {
        #expect {
            try records("name,structure\nx,CCO\n", .init(format: .csv))
        } throws: { error in
            (error as? SubmissionError)?.message == "no 'smiles' column in the header; columns found: name, structure"
        }
    }

    @Test func chosenColumnsAreUsedAndAMissingIdColumnIsAnError() throws {
        let text = "mol\tkey\nCCO\tk1\n"
        var configuration = RecordReader.Configuration(format: .tsv, smilesColumn: "mol", idColumn: "key")
        #expect(try records(text, configuration) == [InputRecord(id: "k1", input: "CCO")])
        configuration.idColumn = "nope"
        #expect(throws: SubmissionError.self) { try records(text, configuration) }
    }

    @Test func shortRowsAndEmptySmilesBecomeErrorRecordsNotDrops() throws {
        let result = try records("id,smiles\na,CCO\nb\nc,\n\nd,CC\n", .init(format: .csv))
        #expect(result.count == 4)
        #expect(result[1].error == "line 3 has 1 fields but the header has 2")
        #expect(result[2].error == "line 4: the smiles field is empty")
        #expect(result[3] == InputRecord(id: "d", input: "CC"))
    }

    @Test func anUnclosedQuoteRefusesTheFileNamingTheLine() throws {
        var configuration = RecordReader.Configuration(format: .csv)
        configuration.maximumRecordBytes = 200
        let text = "smiles,id\nCCO,a\n\"C,b\n" + (0..<100).map { "CC,x\($0)" }.joined(separator: "\n")
        #expect {
            try records(text, configuration)
        } throws: { error in
            (error as? SubmissionError)?.message == "line 3: a quoted field opens there and does not close within 200 bytes"
        }
    }

    @Test func emptyFileIsAnError() throws {
        #expect(throws: SubmissionError.self) { try records("", .init(format: .csv)) }
    }

    @Test func smiFilesSkipBlankAndCommentLinesAndKeepNames() throws {
        let result = try records("# salts\nCCO ethanol\n\n  c1ccccc1\tbenzene ring  \nC\n", .init(format: .smi))
        #expect(
            result == [
                InputRecord(id: "ethanol", input: "CCO"),
                InputRecord(id: "benzene ring", input: "c1ccccc1"),
                InputRecord(id: nil, input: "C"),
            ])
    }

    @Test func overlongLineIsAnErrorRecordAndReadingGoesOn() throws {
        var configuration = RecordReader.Configuration(format: .smi)
        configuration.maximumRecordBytes = 100
        let text = "CCO\n" + String(repeating: "C", count: 100_000) + "\nCCN"
        let result = try records(text, configuration)
        #expect(result.count == 3)
        #expect(result[1].error == "line 2 is longer than 100 bytes")
        #expect(result[2] == InputRecord(id: nil, input: "CCN"))
    }

    @Test func formatIsDetectedFromTheNameThenTheMediaType() {
        #expect(InputFormat.detect(fileName: "x.CSV", contentType: nil) == .csv)
        #expect(InputFormat.detect(fileName: "x.tsv.gz", contentType: nil) == .tsv)
        #expect(InputFormat.detect(fileName: nil, contentType: "text/csv; charset=utf-8") == .csv)
        #expect(InputFormat.detect(fileName: "list", contentType: nil) == .smi)
    }

    @Test func sharedChemblSampleHasTwoThousandRecords() throws {
        let reader = try RecordReader(url: SharedData.molecules("chembl_samples.csv"), configuration: .init(format: .csv))
        var count = 0
        while let record = try reader.next() {
            #expect(record.error == nil)
            count += 1
        }
        #expect(count == 2_000)
    }
}
