import Foundation
import SalesCore
import SalesImport
import SalesStorage
import Testing

/// A leads file without owners and a closed-deals file that names each deal's lead, joined by a recipe
/// (Fixtures/leads-join/recipe.yaml, the second worked example of docs/recipes.md). The lead sources equal
/// Fixtures/leads-join/expected.py, a pandas computation over the two files, stored as expected.csv; the next
/// month's leads file assigns SDRs, and their leads then count for them.
@Suite struct LeadsJoinTests {
    static func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.path(forResource: name, ofType: nil, inDirectory: "Fixtures/leads-join"))
    }

    static func importFiles(_ names: [String], into store: EventStore) throws -> ImportReport {
        let recipe = try Recipe.load(try fixture("recipe.yaml"))
        let reader = RecipeReader(recipe: recipe, paths: try names.map(fixture), calendar: CompanyCalendar())
        return try Importer(store: store, source: "leads-join", calendar: CompanyCalendar()).run {
            try reader.records(emit: $0)
        }
    }

    static func sources(_ store: EventStore) throws -> LeadSources {
        let history = DealHistory()
        try store.replay(history.apply)
        return LeadSources(
            history: history, calendar: CompanyCalendar(), period: Period(start: .min, end: .max))
    }

    @Test func conversionBySourceEqualsPandasAndAssignedLeadsCountForTheirSDR() throws {
        let path = NSTemporaryDirectory() + "leads-join-\(UUID().uuidString).sqlite"
        let store = try SQLiteEventStore(path: path)
        let first = try Self.importFiles(["leads.csv", "closed-deals.csv"], into: store)
        #expect(first.inserted[.lead] == 40 && first.inserted[.deal] == 22 && first.inserted[.rep] == 3)
        #expect(first.skippedCount == 0)

        let lines = try String(contentsOfFile: try Self.fixture("expected.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let rows = try Self.sources(store).rows
        #expect(rows.count == lines.count)
        for line in lines {
            let row = try #require(rows.first { $0.source == line[0] }, "\(line[0])")
            #expect(row.leads == Int(line[1]) && row.withDeal == Int(line[2]) && row.won == Int(line[3]), "\(line)")
            #expect(row.revenue == Money(line[4])! * 100 && row.sqls == Int(line[5]), "\(line)")
            #expect(String(format: "%.1f", row.dealRate ?? -1) == line[6], "\(line)")
            #expect(row.unassigned == row.leads)
        }
        var engine = try store.makeEngine()
        #expect(engine.measures(.company, .min, .max)[.leadsCreated] == 40)
        #expect(engine.reps.keys.map { engine.measures(.rep($0), .min, .max)[.leadsCreated] }.reduce(0, +) == 0)

        // A month on: SDRs now work the first 25 leads (alternately), and two leads are new, one assigned.
        let next = try Self.importFiles(["leads-next.csv", "closed-deals.csv"], into: store)
        #expect(next.updated[.lead] == 25 && next.inserted[.lead] == 2 && next.inserted[.rep] == 2)
        #expect(next.inserted[.deal] == nil && next.inserted[.stageChange] == nil)
        engine = try store.makeEngine()
        let gleb = try #require(engine.rep(externalID: "Gleb Orlov")).id
        let dina = try #require(engine.rep(externalID: "Dina Popova")).id
        #expect(engine.measures(.rep(gleb), .min, .max)[.leadsCreated] == 13 + 1)
        #expect(engine.measures(.rep(dina), .min, .max)[.leadsCreated] == 12)
        #expect(engine.measures(.company, .min, .max)[.leadsCreated] == 42)
        let total = try Self.sources(store).total
        #expect(total.leads == 42 && total.unassigned == 42 - 26 && total.withDeal == 18 && total.won == 12)
    }
}
