import SalesCore

/// Every forecast as it was made, never changed afterwards: its error is measured once its period is over.
public protocol ForecastLedgerStore: Sendable {
    /// Appends forecasts, in order.
    func append(_ records: [ForecastRecord]) throws
    /// The last `limit` forecasts, newest first.
    func latest(limit: Int) throws -> [ForecastRecord]
}
