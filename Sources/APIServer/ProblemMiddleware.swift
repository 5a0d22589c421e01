import BulkPredictCore
import Engine
import Foundation
import Hummingbird
import JobQueue
import Logging

/// Turns every error into RFC 9457 problem details. Errors the system knows map to their status;
/// anything else is a 500 whose body says nothing internal (the details go to the log).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            // The router found no route: say which one, rather than a bare "Not Found".
            return try ProblemDetails(
                .notFound, type: "http/no_route",
                detail: "no endpoint \(request.method.rawValue) \(request.uri.path); the API is under /api/v1 (see GET /api/v1/models)"
            ).response(from: request, context: context)
        } catch {
            let problem = Self.problem(for: error)
            if problem.statusCode >= 500 {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            return try problem.response(from: request, context: context)
        }
    }

    static func problem(for error: any Error) -> ProblemDetails {
        switch error {
        case let problem as ProblemDetails:
            return problem
        case let routing as RoutingError:
            return ProblemDetails(
                .unprocessableContent, type: "routing/\(routing.code.rawValue)", title: "Invalid routing", detail: routing.description,
                field: Self.field(of: routing.code),
                validChoices: routing.validChoices)
        case let submission as SubmissionError:
            let status: HTTPResponse.Status =
                switch submission.code {
                case .invalidOption, .idempotencyKeyReused, .limitExceeded, .wrongInputKind: .unprocessableContent
                case .emptyInput, .unreadableInput, .malformedBody: .badRequest
                case .tooLarge: .contentTooLarge
                case .quotaExceeded: .tooManyRequests
                }
            var problem = ProblemDetails(
                status, type: "submission/\(submission.code.rawValue)", detail: submission.message, field: submission.field)
            // The quota frees as the caller's requests finish; when is not known, so the hint is a
            // polite interval rather than a promise.
            if submission.code == .quotaExceeded { problem.extraHeaders[.retryAfter] = "30" }
            return problem
        case let unavailable as ResultUnavailable:
            return ProblemDetails(.unprocessableContent, type: "result/unavailable", detail: unavailable.message)
        case let http as HTTPError:
            return ProblemDetails(http.status, type: "http/\(http.status.code)", detail: http.body ?? http.status.reasonPhrase)
        case let unavailable as JobStoreUnavailable:
            var problem = ProblemDetails(
                .serviceUnavailable, type: "service/store_unavailable",
                detail:
                    "\(unavailable.description); try again shortly (a submission sent with an Idempotency-Key is safe to repeat: if it was stored after all, the repeat answers with it)"
            )
            problem.extraHeaders[.retryAfter] = "2"
            return problem
        case is DecodingError:
            return ProblemDetails(
                .badRequest, type: "submission/malformed_body", detail: "the request body is not valid JSON of the expected shape")
        default:
            return ProblemDetails(.internalServerError, type: "internal", detail: "an internal error occurred; it has been logged")
        }
    }
}

extension ProblemMiddleware {
    /// The submission field a routing problem is about, so that a form can show it beside that
    /// field: the model list, the target, or the series.
    static func field(of code: RoutingError.Code) -> String {
        switch code {
        case .unknownModel, .modelsAndTarget, .mixedInputKinds, .emptyRouting: "models"
        case .unknownTarget, .noModels: "target"
        case .unknownSeries, .seriesWithoutTarget: "series"
        }
    }
}
