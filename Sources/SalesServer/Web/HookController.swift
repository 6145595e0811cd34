import Foundation
import Hummingbird
import SalesConnectors
import SalesStorage

/// `POST /hooks/<crm>/<secret>`: a CRM says something changed. The secret must be the connection's (else 401,
/// nothing done); the body is not trusted — it only says a sync is due, and the sync reads the CRM's API
/// from the connection's cursor, so a repeated, late or out-of-order delivery changes nothing it should not,
/// and a record not known yet is fetched. The answer comes at once; the sync follows within a second.
struct HookController {
    let services: AppServices

    func register(on groups: RouteGroups) {
        groups.anyone.post(Route.hook.pattern) { request, context in try await hook(request, context) }
    }

    /// amoCRM's webhook bodies are a few kilobytes of form fields.
    static let maxBody = 1 << 20

    func hook(_ request: Request, _ context: AppContext) async throws -> Response {
        let crm = context.parameters.get("crm") ?? ""
        let secret = context.parameters.get("secret") ?? ""
        guard let stored = try services.stores.connections.connection(crm: crm),
            let settings = try? ConnectionSettings.decode(stored.settings),
            Secrets.equal(settings.webhookSecret, secret)
        else {
            services.audit(nil, "hook.refused", crm)
            return Response(status: .unauthorized, body: .init(byteBuffer: ByteBuffer(string: "unknown webhook\n")))
        }
        var request = request
        let body = try await request.collectBody(upTo: Self.maxBody)
        // Bitrix24 signs with the application token its outbound webhook shows; without a stored one, refused.
        if crm == "bitrix24" {
            let form = Self.form(String(buffer: body))
            guard let token = settings.hookToken, let sent = form["auth[application_token]"], Secrets.equal(token, sent)
            else {
                services.audit(nil, "hook.refused", crm)
                return Response(status: .unauthorized, body: .init(byteBuffer: ByteBuffer(string: "unknown webhook\n")))
            }
        }
        await services.scheduler.request(crm)
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
    }

    /// `a=1&b%5Bc%5D=2` → `["a": "1", "b[c]": "2"]`.
    static func form(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if let k = kv.first { out[k] = kv.count > 1 ? kv[1] : "" }
        }
        return out
    }
}
