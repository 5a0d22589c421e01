/// A Snappy raw-format decompressor, used only by the tests to check what the writer's
/// compressor produces. Strict: any malformed input throws rather than producing bytes.
enum SnappyDecoder {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        var position = 0

        func byte() throws -> Int {
            guard position < input.count else { throw Malformed(description: "truncated at \(position)") }
            defer { position += 1 }
            return Int(input[position])
        }

        func littleEndian(_ count: Int) throws -> Int {
            var value = 0
            for index in 0..<count { value |= try byte() << (8 * index) }
            return value
        }

        var expected = 0
        var shift = 0
        while true {
            let next = try byte()
            guard shift <= 28 else { throw Malformed(description: "length varint too long") }
            expected |= (next & 0x7F) << shift
            shift += 7
            if next & 0x80 == 0 { break }
        }

        var output: [UInt8] = []
        output.reserveCapacity(expected)
        while position < input.count {
            let tag = try byte()
            switch tag & 0b11 {
            case 0:
                var length = tag >> 2
                if length >= 60 { length = try littleEndian(length - 59) }
                length += 1
                guard position + length <= input.count else { throw Malformed(description: "literal runs past the input") }
                output.append(contentsOf: input[position..<(position + length)])
                position += length
            case 1:
                let length = 4 + (tag >> 2) & 0b111
                let offset = (tag >> 5) << 8 | (try byte())
                try copy(offset: offset, length: length, into: &output)
            case 2:
                try copy(offset: try littleEndian(2), length: (tag >> 2) + 1, into: &output)
            default:
                try copy(offset: try littleEndian(4), length: (tag >> 2) + 1, into: &output)
            }
            guard output.count <= expected else { throw Malformed(description: "output exceeds the declared length") }
        }
        guard output.count == expected else {
            throw Malformed(description: "decoded \(output.count) bytes, header says \(expected)")
        }
        return output
    }

    /// Copies byte by byte so overlapping copies (offset < length) repeat the pattern.
    private static func copy(offset: Int, length: Int, into output: inout [UInt8]) throws {
        guard offset > 0, offset <= output.count else { throw Malformed(description: "copy offset \(offset) out of range") }
        let start = output.count - offset
        for index in 0..<length {
            output.append(output[start + index])
        }
    }
}

/// Decodes the RLE / bit-packing hybrid, to check the writer's encoder.
enum RLEHybridDecoder {
    static func decode(_ input: [UInt8], bitWidth: Int, count: Int) throws -> [UInt32] {
        var values: [UInt32] = []
        var position = 0
        while values.count < count {
            var header = 0
            var shift = 0
            while true {
                guard position < input.count else { throw SnappyDecoder.Malformed(description: "truncated run header") }
                let next = Int(input[position])
                position += 1
                header |= (next & 0x7F) << shift
                shift += 7
                if next & 0x80 == 0 { break }
            }
            if header & 1 == 0 {
                let runLength = header >> 1
                var value: UInt32 = 0
                for index in 0..<((bitWidth + 7) / 8) {
                    value |= UInt32(input[position + index]) << (8 * UInt32(index))
                }
                position += (bitWidth + 7) / 8
                values.append(contentsOf: repeatElement(value, count: runLength))
            } else {
                let valueCount = (header >> 1) * 8
                var bitPosition = position * 8
                for _ in 0..<valueCount {
                    var value: UInt32 = 0
                    for bit in 0..<bitWidth {
                        let absolute = bitPosition + bit
                        if input[absolute / 8] >> UInt8(absolute % 8) & 1 == 1 { value |= 1 << UInt32(bit) }
                    }
                    bitPosition += bitWidth
                    values.append(value)
                }
                position = bitPosition / 8
            }
        }
        guard position == input.count else {
            throw SnappyDecoder.Malformed(description: "\(input.count - position) bytes left after \(count) values")
        }
        return Array(values.prefix(count))
    }
}
