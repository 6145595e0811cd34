import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SalesCore
import SalesImport

/// Per-request state: who is asking, in which language, and the session's CSRF token.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var viewer: Viewer?
    /// The session's CSRF token; nil when signed in by an API token, which sends no cookies.
    public var csrf: String?
    /// The session cookie's token hash, to end the session on sign-out.
    var sessionHash: String?
    /// A form with files, read from the file its body was spooled to while its CSRF token was checked.
    var uploadedForm: MultipartForm?
    public var language: Language = .ru
    public let remoteAddress: String
    /// The request's connection, to close it after refusing a client that would otherwise keep it.
    let channel: any Channel

    /// Values handlers return (`Me`, a call) are encoded as every other machine answer: snake_case keys.
    public var responseEncoder: JSONEncoder { MachineJSON.encoder() }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "local"
    }

    /// A plain-text refusal after which the connection is closed: a client refused for what it sends
    /// (too much, too often) must not keep its descriptor, nor have the rest of its body read.
    func refusal(_ status: HTTPResponse.Status, _ message: LocalizedText, headers: HTTPFields = [:]) -> Response {
        let channel = self.channel
        let text = ByteBuffer(string: message(language) + "\n")
        let body = ResponseBody { writer in
            try await writer.write(text)
            try await writer.finish(nil)
            channel.close(promise: nil)
        }
        var fields = headers
        fields[.contentType] = "text/plain; charset=utf-8"
        fields[.connection] = "close"
        return Response(status: status, headers: fields, body: body)
    }

    /// The signed-in viewer; 401 otherwise.
    func requireViewer() throws -> Viewer {
        guard let viewer else {
            throw APIError(
                .unauthorized,
                LocalizedText("api.error.sign_in_first"))
        }
        return viewer
    }
}

/// An error for API clients as JSON `{"error": {"status", "message", "items"?}}`, in the user's language.
struct APIError: HTTPResponseError {
    struct Item: Encodable, Sendable {
        var index: Int?
        var field: String?
        var message: String
    }
    var status: HTTPResponse.Status
    var message: LocalizedText
    var items: [Item] = []
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: LocalizedText, items: [Item] = []) {
        self.status = status
        self.message = message
        self.items = items
    }

    func body(_ lang: Language) throws -> Data {
        struct Body: Encodable { var error: Inner }
        struct Inner: Encodable {
            var status: Int
            var message: String
            var items: [Item]?
        }
        return try JSONEncoder().encode(
            Body(error: .init(status: Int(status.code), message: message(lang), items: items.isEmpty ? nil : items)))
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try body((context as? AppContext)?.language ?? .en)
        var h = headers
        h[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(data: body)))
    }
}
