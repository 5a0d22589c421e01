import Foundation

/// How vectors are stored: as little-endian 32-bit floats, in base64 inside chunk outputs (compact
/// text: 4/3 bytes per byte, against about 10 for decimal text) and raw in the merged vector files.
public enum VectorCoding {
    /// The little-endian bytes of `vector`.
    public static func bytes(_ vector: [Float]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vector.count * 4)
        for value in vector {
            let bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// `vector` as base64 text.
    public static func base64(_ vector: [Float]) -> String { Data(bytes(vector)).base64EncodedString() }

    /// The floats of little-endian `bytes`, or `nil` when the count is not a multiple of 4.
    public static func floats(_ bytes: some Collection<UInt8>) -> [Float]? {
        guard bytes.count.isMultiple(of: 4) else { return nil }
        var floats: [Float] = []
        floats.reserveCapacity(bytes.count / 4)
        var iterator = bytes.makeIterator()
        while let a = iterator.next(), let b = iterator.next(), let c = iterator.next(), let d = iterator.next() {
            let bits = UInt32(a) | UInt32(b) << 8 | UInt32(c) << 16 | UInt32(d) << 24
            floats.append(Float(bitPattern: bits))
        }
        return floats
    }

    /// The floats of base64 `text`, or `nil` when it is not base64 of whole floats.
    public static func floats(base64 text: some Collection<UInt8>) -> [Float]? {
        guard let data = Data(base64Encoded: Data(text)) else { return nil }
        return floats(data)
    }
}
