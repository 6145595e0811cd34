import Foundation
import Hummingbird
import SalesConnectors
import SalesCore
import SalesStorage

extension AdminController {
    /// The CRM connections: status, last sync and error, the latest runs, and a button to sync now.
    @Sendable func connections(_ request: Request, context: SignedInContext) async throws -> Response {
        try await adminPage(request, context, route: .adminConnections) { _, c in
            let store = services.stores.connections
            let all = try store.connections()
            let runs = try all.map { try store.runs(crm: $0.crm, limit: 10) }
            let main = AdminView(c: c).connections(all, runs: runs, notice: try request.decode(NoticeQuery.self).notice)
            return show(c, "page.admin.connections", main)
        }
    }

    /// Asks the scheduler for a sync of one connection and comes back to the page, which shows the run.
    @Sendable func syncNow(_ request: Request, context: SignedInContext) async throws -> Response {
        var request = request
        let form = try await request.formFields()
        guard let crm = form["crm"], try services.stores.connections.connection(crm: crm) != nil else {
            return Self.back(.adminConnections, notice: "unknown")
        }
        services.audit(context.viewer, "connection.sync", crm)
        await services.scheduler.request(crm)
        return Self.back(.adminConnections, notice: "started")
    }
}

extension AdminView {
    func connections(_ all: [StoredConnection], runs: [[SyncRun]], notice: String?) -> HTML {
        let told: HTML =
            switch notice {
            case "started": HTML("<div class=\"notice\" id=\"notice\">\(c.t("page.admin.connections.started"))</div>")
            case "unknown": HTML("<div class=\"error\" id=\"notice\">\(c.t("page.admin.connections.unknown"))</div>")
            default: ""
            }
        guard !all.isEmpty else {
            return HTML(
                """
                \(told)<div class="card" id="no-connections"><p>\(c.t("page.admin.connections.none"))</p>\
                <pre>saleskpi connect amocrm --db FILE --base-url https://firm.amocrm.ru --token TOKEN</pre></div>
                """)
        }
        let cards: [HTML] = zip(all, runs).map { connection, runs in card(connection, runs) }
        return HTML("\(told)\(cards)")
    }

    private func card(_ connection: StoredConnection, _ runs: [SyncRun]) -> HTML {
        let settings = try? ConnectionSettings.decode(connection.settings)
        let status = c.t(MessageKey("page.admin.connections.status.\(connection.status.rawValue)"))
        let last = connection.lastSyncAt.map(Self.time) ?? "—"
        let error: HTML =
            connection.lastError.map {
                HTML(
                    """
                    <div class="error">\(c.t("page.admin.connections.last_error")): \($0)<br>\
                    \(c.t("page.admin.connections.what_to_do"))</div>
                    """)
            } ?? ""
        let rows: [HTML] = runs.map { r in
            HTML(
                """
                <tr><td>\(Self.time(r.startedAt))</td><td class="num">\(r.finishedAt - r.startedAt)</td>\
                <td class="num">\(c.number(Double(r.fetched), .count))</td>\
                <td class="num">\(c.number(Double(r.stored), .count))</td>\
                <td class="num">\(c.number(Double(r.changed), .count))</td><td class="num">\(r.requests)</td>\
                <td>\(c.t(MessageKey("page.admin.connections.status.\(r.status.rawValue)")))</td>\
                <td>\(r.message ?? "")</td></tr>
                """)
        }
        let columns = ["started", "seconds", "read", "new", "changed", "calls", "status", "message"].map {
            HTML("<th>\(c.t(MessageKey("page.admin.connections.run.\($0)")))</th>")
        }
        return HTML(
            """
            <div class="card connection" id="connection-\(connection.crm)">\
            <h2>\(connection.crm) · <span class="status-\(connection.status.rawValue)">\(status)</span></h2>\
            <p>\(Self.origin(settings?.baseURL ?? "")) · \(c.t("page.admin.connections.last_sync")): \(last) · \
            \(c.t("page.admin.connections.webhook_set"))</p>\(error)
            <form class="inline" method="post" action="\(Route.adminConnectionSync)">\(c.csrfField)\
            <input type="hidden" name="crm" value="\(connection.crm)">\
            <button class="btn" id="sync-\(connection.crm)">\(c.t("page.admin.connections.sync_now"))</button></form>
            <div class="scroll"><table class="runs"><tr>\(columns)</tr>\(rows)</table></div></div>
            """)
    }

    /// `https://firm.bitrix24.ru`: the address without its path, where Bitrix24's webhook keeps its secret.
    static func origin(_ url: String) -> String {
        guard let u = URL(string: url), let scheme = u.scheme, let host = u.host else { return "" }
        return "\(scheme)://\(host)" + (u.port.map { ":\($0)" } ?? "")
    }

    private static func time(_ t: Timestamp) -> String {
        Date(timeIntervalSince1970: TimeInterval(t)).formatted(.iso8601)
    }
}
