import Hummingbird
import Logging

/// Logs each request as Hummingbird's `LogRequestsMiddleware` does, but with a webhook's secret cut from its
/// path: `/hooks/amocrm/…`. No secret reaches the log.
struct LogRequests<Context: RequestContext>: RouterMiddleware {
    let level: Logger.Level
    init(_ level: Logger.Level) { self.level = level }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        context.logger.log(
            level: level, "Request",
            metadata: [
                "hb.request.method": .string(request.method.rawValue),
                "hb.request.path": .string(Self.redacted(request.uri.path)),
            ])
        return try await next(request, context)
    }

    /// The path with what follows `/hooks/<crm>/` replaced.
    static func redacted(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count > 3, parts[1] == "hooks" else { return path }
        return parts.prefix(3).joined(separator: "/") + "/…"
    }
}
