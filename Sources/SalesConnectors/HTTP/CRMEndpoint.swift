import Foundation

/// A CRM's API as its connector calls it: where it is, the HTTP client within its rate limit, and how its JSON
/// reads. An answer that is not the documented JSON is an error naming the path, not a crash.
struct CRMEndpoint {
    let base: String
    let http: CRMHTTPClient
    let decoder: JSONDecoder

    /// `settings.baseURL` without its trailing slash; an address that is no URL is refused here.
    init(
        _ settings: ConnectionSettings, headers: [String: String], perSecond: Double, backoff: Duration,
        decoder: JSONDecoder = JSONDecoder(), secrets: [String] = []
    ) throws {
        guard URL(string: settings.baseURL)?.scheme != nil else { throw ConnectorError.badURL(settings.baseURL) }
        base = settings.baseURL.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        http = CRMHTTPClient(
            headers: headers, perSecond: perSecond, backoff: backoff, secrets: secrets)
        self.decoder = decoder
    }

    func url(_ path: String, _ query: QueryItems = []) throws -> URL {
        guard let url = URL.api(base, path, query) else { throw ConnectorError.badURL(path) }
        return url
    }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data, _ url: URL) throws -> T {
        do {
            return try decoder.decode(type, from: data)
        } catch {
            throw ConnectorError.badAnswer(path: http.redacted(url.path), reason: "\(error)")
        }
    }

    func get<T: Decodable>(_ type: T.Type, _ url: URL) async throws -> T {
        try decode(type, try await http.get(url).body, url)
    }

    func get<T: Decodable>(_ type: T.Type, _ path: String, _ query: QueryItems = []) async throws -> T {
        try await get(type, try url(path, query))
    }

    func post<T: Decodable>(_ type: T.Type, _ path: String, json body: some Encodable) async throws -> T {
        let url = try url(path)
        return try decode(type, try await http.post(url, json: try JSONEncoder().encode(body)).body, url)
    }
}
