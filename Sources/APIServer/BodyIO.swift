import Formats
import Foundation
import Hummingbird

extension APIServer {
    /// The whole body, refusing more than `limit` bytes with 413 after reading at most that much.
    static func collect(_ request: Request, limit: Int) async throws -> Data {
        var data = Data()
        for try await buffer in request.body {
            guard data.count + buffer.readableBytes <= limit else { throw tooLarge(limit) }
            data.append(contentsOf: buffer.readableBytesView)
        }
        return data
    }

    /// Streams the body to `url`, refusing more than `limit` bytes with 413; memory use is one buffer.
    ///
    /// A gzip body (sent with `Content-Encoding: gzip`, or a `.gz` file, recognised by its first
    /// bytes) is decompressed on the way, and refused with 413 once it would grow past
    /// `decompressedLimit`; damaged or truncated gzip is a 400.
    static func spool(_ request: Request, to url: URL, limit: Int, decompressedLimit: Int) async throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let declared = request.headers[.contentEncoding]?.lowercased().trimmingCharacters(in: .whitespaces)
        if let declared, !["gzip", "x-gzip", "identity"].contains(declared) {
            throw ProblemDetails(
                .unsupportedMediaType, type: "submission/unsupported_encoding",
                detail: "Content-Encoding '\(declared.prefix(64))' is not supported; send the file as it is or gzip-compressed",
                validChoices: ["gzip", "identity"])
        }
        var written = 0
        var inflater: GzipInflater?
        var decided = false
        do {
            for try await buffer in request.body {
                written += buffer.readableBytes
                guard written <= limit else { throw tooLarge(limit) }
                if !decided, buffer.readableBytes > 0 {
                    decided = true
                    if declared == "gzip" || declared == "x-gzip" || GzipInflater.looksCompressed(buffer.readableBytesView.prefix(2)) {
                        inflater = try GzipInflater(limit: decompressedLimit)
                    }
                }
                if let inflater {
                    try buffer.withUnsafeReadableBytes { bytes in
                        try inflater.append(bytes) { try handle.write(contentsOf: $0) }
                    }
                } else {
                    try handle.write(contentsOf: buffer.readableBytesView)
                }
            }
            try inflater?.finish()
        } catch let error as GzipError {
            if case .tooLarge(let cap) = error {
                throw ProblemDetails(
                    .contentTooLarge, type: "submission/too_large",
                    detail: "the upload decompresses to more than \(cap) bytes, the limit for compressed uploads")
            }
            throw ProblemDetails(.badRequest, type: "submission/bad_compression", detail: "the upload could not be decompressed: \(error)")
        }
    }

    static func tooLarge(_ limit: Int) -> ProblemDetails {
        ProblemDetails(.contentTooLarge, type: "submission/too_large", detail: "the request body is larger than \(limit) bytes, the limit")
    }

    /// A response body that streams `range` of a file in 64 KiB pieces.
    static func fileBody(_ url: URL, range: Range<Int>) -> ResponseBody {
        ResponseBody(contentLength: range.count) { writer in
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(range.lowerBound))
            var remaining = range.count
            while remaining > 0, let data = try handle.read(upToCount: min(1 << 16, remaining)), !data.isEmpty {
                try await writer.write(ByteBuffer(bytes: data))
                remaining -= data.count
            }
            try await writer.finish(nil)
        }
    }

    /// Parses an optional integer parameter, with a 422 naming it when it is not a number in range.
    static func integer(_ text: Substring?, name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ProblemDetails(
                .unprocessableContent, type: "parameter/invalid",
                detail: "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound); got '\(text.prefix(40))'",
                field: name)
        }
        return value
    }
}
