import Foundation
import SalesCore

/// "What are these KPIs by rep (team, role, the company) in this period?" `saleskpi report`, `GET
/// /api/v1/reports` and the team page's downloads ask it alike, so they answer with the same table.
public struct KPIReportQuestion: Sendable {
    public var kpis: [KPIDefinition]
    public var by: Slice.Kind
    public var period: Period

    /// A KPI id the catalog does not have; each front end says where the list is.
    public struct UnknownKPI: Error, Equatable {
        public var id: String
    }

    public init(kpis: [KPIDefinition], by: Slice.Kind, period: Period) {
        self.kpis = kpis
        self.by = by
        self.period = period
    }

    /// `list` is comma-separated KPI ids; nil asks for the catalog's default columns.
    public init(kpis list: String?, by: Slice.Kind, period: Period, catalog: KPICatalog) throws(UnknownKPI) {
        if let list {
            kpis = try Self.kpis(list, in: catalog)
        } else {
            kpis = catalog.kpis(at: .defaultReport)
        }
        self.by = by
        self.period = period
    }

    /// The KPIs of a comma-separated list of ids, in its order.
    public static func kpis(_ list: String, in catalog: KPICatalog) throws(UnknownKPI) -> [KPIDefinition] {
        var found: [KPIDefinition] = []
        for raw in list.split(separator: ",") {
            let id = raw.trimmingCharacters(in: .whitespaces)
            guard let k = catalog[KPI.ID(id)] else { throw UnknownKPI(id: id) }
            found.append(k)
        }
        return found
    }

    /// The report, with only the rows `visible` lets through (a viewer's own, their team's).
    public func answer(
        _ engine: SalesEngine, catalog: KPICatalog, lang: Language, visible: (Slice) -> Bool = { _ in true }
    ) -> KPIReport {
        var report = KPIReport(
            engine: engine, catalog: catalog, kpis: kpis, by: by, period: period,
            companyName: lang.message("report.company"))
        report.rows.removeAll { !visible($0.slice) }
        return report
    }

    /// The name of the table's sheet and download: `rep-2026-Q3`.
    public var label: String { "\(by.rawValue)-\(period.label)" }
}
