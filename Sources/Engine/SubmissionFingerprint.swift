import BulkPredictCore
import Formats
import Foundation

/// A digest of a submission: its options and every record, in order. Two submissions under one
/// idempotency key are the same submission exactly when their fingerprints are equal.
///
/// Two independent 64-bit FNV-1a lanes give 128 bits: a guard against a client reusing a key by
/// mistake, not against an adversary (who could only confuse their own requests).
struct SubmissionFingerprint {
    private var low: UInt64 = 0xcbf2_9ce4_8422_2325
    private var high: UInt64 = 0x6c62_272e_07bb_0142
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// Starts with the options that change what the request computes.
    init(models: [ModelDescriptor], chunkSize: Int, kind: InputKind) {
        for model in models { add("model", model.id, model.version) }
        add("chunk", String(chunkSize), kind.rawValue)
    }

    /// Adds one record.
    mutating func add(_ record: InputRecord) {
        add("record", record.id ?? "\u{0}", record.input)
        for value in record.passthrough { add(value ?? "\u{0}") }
    }

    private mutating func add(_ fields: String...) {
        for field in fields {
            for byte in field.utf8 { mix(byte) }
            // A separator that cannot occur in UTF-8 text keeps ("ab", "c") apart from ("a", "bc").
            mix(0xFF)
        }
    }

    private mutating func mix(_ byte: UInt8) {
        low = (low ^ UInt64(byte)) &* Self.prime
        high = (high ^ UInt64(byte ^ 0x5A)) &* Self.prime
    }

    /// The digest in hexadecimal.
    var value: String {
        String(high, radix: 16) + ":" + String(low, radix: 16)
    }
}
