import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Headers that tell a browser how little a page may do: run only the dashboard's own scripts (by their
/// hashes), load nothing from elsewhere, never be framed (clickjacking), never guess a content type, and
/// not leak its URL (periods and people's ids) to other sites.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = AppContext

    static let fields: HTTPFields = [
        .contentSecurityPolicy: policy,
        .xFrameOptions: "DENY",
        .xContentTypeOptions: "nosniff",
        .referrerPolicy: "same-origin",
    ]

    /// Styles are inline (`<style>` and a few `style=` attributes): allowed; scripts only by hash.
    static let policy = [
        "default-src 'none'",
        "script-src "
            + scripts.map { "'sha256-" + Data(SHA256.hash(data: Data($0.utf8))).base64EncodedString() + "'" }
            .joined(separator: " "),
        "style-src 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ].joined(separator: "; ")

    /// Every inline script a page may carry: the live updates on all pages, the plan form's pickers.
    static let scripts = [Layout.liveScript, AdminView.planScript]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // A 404 or an API error gets the headers too: rendered here instead of by the router.
            response = try error.response(from: request, context: context)
        }
        for field in Self.fields where response.headers[field.name] == nil { response.headers.append(field) }
        return response
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
