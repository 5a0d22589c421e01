import Foundation
import Testing

@testable import Parquet

@Suite("Snappy compressor")
struct SnappyTests {
    private static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var compressor = SnappyCompressor()
        return bytes.withUnsafeBytes { compressor.compress($0) }
    }

    /// Inputs that exercise literals of every length class, copies of every form, block
    /// boundaries and overlapping copies.
    static func samples() -> [(String, [UInt8])] {
        var random = SeededGenerator(seed: 42)
        func randomBytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) } }
        let words = ["CCO", "c1ccccc1", "C(=O)O", "N", "[nH]", "Cl", "Br", "score", "0.", "model"]
        var text: [UInt8] = []
        while text.count < 300_000 {
            text += Array(words[Int.random(in: 0..<words.count, using: &random)].utf8)
            text += Array(String(Int.random(in: 0..<1000, using: &random)).utf8)
        }
        return [
            ("empty", []),
            ("one byte", [7]),
            ("fifteen bytes", Array("abcabcabcabcabc".utf8)),
            ("period three", Array(repeating: Array("xyz".utf8), count: 5000).flatMap { $0 }),
            ("zeros 1 MiB", Array(repeating: 0, count: 1 << 20)),
            ("random 61", randomBytes(61)),
            ("random 257", randomBytes(257)),
            ("random 65536", randomBytes(65536)),
            ("random 65537", randomBytes(65537)),
            ("random 300k", randomBytes(300_000)),
            ("text 300k", text),
            ("mixed", randomBytes(1000) + Array(repeating: 9, count: 70_000) + randomBytes(5000) + text.prefix(100_000)),
        ]
    }

    @Test("round-trips random, repetitive and text-like data", arguments: 0..<12)
    func roundTrip(sample: Int) throws {
        let (name, input) = Self.samples()[sample]
        let compressed = Self.compress(input)
        #expect(compressed.count <= SnappyCompressor.maxCompressedLength(input.count), "\(name)")
        #expect(try SnappyDecoder.decompress(compressed) == input, "\(name)")
    }

    @Test("compresses repetitive data well and bounds incompressible data")
    func ratios() {
        let zeros = Self.compress(Array(repeating: 0, count: 1 << 20))
        #expect(zeros.count < 60_000)
        var random = SeededGenerator(seed: 7)
        let noise = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        #expect(Self.compress(noise).count <= noise.count + noise.count / 500 + 16)
    }

    @Test("pyarrow's Snappy decompresses what the compressor writes")
    func referenceDecompressor() throws {
        let all = Self.samples().filter { !$0.1.isEmpty }.flatMap { $0.1 }
        let compressed = Self.compress(all)
        #expect(try ReferenceReader.snappyDecompress(compressed, uncompressedSize: all.count) == all)
    }

    @Test("the test decompressor rejects malformed input")
    func malformed() {
        #expect(throws: SnappyDecoder.Malformed.self) { try SnappyDecoder.decompress([5, 0x00]) }  // literal runs past input
        #expect(throws: SnappyDecoder.Malformed.self) { try SnappyDecoder.decompress([4, 0x0A, 0x05, 0x00]) }  // copy before any output
        #expect(throws: SnappyDecoder.Malformed.self) { try SnappyDecoder.decompress([2, 0x00, 0x41]) }  // shorter than declared
    }
}

@Suite("Thrift compact protocol")
struct ThriftCompactTests {
    @Test("field headers use deltas, and the long form when a delta does not fit")
    func fieldHeaders() {
        var writer = ThriftCompactWriter()
        writer.writeStruct { body in
            body.i32Field(1, 1)  // delta 1, zigzag(1) = 2
            body.i64Field(3, -1)  // delta 2, zigzag(-1) = 1
            body.boolField(4, true)  // delta 1, type true
            body.boolField(5, false)
            body.i32Field(40, 0)  // delta 35: long form, zigzag(40) = 80
            body.i16Field(2, 3)  // backwards: long form
        }
        #expect(writer.bytes == [0x15, 0x02, 0x26, 0x01, 0x11, 0x12, 0x05, 80, 0x00, 0x04, 0x04, 0x06, 0x00])
    }

    @Test("nested structs restore the enclosing field id; lists have short and long headers")
    func nesting() {
        var writer = ThriftCompactWriter()
        writer.writeStruct { body in
            body.structField(2) { inner in inner.i32Field(9, 300) }
            body.i32ListField(3, [1, -2])
            body.stringListField(4, Array(repeating: "a", count: 15))
        }
        var expected: [UInt8] = [0x2C, 0x95, 0xD8, 0x04, 0x00]  // struct 2 { i32 9 = zigzag 600 }
        expected += [0x19, 0x25, 0x02, 0x03]  // list<i32> [1, -2]
        expected += [0x19, 0xF8, 15] + Array(repeating: [1, 0x61], count: 15).flatMap { $0 }
        expected += [0x00]
        #expect(writer.bytes == expected)
    }

