import Foundation

/// The public identifier of one submission: a lowercase UUID string.
///
/// Request ids appear in URLs, so they are opaque and unguessable rather than sequential.
public struct RequestID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The lowercase UUID text.
    public let rawValue: String

    /// Creates a fresh random id.
    public init() {
        rawValue = UUID().uuidString.lowercased()
    }

    /// Accepts only well-formed UUID text, so that a path segment can never smuggle anything else
    /// into a file name or a query.
    public init?(_ text: some StringProtocol) {
        guard let uuid = UUID(uuidString: String(text)) else { return nil }
        rawValue = uuid.uuidString.lowercased()
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = RequestID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a request id: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
