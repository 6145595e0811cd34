import SalesCore

/// Every KPI system (YAML) saved from the admin page: the latest is the one in force.
public protocol KPISystemHistory: Sendable {
    /// Keeps a new version (not empty), saved by a user or by nobody.
    func save(yaml: String, userID: Int64?, at: Timestamp) throws
    /// The version saved last, nil if none was.
    func latest() throws -> String?
}
