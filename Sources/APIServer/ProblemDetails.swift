import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem: the body of every error response, served as `application/problem+json`.
public struct ProblemDetails: HTTPResponseError, Codable, Sendable {
    /// A URI naming the kind of problem (relative, under `/problems/`).
    public var type: String
    /// A short summary of the kind of problem.
    public var title: String
    /// The HTTP status code.
    public var statusCode: Int
    /// What went wrong this time, in words a user can act on.
    public var detail: String
    /// The field or parameter concerned, when there is one.
    public var field: String?
    /// Valid choices, when the problem is an unknown name.
    public var validChoices: [String]?
    /// The state of the resource, when the problem is a conflict with it.
    public var state: String?
    /// Extra headers, such as `Retry-After`; not part of the body.
    var extraHeaders = HTTPFields()

    /// The HTTP status.
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: statusCode) }

    /// Creates a problem.
    public init(
        _ status: HTTPResponse.Status, type: String, title: String? = nil, detail: String, field: String? = nil,
        validChoices: [String]? = nil, state: String? = nil
    ) {
        self.type = "/problems/\(type)"
        self.title = title ?? status.reasonPhrase
        self.statusCode = status.code
        self.detail = detail
        self.field = field
        self.validChoices = validChoices
        self.state = state
    }

    enum CodingKeys: String, CodingKey {
        case type, title, detail, field, state
        case statusCode = "status"
        case validChoices = "valid_choices"
    }

    /// The same problem, answered with an extra header.
    func adding(_ name: HTTPField.Name, _ value: String) -> ProblemDetails {
        var copy = self
        copy.extraHeaders[name] = value
        return copy
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var body = try encoder.encode(self)
        body.append(UInt8(ascii: "\n"))
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
