import Foundation
import SalesCore
import SalesImport
import SalesStorage
import Testing

/// The real export: every rep's figures equal the independent computation in
/// Fixtures/maven/expected.py (standard-library Python over the raw CSV), stored as expected.csv.
@Suite struct MavenCRMTests {
    static let dataset = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/datasets/maven-crm").standardized.path

    static func importMaven(into store: EventStore) throws -> ImportReport {
        let importer = Importer(store: store, source: "maven-crm", calendar: CompanyCalendar())
        return try importer.run { emit in
            try MavenCRMPreset(dir: dataset).records(calendar: CompanyCalendar(), emit: emit)
        }
    }

    static func expected() throws -> [(period: String, rep: String, values: [Double?])] {
        let url = try #require(
            Bundle.module.url(forResource: "expected", withExtension: "csv", subdirectory: "Fixtures/maven"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        return lines.map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (f[0], f[1], f[2...].map { Double($0) })
        }
    }

    static let kpis = [
        "deals_won", "deals_lost", "revenue", "win_rate", "avg_deal_size", "sales_cycle_days", "open_deals",
    ]

    @Test func everyRepMatchesTheIndependentComputation() throws {
        let store = InMemoryEventStore()
        let report = try Self.importMaven(into: store)
        #expect(report.inserted[.deal] == 8800)
        #expect(report.inserted[.rep] == 35 + 6)  // agents + managers as heads
        let engine = try store.makeEngine()
        let all = try #require(engine.allTime)
        let periods = ["all": all, "2017-Q2": Period.quarter(2017, 2)]
        let catalog = KPICatalog.standard
        let defs = Self.kpis.map { catalog[KPI.ID($0)]! }
        var checked = 0
        for (name, period) in periods {
            let rows = KPIReport(engine: engine, catalog: catalog, kpis: defs, by: .rep, period: period).rows
            let byName = Dictionary(uniqueKeysWithValues: rows.map { ($0.name, $0.values) })
            for exp in try Self.expected() where exp.period == name {
                let got = try #require(byName[exp.rep], "\(exp.rep) missing")
                for (i, kpi) in Self.kpis.enumerated() {
                    switch (got[i], exp.values[i]) {
                    case (nil, nil): break
                    case (let g?, let e?): #expect(abs(g - e) < 0.006, "\(name) \(exp.rep) \(kpi): \(g) ≠ \(e)")
                    default:
                        let (g, e) = (String(describing: got[i]), String(describing: exp.values[i]))
                        Issue.record("\(name) \(exp.rep) \(kpi): \(g) ≠ \(e)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == 30 * 7 * 2)  // 30 agents with deals × 7 KPIs × 2 periods
    }

    @Test func reimportingTheExportAddsNothing() throws {
        let store = InMemoryEventStore()
        _ = try Self.importMaven(into: store)
        let again = try Self.importMaven(into: store)
        #expect(again.totalInserted == 0)
        // teams 6, reps 35 + 6, accounts 85 + the placeholder, deals 8 800, stage moves: 8 300 dated
        // engagements + 4 238 wins + 2 473 losses (counted with `cut | sort | uniq -c` on the CSV).
        #expect(again.duplicates == 6 + 41 + 86 + 8800 + 8300 + 4238 + 2473)
    }
}
