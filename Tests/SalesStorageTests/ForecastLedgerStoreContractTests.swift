import SalesCore
import SalesStorage
import Testing

/// The forecast ledger: appended to, never changed, read newest first.
@Suite struct ForecastLedgerStoreContractTests {
    static let modelForecast = ForecastRecord(
        madeAt: 7, period: Period.month(2026, 11), slice: "company", name: "Company", method: "model",
        expected: 100_00, p10: 50_00, p90: 150_00, plan: nil)

    @Test(arguments: DatabaseKind.allCases)
    func forecastsAreAppendedAndReadNewestFirst(_ kind: DatabaseKind) throws {
        let ledger = try EventStoreContractTests.makeDatabase(kind).forecastLedger
        #expect(try ledger.latest(limit: 10).isEmpty)
        let f = Self.modelForecast
        var g = f
        g.method = "run-rate"
        g.plan = 120_00
        try ledger.append([f, g])
        #expect(try ledger.latest(limit: 10) == [g, f])

        // A later forecast of another slice and period leaves the earlier ones as they were.
        let h = ForecastRecord(
            madeAt: 8, period: Period.month(2026, 12), slice: "rep:12", name: "Анна", method: "model",
            expected: 0, p10: 0, p90: 0, plan: 0)
        try ledger.append([h])
        try ledger.append([])
        #expect(try ledger.latest(limit: 10) == [h, g, f])
        #expect(try ledger.latest(limit: 2) == [h, g])
    }

    @Test(arguments: DatabaseKind.allCases)
    func aForecastWhoseRangeIsUpsideDownIsRefused(_ kind: DatabaseKind) throws {
        let ledger = try EventStoreContractTests.makeDatabase(kind).forecastLedger
        var upsideDown = Self.modelForecast
        upsideDown.p10 = 150_00
        upsideDown.p90 = 50_00
        #expect(throws: (any Error).self) { try ledger.append([upsideDown]) }
        #expect(try ledger.latest(limit: 10).isEmpty)
    }
}
