import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The HTTP side of a connector: calls to a CRM's API within its rate limit, a 429 or 503 retried after its
/// `Retry-After` (else after a growing pause), every call counted. Messages name the path, never a token.
public final class CRMHTTPClient: @unchecked Sendable {
    /// What a CRM answered that a sync cannot go on from.
    public enum Failure: Error, Sendable, Equatable {
        /// 401: the token was refused (expired, revoked, or of another account).
        case unauthorized(path: String)
        /// 403: the token lacks a right, or the CRM blocked the caller.
        case forbidden(path: String, body: String)
        case status(Int, path: String, body: String)
        /// Still limited after every retry.
        case rateLimited(path: String, tries: Int)
        case unreachable(path: String, reason: String)
    }

    private let session: URLSession
    private let headers: [String: String]
    /// Parts of URLs that are credentials (Bitrix24's webhook secret): cut from every message.
    private let secrets: [String]
    /// The least time between two calls: the CRM's documented rate (amoCRM: 7 a second).
    private let spacing: Duration
    /// The first pause after a 429 or 503 without `Retry-After`; doubled on each retry.
    let backoff: Duration
    let maxTries: Int
    private let clock = ContinuousClock()
    private var lastCall: ContinuousClock.Instant?
    /// Calls made, retries included: what the sync spends of the CRM's budget.
    public private(set) var requests = 0
    /// Looks at every answer's headers, and may stop the sync (Salesforce's `Sforce-Limit-Info`).
    var check: ((HTTPURLResponse) throws -> Void)?

    public init(
        headers: [String: String], perSecond: Double, backoff: Duration = .seconds(1), maxTries: Int = 8,
        timeout: TimeInterval = 60, secrets: [String] = []
    ) {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        session = URLSession(configuration: config)
        self.headers = headers
        self.secrets = secrets.filter { !$0.isEmpty }
        // 5 % under the CRM's rate: a call that waits in a queue on the way, then arrives close behind the next,
        // would otherwise count against it.
        spacing = .nanoseconds(Int64(1.05e9 / perSecond))
        self.backoff = backoff
        self.maxTries = maxTries
    }

    /// The body of a 2xx answer to a GET (empty for a 204), after waiting out rate limits.
    public func get(_ url: URL) async throws -> (status: Int, body: Data) {
        try await send(URLRequest(url: url))
    }

    /// The body of a 2xx answer to a POST of `json` (HubSpot's search and batch reads are POSTs).
    public func post(_ url: URL, json: Data) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = json
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        return try await send(request)
    }

    private func send(_ call: URLRequest) async throws -> (status: Int, body: Data) {
        var pause = backoff
        let path = redacted(call.url?.path ?? "")
        for _ in 0..<maxTries {
            if let last = lastCall { try await clock.sleep(until: last.advanced(by: spacing)) }
            lastCall = clock.now
            requests += 1
            var request = call
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let (data, response): (Data, URLResponse)
            do {
                (data, response) = try await session.data(for: request)
            } catch {
                throw Failure.unreachable(path: path, reason: error.localizedDescription)
            }
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            switch status {
            case 200..<300:
                if let check, let http = response as? HTTPURLResponse { try check(http) }
                return (status, data)
            case 429, 503:
                // Pipedrive says when its window resets instead.
                let http = response as? HTTPURLResponse
                let after =
                    (http?.value(forHTTPHeaderField: "Retry-After")
                    ?? http?.value(
                        forHTTPHeaderField: "X-RateLimit-Reset")).flatMap(Int.init)
                try await clock.sleep(for: after.map { .seconds(min($0, 120)) } ?? pause)
                pause *= 2
            case 401: throw Failure.unauthorized(path: path)
            case 403: throw Failure.forbidden(path: path, body: Self.excerpt(data))
            default: throw Failure.status(status, path: path, body: Self.excerpt(data))
            }
        }
        throw Failure.rateLimited(path: path, tries: maxTries)
    }

    /// `path` with its credentials cut: `/rest/1/…/crm.deal.list.json`.
    func redacted(_ path: String) -> String {
        secrets.reduce(path) { $0.replacingOccurrences(of: $1, with: "…") }
    }

    /// The start of an error body, for a message.
    private static func excerpt(_ data: Data) -> String { String(decoding: data.prefix(300), as: UTF8.self) }
}

/// A query's pairs, each key and value percent-encoded whole: a key such as Bitrix24's `filter[>=DATE_MODIFY]`
/// holds an `=` that would otherwise end it.
public typealias QueryItems = [(String, String)]

extension URL {
    /// `base` + `path` + the query: nil if the result is no URL.
    static func api(_ base: String, _ path: String, _ query: QueryItems) -> URL? {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let encode = { (s: String) in s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s }
        let pairs = query.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
        return URL(string: base + path + (pairs.isEmpty ? "" : "?" + pairs))
    }
}
