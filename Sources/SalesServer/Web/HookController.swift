import Foundation
import Hummingbird
import SalesConnectors
import SalesStorage

/// `POST /hooks/<crm>/<secret>`: a CRM says something changed. The secret must be the connection's and the
/// delivery signed as its CRM signs (`Webhooks.verify`), else 401 and nothing done; the body is not trusted — it
/// only says a sync is due, and the sync reads the CRM's API from the connection's cursor, so a repeated, late or
/// out-of-order delivery changes nothing it should not, and a record not known yet is fetched. A delivery whose
/// event ids were all seen starts no sync. The answer comes at once; the sync follows within a second.
struct HookController {
    let services: AppServices
    let seen = SeenEvents()

    func register(on groups: RouteGroups) {
        groups.anyone.post(Route.hook.pattern) { request, context in try await hook(request, context) }
    }

    /// Webhook bodies are a few kilobytes (HubSpot batches up to 100 events, Salesforce 100 notifications).
    static let maxBody = 1 << 20

    func hook(_ request: Request, _ context: AppContext) async throws -> Response {
        let crm = context.parameters.get("crm") ?? ""
        let secret = context.parameters.get("secret") ?? ""
        var request = request
        let body = try await request.collectBody(upTo: Self.maxBody)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        headers["host"] = request.head.authority
        let delivery = WebhookDelivery(
            method: request.method.rawValue, uri: request.uri.description, headers: headers, body: Data(buffer: body))
        guard let stored = try services.stores.connections.connection(crm: crm),
            let settings = try? ConnectionSettings.decode(stored.settings),
            Secrets.equal(settings.webhookSecret, secret)
        else { return refused(crm, "secret") }
        let events: [String]
        switch Webhooks.verify(crm: crm, settings: settings, delivery, now: Int64(Date().timeIntervalSince1970)) {
        // Said in the audit log only (a stale timestamp or a bad signature is often a proxy's doing).
        case .refused(let why): return refused(crm, why)
        case .accepted(let ids): events = ids
        }
        if events.isEmpty || seen.insert(events.map { "\(crm):\($0)" }) { await services.scheduler.request(crm) }
        // Salesforce delivers an Outbound Message again until it reads its SOAP acknowledgement.
        if crm == "salesforce" {
            return Response(
                status: .ok, headers: [.contentType: "text/xml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: Webhooks.salesforceAck)))
        }
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
    }

    /// A 401 that says nothing to the caller; the audit log says which check failed.
    private func refused(_ crm: String, _ why: String) -> Response {
        services.audit(nil, "hook.refused", "\(crm): \(why)")
        return Response(status: .unauthorized, body: .init(byteBuffer: ByteBuffer(string: "unknown webhook\n")))
    }
}
