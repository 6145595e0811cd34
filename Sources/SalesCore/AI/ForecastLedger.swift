/// A forecast as it was made, kept so that later it can be held against what happened.
public struct ForecastRecord: Sendable, Hashable, Codable {
    public var madeAt: Timestamp
    public var period: Period
    /// `company`, `team:3`, `rep:12` (see `SalesForecaster.key`).
    public var slice: String
    public var name: String
    public var method: String
    public var expected: Money
    public var p10: Money
    public var p90: Money
    public var plan: Money?
    public init(
        madeAt: Timestamp, period: Period, slice: String, name: String, method: String, expected: Money, p10: Money,
        p90: Money, plan: Money?
    ) {
        self.madeAt = madeAt
        self.period = period
        self.slice = slice
        self.name = name
        self.method = method
        self.expected = expected
        self.p10 = p10
        self.p90 = p90
        self.plan = plan
    }

    /// Forecast error against the actual, % of the actual (positive: the forecast was too high).
    public func error(actual: Money) -> Double? { actual > 0 ? Double(expected - actual) / Double(actual) * 100 : nil }
}

/// The ledger's lines with their outcome: for a period that has ended, the error of each forecast;
/// for one still running, the revenue so far.
public struct ForecastLedger: Sendable {
    public struct Line: Sendable, Codable {
        public var record: ForecastRecord
        public var actual: Money
        public var finished: Bool
        public var errorPercent: Double?
        public var insideRange: Bool?
    }

    public static func lines(_ records: [ForecastRecord], engine: SalesEngine, today: Day) -> [Line] {
        records.map { r in
            let slice = Self.slice(r.slice)
            let actual = slice.map { engine.measures($0, in: r.period)[.wonRevenue] } ?? 0
            let finished = r.period.end <= today
            return Line(
                record: r, actual: actual, finished: finished, errorPercent: finished ? r.error(actual: actual) : nil,
                insideRange: finished ? actual >= r.p10 && actual <= r.p90 : nil)
        }
    }

    static func slice(_ key: String) -> Slice? {
        let parts = key.split(separator: ":")
        switch parts.first {
        case "company": return .company
        case "rep": return parts.count == 2 ? Int64(parts[1]).map(Slice.rep) : nil
        case "team": return parts.count == 2 ? Int64(parts[1]).map(Slice.team) : nil
        case "role": return parts.count == 2 ? RepRole(rawValue: String(parts[1])).map(Slice.role) : nil
        default: return nil
        }
    }

    /// Mean absolute error, %, of the finished forecasts of each method.
    public static func accuracy(_ lines: [Line]) -> [String: (count: Int, meanAbsoluteError: Double)] {
        var out: [String: (Int, Double)] = [:]
        for l in lines {
            guard let e = l.errorPercent else { continue }
            let old = out[l.record.method] ?? (0, 0)
            out[l.record.method] = (old.0 + 1, old.1 + abs(e))
        }
        return out.mapValues { ($0.0, $0.1 / Double($0.0)) }
    }
}
