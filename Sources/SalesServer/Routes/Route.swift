import Foundation
import Hummingbird

/// Every address the server answers, by name. Routes are registered from it and links are built from
/// it, so a page cannot link to an address that does not exist, and `saleskpi kpis --explain` can name
/// the routes behind a number.
public enum Route: String, CaseIterable, Sendable {
    // Anyone
    case health = "/health"
    case metrics = "/metrics"
    case login = "/login"
    /// A CRM's webhook: the secret in the path is the connection's (`saleskpi connect` prints the address).
    case hook = "/hooks/:crm/:secret"
    // Signed in (pages)
    case logout = "/logout"
    case language = "/language"
    case dashboard = "/"
    case deals = "/deals"
    case activities = "/activities"
    case calls = "/calls"
    case call = "/calls/:id"
    case callCorrections = "/calls/:id/corrections"
    case forecast = "/forecast"
    case live = "/live"
    // Admins (pages)
    case admin = "/admin"
    case adminUsers = "/admin/users"
    case adminUserChange = "/admin/users/change"
    case adminTokenRevoke = "/admin/tokens/revoke"
    case adminKPISystem = "/admin/kpi-system"
    case adminPlans = "/admin/plans"
    case adminImport = "/admin/import"
    case adminImportCommit = "/admin/import/commit"
    case adminConnections = "/admin/connections"
    case adminConnectionSync = "/admin/connections/sync"
    // The JSON API (openapi.yaml describes each)
    case apiOpenAPI = "/api/v1/openapi.yaml"
    case apiMe = "/api/v1/me"
    case apiCatalog = "/api/v1/catalog"
    case apiReports = "/api/v1/reports"
    case apiScorecards = "/api/v1/scorecards"
    case apiPlans = "/api/v1/plans"
    case apiDeals = "/api/v1/deals"
    case apiActivities = "/api/v1/activities"
    case apiEvents = "/api/v1/events"
    case apiCalls = "/api/v1/calls"
    case apiCall = "/api/v1/calls/:id"
    case apiCallCorrections = "/api/v1/calls/:id/corrections"
    case apiForecast = "/api/v1/forecast"
    case apiPipeline = "/api/v1/pipeline"
    case apiRecommendations = "/api/v1/recommendations"
    case apiWhatIf = "/api/v1/whatif"
    case apiChurn = "/api/v1/churn"
    case apiLeads = "/api/v1/leads"
    case apiRenewals = "/api/v1/renewals"

    static let apiPrefix = "/api/v1/"

    /// The pattern the router matches, as registered: absolute for pages, relative to `api/v1` for the API.
    var pattern: RouterPath { RouterPath(isAPI ? String(rawValue.dropFirst(Self.apiPrefix.count)) : rawValue) }

    var isAPI: Bool { rawValue.hasPrefix(Self.apiPrefix) }

    /// The address of one record on a route with an `:id`.
    public func path(id: Int64) -> String { rawValue.replacingOccurrences(of: ":id", with: String(id)) }

    /// The address with a query, its values percent-encoded, empty ones left out, keys in order.
    public func path(_ query: [String: String?]) -> String {
        let parts = query.compactMapValues { $0 }.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(Self.encode($0.value))" }
        return rawValue + (parts.isEmpty ? "" : "?" + parts.joined(separator: "&"))
    }

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: queryValueCharacters) ?? value
    }

    private static let queryValueCharacters = CharacterSet.alphanumerics.union(.init(charactersIn: "-._:"))
}

extension Route: CustomStringConvertible {
    public var description: String { rawValue }
}
