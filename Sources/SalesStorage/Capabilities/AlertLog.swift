import SalesCore

/// Alerts already sent, by their key (person, kind, subject, period): each is sent once, however often
/// the dispatcher runs.
public protocol AlertLog: Sendable {
    func wasSent(key: String) throws -> Bool
    /// Marks the alert sent; marking it again changes nothing.
    func markSent(key: String, at: Timestamp) throws
}
