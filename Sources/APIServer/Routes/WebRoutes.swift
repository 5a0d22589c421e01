import Foundation
import HTTPTypes
import Hummingbird

extension APIServer {
    /// The web pages: plain HTML, CSS and JavaScript shipped with the server, no build step.
    ///
    /// `/` is the submit form, `/requests` the list, `/requests/{id}` one request (the page reads
    /// the id from its address), and `/static/<name>` the scripts and styles.
    func addWebRoutes(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in try self.page("index.html") }
        router.get("requests") { _, _ in try self.page("requests.html") }
        router.get("requests/:id") { _, _ in try self.page("request.html") }
        router.get("static/:name") { _, context in
            let name = context.parameters.get("name") ?? ""
            // Names are plain file names: nothing that could climb out of the folder.
            guard !name.isEmpty, !name.hasPrefix("."),
                name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) })
            else { throw ProblemDetails(.notFound, type: "web/not_found", detail: "no file '\(name.prefix(64))'") }
            return try self.file(at: "static/\(name)")
        }
    }

    private func page(_ name: String) throws -> Response { try file(at: name) }

    private func file(at path: String) throws -> Response {
        guard let root = configuration.webDirectory else {
            throw ProblemDetails(.notFound, type: "web/not_found", detail: "this server was built without its web pages")
        }
        let url = root.appendingPathComponent(path)
        guard let data = try? Data(contentsOf: url) else {
            throw ProblemDetails(.notFound, type: "web/not_found", detail: "no file '\(path)'")
        }
        let type: String =
            switch url.pathExtension {
            case "html": "text/html; charset=utf-8"
            case "css": "text/css; charset=utf-8"
            case "js", "mjs": "text/javascript; charset=utf-8"
            case "svg": "image/svg+xml"
            case "png": "image/png"
            case "json": "application/json"
            default: "application/octet-stream"
            }
        // The pages change with the server's version; revalidating keeps an upgrade visible.
        return Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "no-cache", HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
