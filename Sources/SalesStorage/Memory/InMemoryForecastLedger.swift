import SalesCore
import Synchronization

/// The forecast ledger in memory, oldest first.
public final class InMemoryForecastLedger: ForecastLedgerStore, Sendable {
    private let records = Mutex<[ForecastRecord]>([])

    public init() {}

    public func append(_ records: [ForecastRecord]) throws {
        if let bad = records.first(where: { $0.period.end <= $0.period.start || $0.p90 < $0.p10 }) {
            throw ConstraintViolation("a forecast of an empty period or with p90 below p10: \(bad.name)")
        }
        self.records.withLock { $0.append(contentsOf: records) }
    }

    public func latest(limit: Int) throws -> [ForecastRecord] {
        records.withLock { Array($0.suffix(max(limit, 0)).reversed()) }
    }
}
