import Foundation
import SalesCore
import SalesImport
import SalesStorage
import Testing

/// The real Salesforce org in ../shared/datasets/salesforce-winkel (Latin-1, NUL bytes, multi-line fields, four
/// currencies, the full stage history), imported by the salesforce-export preset with this test's rates into US
/// dollars and its stage map for the org's Spanish stages. Every figure equals Fixtures/salesforce/expected.py,
/// a pandas computation over the raw CSV, stored as expected.csv.
@Suite struct SalesforceExportTests {
    static let dataset = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/datasets/salesforce-winkel").standardized.path

    static func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.path(forResource: name, ofType: nil, inDirectory: "Fixtures/salesforce"))
    }

    static func importOrg(into store: EventStore) throws -> (ImportReport, RecipeReader) {
        var recipe = try #require(try Recipe.preset("salesforce-export"))
        recipe.addStages(try StageMapFile.load(try fixture("stages.yaml")))
        let reader = RecipeReader(recipe: recipe, paths: [dataset], calendar: CompanyCalendar())
        reader.conversion = CurrencyConversion(
            rates: try ExchangeRates.read(path: try fixture("rates.csv"), company: "USD"))
        let report = try Importer(store: store, source: "salesforce", calendar: CompanyCalendar()).run {
            try reader.records(emit: $0)
        }
        return (report, reader)
    }

    @Test func everyOwnerAndTheFunnelMatchThePandasComputation() throws {
        #expect(try Recipe.detect([Self.dataset])?.name == "salesforce-export")
        let store = InMemoryEventStore()
        let (report, reader) = try Self.importOrg(into: store)
        #expect(report.inserted[.deal] == 512 && report.inserted[.stageChange] == 2809 && report.inserted[.rep] == 45)
        // Every lead, task and event of the export; a lead owned by no User is nobody's yet.
        #expect(report.inserted[.lead] == 35 && report.inserted[.task] == 199 && report.inserted[.activity] == 356)
        #expect(try store.makeEngine().measures(.company, .min, .max)[.leadsCreated] == 35)
        #expect(reader.notes.map { $0.note(.en) }.contains("48 NUL bytes were removed"))
        let engine = try store.makeEngine()
        let all = try #require(engine.allTime)
        let lines = try String(contentsOfFile: try Self.fixture("expected.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        var owners = 0
        for f in lines where f[0] != "activities:owner" && !f[0].hasPrefix("commit:") {
            if f[0].hasPrefix("activities:") {
                let rep = try #require(engine.rep(externalID: String(f[0].dropFirst("activities:".count))))
                let m = engine.measures(.rep(rep.id), all.start, all.end)
                let got = [m[.calls], m[.emails], m[.meetingsBooked], m[.meetingsHeld], m[.tasksDue]]
                #expect(got + [m[.leadsCreated], m[.sqls]] == f[1...7].map { Int64($0)! }, "\(f[0])")
                continue
            }
            if f[0].hasPrefix("reached:") {
                let measure: BaseMeasure =
                    switch f[0].dropFirst("reached:".count) {
                    case "meeting": .reachedMeeting
                    case "proposal": .reachedProposal
                    default: .reachedContract
                    }
                #expect(engine.measures(.company, all.start, all.end)[measure] == Int64(f[1])!, "\(f[0])")
                continue
            }
            let rep = try #require(engine.rep(externalID: String(f[0])))
            let m = engine.measures(.rep(rep.id), all.start, all.end)
            let open = m[.dealsCreated] - m[.dealsWon] - m[.dealsLost]
            let got = [m[.dealsWon], m[.dealsLost], open, m[.wonRevenue]]
            #expect(got == f[1...4].map { Int64($0)! }, "\(f[0])")
            owners += 1
        }
        #expect(owners == 8)
    }

    /// The reps' own commit, kept from each history row's ForecastCategory and CloseDate, equals the pandas
    /// computation month by month; the model's forecast misses by less than it.
    @Test func theBacktestSetsTheRepsCommitBesideTheModel() throws {
        let store = InMemoryEventStore()
        _ = try Self.importOrg(into: store)
        let (_, history) = try store.makeEngineAndHistory()
        let r = Backtest.run(
            history: history, calendar: CompanyCalendar(), split: CivilDate(year: 2023, month: 6, day: 1).dayNumber)
        let expected = try String(contentsOfFile: try Self.fixture("expected.csv"), encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("commit:") }.map { $0.split(separator: ",") }
        #expect(r.months.map(\.month) == expected.map { String($0[0].dropFirst("commit:".count)) })
        #expect(r.months.map { $0.forecasts["crm_commit"] } == expected.map { Money($0[1])! })
        #expect(r.mape["model"]! < r.mape["crm_commit"]!)
    }

    @Test func reimportingTheExportAddsNothing() throws {
        let store = InMemoryEventStore()
        _ = try Self.importOrg(into: store)
        let (again, _) = try Self.importOrg(into: store)
        #expect(again.totalInserted == 0 && again.totalUpdated == 0)
    }

    @Test func withoutRatesTheImportNamesTheCurrencyAndTheDay() throws {
        let recipe = try #require(try Recipe.preset("salesforce-export"))
        var withStages = recipe
        withStages.addStages(try StageMapFile.load(try Self.fixture("stages.yaml")))
        let reader = RecipeReader(recipe: withStages, paths: [Self.dataset], calendar: CompanyCalendar())
        reader.conversion = CurrencyConversion(company: "USD")
        #expect(throws: ImportFailure.self) {
            try Importer(store: InMemoryEventStore(), source: "sf", calendar: CompanyCalendar()).run {
                try reader.records(emit: $0)
            }
        }
    }
}