    @Test("zigzag maps signed values to small unsigned ones")
    func zigzag() {
        #expect(ThriftCompactWriter.zigzag(0) == 0)
        #expect(ThriftCompactWriter.zigzag(-1) == 1)
        #expect(ThriftCompactWriter.zigzag(1) == 2)
        #expect(ThriftCompactWriter.zigzag(Int64.min) == UInt64.max)
        #expect(ThriftCompactWriter.zigzag(Int64.max) == UInt64.max - 1)
    }
}

@Suite("RLE / bit-packing hybrid")
struct RLEHybridTests {
    @Test("known encodings")
    func knownBytes() {
        var output: [UInt8] = []
        RLEHybridEncoder.encode([UInt8](repeating: 1, count: 8), bitWidth: 1, into: &output)
        #expect(output == [0x10, 0x01])
        output = []
        RLEHybridEncoder.encode([UInt8]([1, 0, 1]), bitWidth: 1, into: &output)
        #expect(output == [0x03, 0b101])
        output = []
        // The format description's example: 0...7 at width 3.
        RLEHybridEncoder.encode([UInt32](0...7), bitWidth: 3, into: &output)
        #expect(output == [0x03, 0b1000_1000, 0b1100_0110, 0b1111_1010])
    }

    @Test("round-trips runs, literals and mixtures at every width", arguments: [1, 2, 3, 7, 8, 9, 16, 17, 31, 32])
    func roundTrip(bitWidth: Int) throws {
        var random = SeededGenerator(seed: UInt64(bitWidth))
        let maximum = bitWidth == 32 ? UInt32.max : UInt32(1) << UInt32(bitWidth) - 1
        var values: [UInt32] = []
        for _ in 0..<200 {
            let value = UInt32.random(in: 0...maximum, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0: values += repeatElement(value, count: Int.random(in: 1...40, using: &random))
            case 1: values.append(value)
            default: values += (0..<Int.random(in: 1...13, using: &random)).map { _ in UInt32.random(in: 0...maximum, using: &random) }
            }
        }
        var output: [UInt8] = []
        RLEHybridEncoder.encode(values, bitWidth: bitWidth, into: &output)
        #expect(try RLEHybridDecoder.decode(output, bitWidth: bitWidth, count: values.count) == values)
    }

    @Test("bit widths for dictionary indices")
    func widths() {
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 0) == 1)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 1) == 1)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 2) == 2)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 255) == 8)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 256) == 9)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 65535) == 16)
    }
}

@Suite("Checksums and dictionaries")
struct SupportTests {
    @Test("CRC-32 check value")
    func crc() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        // Lengths that are not multiples of eight take the byte-wise tail.
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    }

    @Test("the dictionary keys on exact bytes, so canonically equal strings stay distinct")
    func dictionaryBytes() {
        var dictionary = StringDictionary()
        let spellings = ["\u{E9}", "e\u{301}", "", "a", "\u{E9}", ""]
        var entries: [Int] = []
        for spelling in spellings {
            var spelling = spelling
            entries.append(
                spelling.withUTF8 { utf8 -> Int in
                    let bytes = UnsafeRawBufferPointer(utf8)
                    let hash = StringDictionary.hash(bytes)
                    switch dictionary.find(bytes, hash: hash) {
                    case .found(let entry): return entry
                    case .absent(let slot): return dictionary.insert(bytes, hash: hash, slot: slot)
                    }
                })
        }
        #expect(entries == [0, 1, 2, 3, 0, 2])
        #expect(dictionary.count == 4)
    }

    @Test("the dictionary grows past its initial table")
    func dictionaryGrowth() {
        var dictionary = StringDictionary()
        for round in 0..<2 {
            for number in 0..<10_000 {
                var text = "value-\(number)"
                let entry = text.withUTF8 { utf8 -> Int in
                    let bytes = UnsafeRawBufferPointer(utf8)
                    let hash = StringDictionary.hash(bytes)
                    switch dictionary.find(bytes, hash: hash) {
                    case .found(let entry): return entry
                    case .absent(let slot): return dictionary.insert(bytes, hash: hash, slot: slot)
                    }
                }
                #expect(entry == number, "round \(round)")
            }
        }
        #expect(dictionary.count == 10_000)
    }
}
