import Foundation
import Proteins
import Testing

@Suite("FASTAReader")
struct FASTAReaderTests {
    // Expected values were computed once, independently of this reader, by a short plain-Python
    // parser (headers are lines starting with '>', sequence lines joined with whitespace removed,
    // upper-cased, a trailing '*' dropped) run on the shared files; the numbers it printed are
    // written here.

    @Test func readsLuxC() throws {
        let records = try ProteinFixtures.records(ProteinFixtures.shared("LuxC.faa"))
        #expect(records.count == 12)
        #expect(records.allSatisfy { $0.error == nil })
        #expect(
            records.first?.header
                == "sp|P19841|LUXC_PHOPO Long-chain acyl-protein thioester reductase OS=Photobacterium phosphoreum OX=659 GN=luxC PE=1 SV=3"
        )
        #expect(records.first?.sequence.count == 488)
        #expect(records.first?.sequence.hasPrefix("MCNAEFKGDCMIKKIPMIIGGAERDTSEHEYRELTLNSYKVSIPIINQDDVEAIKSQSVENNLNINQIVNF") == true)
        #expect(
            records.last?.header
                == "tr|S3DGB3|S3DGB3_9GAMM Acyl-CoA reductase OS=Candidatus Photodesmus katoptron Akat1 OX=1236703 GN=luxC PE=3 SV=1"
        )
        #expect(records.last?.sequence.count == 479)
    }

    @Test func readsPKSI() throws {
        let records = try ProteinFixtures.records(ProteinFixtures.shared("PKSI.faa"))
        #expect(records.count == 10)
        #expect(records.allSatisfy { $0.error == nil })
        #expect(
            records.first?.header
                == "sp|Q9Y8A5|LOVB_ASPTE Lovastatin nonaketide synthase, polyketide synthase component OS=Aspergillus terreus OX=33178 GN=lovB PE=1 SV=1"
        )
        #expect(records.first?.sequence.count == 3038)
        #expect(
            records.last?.header
                == "sp|A0A089QRB9|MSL3_MYCTU Mycolipanoate synthase OS=Mycobacterium tuberculosis (strain ATCC 25618 / H37Rv) OX=83332 GN=msl3 PE=1 SV=2"
        )
        #expect(records.last?.sequence.count == 2085)
        #expect(records.map(\.sequence.count).max() == 4613)
    }

    @Test func sameRecordsWhateverTheReadSize() throws {
        // A tiny buffer splits lines, CRLF pairs and headers across reads.
        let url = ProteinFixtures.shared("PKSI.faa")
        let whole = try ProteinFixtures.records(url)
        let small = try ProteinFixtures.records(url, configuration: .init(readSize: 17))
        #expect(small == whole)
    }

    @Test func multiLineCRLFBOMLowercaseAndStop() throws {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array(">first protein \r\nmkv lla\r\n\tgdR*\r\n\r\n>second\r\nMA\r\nCD*".utf8)
        let url = try ProteinFixtures.write(bytes)
        defer { try? FileManager.default.removeItem(at: url) }
        let records = try ProteinFixtures.records(url, configuration: .init(readSize: 16))
        #expect(
            records == [
                FASTARecord(header: "first protein", sequence: "MKVLLAGDR"),
                FASTARecord(header: "second", sequence: "MACD"),
            ])
    }

    @Test func acceptsTheExtendedAlphabet() throws {
        let records = try ProteinFixtures.records(of: ">all\nACDEFGHIKLMNPQRSTVWY\nXBZJUO\n")
        #expect(records == [FASTARecord(header: "all", sequence: "ACDEFGHIKLMNPQRSTVWYXBZJUO")])
    }

    @Test(arguments: [
        ("MKV1LL", "invalid character '1' at position 4 of the sequence"),
        ("MK-VL", "invalid character '-' at position 3 of the sequence"),
        ("MK\nV.L", "invalid character '.' at position 4 of the sequence"),
        ("M K\tV #", "invalid character '#' at position 4 of the sequence"),
        ("MK*VL", "invalid character '*' at position 3 of the sequence"),
        ("MKV**", "invalid character '*' at position 4 of the sequence"),
        ("MKé", "invalid character 'é' at position 3 of the sequence"),
        ("MéK1", "invalid character 'é' at position 2 of the sequence"),
        ("M\u{7}K", "invalid character U+0007 at position 2 of the sequence"),
    ])
    func invalidCharacter(sequence: String, message: String) throws {
        let records = try ProteinFixtures.records(of: ">p\n\(sequence)\n>ok\nMKV\n")
        #expect(
            records == [
                FASTARecord(header: "p", sequence: "", error: message),
                FASTARecord(header: "ok", sequence: "MKV"),
            ])
    }

    @Test func emptySequences() throws {
        let records = try ProteinFixtures.records(of: ">none\n>blank\n\n  \n>stop\n*\n>last")
        #expect(
            records == [
                FASTARecord(header: "none", sequence: "", error: "the sequence is empty"),
                FASTARecord(header: "blank", sequence: "", error: "the sequence is empty"),
                FASTARecord(header: "stop", sequence: "", error: "the sequence is empty"),
                FASTARecord(header: "last", sequence: "", error: "the sequence is empty"),
            ])
    }

    @Test func textBeforeTheFirstHeader() throws {
        let records = try ProteinFixtures.records(of: "\n  \nsome notes\nMORE\n>p\nMKV\n")
        #expect(
            records == [
                FASTARecord(header: "", sequence: "", error: "line 3: text before the first '>' header is not part of any record"),
                FASTARecord(header: "p", sequence: "MKV"),
            ])
        // Blank lines alone before the first header are no record.
        #expect(try ProteinFixtures.records(of: "\r\n\n>p\nMKV") == [FASTARecord(header: "p", sequence: "MKV")])
        // A file with no header at all still gives its text back as an error.
        #expect(
            try ProteinFixtures.records(of: "MKVLL\n").map(\.error) == [
                "line 1: text before the first '>' header is not part of any record"
            ])
        #expect(try ProteinFixtures.records(of: "").isEmpty)
    }

    @Test func headerTooLong() throws {
        let configuration = FASTAReader.Configuration(maximumHeaderBytes: 10, readSize: 16)
        let text = ">0123456789\r\nMKV\n>0123456789ABCDEFGHIJ\nMKV\nLL\n>short\nMKV\n"
        let records = try ProteinFixtures.records(of: text, configuration: configuration)
        #expect(
            records == [
                FASTARecord(header: "0123456789", sequence: "MKV"),
                FASTARecord(
                    header: "0123456789A", sequence: "", error: "the header is longer than the limit of 10 bytes"),
                FASTARecord(header: "short", sequence: "MKV"),
            ])
    }

    @Test func defaultHeaderLimitIsOneMebibyte() throws {
        let long = String(repeating: "h", count: (1 << 20) + 1)
        let records = try ProteinFixtures.records(of: ">\(long)\nMKV\n>next\nMKV\n")
        #expect(records.count == 2)
        #expect(records.first?.error == "the header is longer than the limit of 1048576 bytes")
        #expect(records.first?.header == String(repeating: "h", count: 100))
        #expect(records.last == FASTARecord(header: "next", sequence: "MKV"))
    }

    @Test func sequenceTooLong() throws {
        let configuration = FASTAReader.Configuration(maximumSequenceLength: 5)
        let records = try ProteinFixtures.records(
            of: ">five\nMKVLL*\n>six\nMKV\nLLA\n>ok\nMK\n", configuration: configuration)
        var six = FASTARecord(header: "six", sequence: "", error: "the sequence has 6 residues, more than the limit of 5")
        six.overLength = 6
        #expect(records == [FASTARecord(header: "five", sequence: "MKVLL"), six, FASTARecord(header: "ok", sequence: "MK")])
    }

    @Test func fiveMegabyteLineIsStreamed() throws {
        // One 5,000,000-residue line, read 64 KiB at a time: only the first 100,000 residues are
        // ever held, and the record reports the default limit.
        var bytes = Array(">huge\n".utf8)
        bytes.reserveCapacity(5_000_100)
        let pattern = Array("MKVLAGDRST".utf8)
        for _ in 0..<500_000 { bytes += pattern }
        bytes += Array("\n>after\nMKV\n".utf8)
        let url = try ProteinFixtures.write(bytes)
        defer { try? FileManager.default.removeItem(at: url) }
        let records = try ProteinFixtures.records(url)
        var huge = FASTARecord(header: "huge", sequence: "", error: "the sequence has 5000000 residues, more than the limit of 100000")
        huge.overLength = 5_000_000
        #expect(records == [huge, FASTARecord(header: "after", sequence: "MKV")])
    }

    @Test func missingFileThrows() {
        let url = URL(fileURLWithPath: "/nonexistent/\(UUID().uuidString).faa")
        #expect(throws: ProteinInputError.self) { try FASTAReader(url: url) }
        do {
            _ = try FASTAReader(url: url)
        } catch let error as ProteinInputError {
            #expect(error.code == .unreadableInput)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
