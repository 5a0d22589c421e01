import BulkPredictCore
import Engine
import Foundation
import Hummingbird
import Logging
import JobQueue
import ServiceLifecycle

/// The HTTP API of BulkPredict, mounted under `/api/v1`.
public struct APIServer: Sendable {
    /// Server settings.
    public struct Configuration: Sendable {
        /// Largest accepted upload or JSON body, in bytes.
        public var maxBodyBytes: Int = 2 << 30
        /// Largest accepted JSON body, in bytes. JSON is parsed in memory, so large inputs belong
        /// in a file upload, which is streamed to disk.
        public var maxJSONBodyBytes: Int = 16 << 20
        /// Largest size a gzip-compressed upload may decompress to, in bytes (413 beyond it).
        public var maxDecompressedBytes: Int = 8 << 30
        /// Time between keep-alive comments on an event stream.
        public var keepAlive: Duration = .seconds(15)
        /// How often an event stream looks at the store for changes made by other processes.
        public var eventPoll: Duration = .seconds(1)
        /// Shortest time between two status reads of one event stream: changes arriving faster
        /// are coalesced into one progress event, so a fast request cannot make its watchers
        /// hammer the store.
        public var eventMinimumInterval: Duration = .milliseconds(250)
        /// How long the event stream of a cancelled request waits for its partial result before
        /// the end event.
        public var partialResultWait: Duration = .seconds(10)
        /// Where uploads are spooled before they are read.
        public var uploadDirectory: URL
        /// The folder of the web pages: `BULKPREDICT_WEB_DIR` when set (to work on the pages
        /// without rebuilding), else the copy shipped with the server; `nil` serves no pages.
        public var webDirectory: URL? = {
            if let folder = ProcessInfo.processInfo.environment["BULKPREDICT_WEB_DIR"], !folder.isEmpty {
                return URL(fileURLWithPath: folder)
            }
            return Bundle.module.url(forResource: "Web", withExtension: nil)
        }()

        /// Creates a configuration that spools uploads in `uploadDirectory`.
        public init(uploadDirectory: URL) {
            self.uploadDirectory = uploadDirectory
        }
    }

    let coordinator: Coordinator
    let configuration: Configuration

    /// Creates the API over `coordinator`.
    public init(coordinator: Coordinator, configuration: Configuration) {
        self.coordinator = coordinator
        self.configuration = configuration
    }

    /// The router with every route and the error mapping.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(ProblemMiddleware())
        router.middlewares.add(AvailabilityMiddleware(store: coordinator.store))
        let api = router.group("api/v1")
        addRequestRoutes(to: api)
        addEventRoutes(to: api)
        addModelRoutes(to: api)
        addHelperRoutes(to: api)
        addWebRoutes(to: router)
        return router
    }

    /// An application serving the API on `host:port`, with `services` (workers) run beside it.
    public func application(
        host: String, port: Int, services: [any Service] = [], logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "BulkPredict"),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// The owner of a call. A single local owner until authentication exists.
    func owner(of request: Request) -> String { "local" }
}

/// Answers 503 with `Retry-After` at once while the job store's database is known to be down,
/// instead of letting the call wait for a connection that cannot come.
struct AvailabilityMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: any JobStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard store.isAvailable else { throw JobStoreUnavailable("its database does not answer", mayHaveChanged: false) }
        return try await next(request, context)
    }
}

/// Hummingbird has a `RequestID` of its own; in this module the name means BulkPredict's.
typealias RequestID = BulkPredictCore.RequestID
