import Foundation

/// The reference fixtures in `Tests/Fixtures/` written by `scripts/reference/protein_reference.py`,
/// and the pieces of its recipe the tests repeat (the SplitMix64 stream, the FNV-1a check).
enum ReferenceFixtures {
    /// `Tests/Fixtures`, found from this file's location.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The seed and lengths of the script's `random` set.
    static let randomSeed: UInt64 = 20_240_611
    static let randomMaximumLength = 5000

    /// The lines of a fixture that are not comments, split at tabs.
    static func rows(_ name: String) throws -> [[String]] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// The rows of a fixture with a header line, each as column name → text.
    static func table(_ name: String) throws -> [[String: String]] {
        let all = try rows(name)
        guard let header = all.first else { return [] }
        return all.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// The script's `random` sequences: one of each length from 1 to `randomMaximumLength`,
    /// drawn in order from one SplitMix64 stream.
    static func randomSequences() -> [[UInt8]] {
        let alphabet = Array("ACDEFGHIKLMNPQRSTVWY".utf8)
        var generator = SplitMix64(seed: randomSeed)
        return (1...randomMaximumLength).map { length in
            (0..<length).map { _ in alphabet[Int(generator.next() % 20)] }
        }
    }

    /// FNV-1a 64-bit hash of the bytes, as 16 lower-case hex digits (the fixture's `fnv1a64`).
    static func fnv1a64(_ bytes: some Sequence<UInt8>) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether `value` agrees with `expected` within `relative` of its size, or `absolute` near 0.
    static func close(_ value: Double, _ expected: Double, relative: Double = 1e-6, absolute: Double = 1e-9) -> Bool {
        abs(value - expected) <= max(absolute, relative * abs(expected))
    }
}

/// Steele, Lea & Flood's SplitMix64 generator, as the reference script implements it.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
