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
        _ = try await request.collectBody(upTo: Self.maxBody)
        await services.scheduler.request(crm)
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
    }
}
