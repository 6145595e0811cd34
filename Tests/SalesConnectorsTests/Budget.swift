import SalesConnectors
import SalesCore
import SalesStorage
import Testing

/// A full sync into a new store, with the connector `connect` makes for it (after saving its connection).
func syncedStore(_ connect: (any SalesDatabase) throws -> any CRMConnector) async throws
    -> (run: SyncRun, db: InMemoryDatabase)
{
    let db = InMemoryDatabase()
    let run = try await SyncRunner(db: db, calendar: CompanyCalendar()).run(try connect(db))
    return (run, db)
}

/// With every third call refused and retried, a sync makes more calls than the `needed` of an unrefused one, and
/// at most half again as many; `answered` is what the simulator counted (retries included).
func expectWithinBudget(_ run: SyncRun, answered: Int, needed: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(
        run.requests == answered && run.requests > needed && run.requests <= needed * 3 / 2 + 1,
        "\(run.requests) calls for \(needed) needed", sourceLocation: sourceLocation)
}
