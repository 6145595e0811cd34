import Foundation
import HTTPTypes
import Hummingbird
import SalesCore
import SalesStorage

/// Finds who is asking — an API token (`Authorization: Bearer …`) or a session cookie — and the
/// language to answer in; checks the CSRF token of every state-changing request made with a cookie.
struct Authentication: RouterMiddleware {
    typealias Context = AppContext
    static let cookieName = "saleskpi_session"

    let sessions: any SessionStore
    let apiTokens: any APITokenStore
    let credentials: CredentialCache
    let live: LiveEngine
    let defaultLanguage: Language

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response)
        async throws -> Response
    {
        var context = context
        var request = request
        context.language = Self.language(request.headers[.acceptLanguage]) ?? defaultLanguage
        // Errors are rendered here, where the context knows the user's language.
        do { return try await authenticate(&request, &context, next: next) } catch let e as APIError {
            return try e.response(from: request, context: context)
        }
    }

    private func authenticate(
        _ request: inout Request, _ context: inout AppContext,
        next: (Request, AppContext) async throws -> Response
    ) async throws -> Response {
        var user: UserAccount?
        let now = Date().timeIntervalSince1970
        if let auth = request.headers[.authorization], auth.lowercased().hasPrefix("bearer ") {
            let hash = Secrets.hash(token: String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces))
            user = try credentials.entry(hash, now: now) { try apiTokens.user(tokenHash: hash).map { ($0, nil) } }?
                .user
            if user == nil {
                throw APIError(.unauthorized, LocalizedText("api.error.invalid_token"))
            }
        } else if let cookie = request.cookies[Self.cookieName]?.value {
            let hash = Secrets.hash(token: cookie)
            let entry = try credentials.entry(hash, now: now) {
                try sessions.session(tokenHash: hash, now: Int64(now)).map { ($0.user, $0) }
            }
            if let session = entry?.session {
                user = session.user
                context.csrf = session.csrf
                context.sessionHash = hash
            }
        }
        if let chosen = user?.language { context.language = chosen }
        if let user { context.viewer = live.read { Viewer(user: user, engine: $0) } }

        if let csrf = context.csrf, request.method != .get, request.method != .head {
            if (request.headers[.contentType] ?? "").hasPrefix("multipart/form-data") {
                // Files: only an admin uploads them, so nobody else's upload is read at all; an admin's goes
                // to a file on disk, mapped rather than read into memory.
                guard context.viewer?.user.role == .admin else {
                    throw APIError(
                        .forbidden,
                        LocalizedText("api.error.only_admins_upload"))
                }
                let spool = try await Uploads.spool(request.body, limit: Uploads.maxBytes)
                defer { try? FileManager.default.removeItem(atPath: spool) }
                // Parsed once, here: the handler takes the form from the context.
                let form = MultipartForm(
                    body: try Uploads.spooled(spool), contentType: request.headers[.contentType] ?? "")
                context.uploadedForm = form
                try Self.checkCSRF(sent: request.headers[.csrfToken] ?? form?["_csrf"], expected: csrf)
                return try await next(request, context)
            }
            try await Self.checkCSRF(&request, expected: csrf)
        }
        return try await next(request, context)
    }

    /// The browser's first language if the message catalog has it (`ru-RU` → ru), nil otherwise.
    static func language(_ header: String?) -> Language? {
        guard let first = header?.split(separator: ",").first?.lowercased() else { return nil }
        let code = first.drop { $0 == " " }.prefix { $0.isLetter }
        return Language.allCases.first { $0.rawValue == code }
    }

    /// The token comes in the `X-CSRF-Token` header (scripts) or the `_csrf` field of a plain form
    /// (a form with files is checked from its spooled body, above).
    static func checkCSRF(_ request: inout Request, expected: String) async throws {
        var sent = request.headers[.csrfToken]
        if sent == nil, (request.headers[.contentType] ?? "").hasPrefix("application/x-www-form-urlencoded") {
            sent = try await request.formFields()["_csrf"]
        }
        try checkCSRF(sent: sent, expected: expected)
    }

    static func checkCSRF(sent: String?, expected: String) throws {
        guard let sent, Secrets.equal(sent, expected) else {
            throw APIError(
                .forbidden,
                LocalizedText("api.error.csrf"))
        }
    }
}

extension HTTPField.Name {
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}

extension Request {
    /// The fields of a form's body (collected once: the CSRF check has usually read it already).
    mutating func formFields(upTo limit: Int = 1 << 20) async throws -> FormFields {
        FormFields(String(buffer: try await collectBody(upTo: limit)))
    }
}

/// Fields of an `application/x-www-form-urlencoded` body.
struct FormFields {
    private var values: [String: String] = [:]
    init(_ body: String) {
        for pair in body.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            values[decode(kv[0])] = kv.count > 1 ? decode(kv[1]) : ""
        }
    }
    subscript(_ name: String) -> String? { values[name] }
}
