import Foundation
import SalesCore
import SalesStorage

/// The whole path of a number, from the registry: its formula, the KPIs and base measures it reads, the
/// records, fields and tables behind those, where the product shows it, the routes that serve it and the
/// list behind it. `saleskpi kpis --explain ID` prints it; docs/kpis.md is made of it.
public struct KPIPath: Sendable, Encodable {
    public struct KPIStep: Sendable, Encodable {
        public var id: String
        public var name: String
        public var formula: String
    }
    public struct MeasureStep: Sendable, Encodable {
        public var id: String
        public var meaning: String
        public var file: String
        public var table: String
        public var reads: [String]
        public var owner: String
        public var day: String
        /// Summed over the period; from the beginning of history (inside `todate(…)`); or both.
        public var overPeriod: Bool
        public var toDate: Bool
    }
    public struct Address: Sendable, Encodable {
        public var route: String
        public var what: String
    }

    public var id: String
    public var name: String
    public var formula: String
    public var unit: String
    public var higherIsBetter: Bool
    public var roles: [String]
    public var category: String
    public var seedTarget: String?
    public var norm: String?
    /// Other KPIs the formula reads, directly or through each other, in the order they first appear.
    public var kpis: [KPIStep]
    public var measures: [MeasureStep]
    /// The period's length (`days`, `workdays`, `weeks`, `months`) where the formula divides by it.
    public var variables: [String]
    /// Where the product shows the KPI without being asked, and on whose scorecards it is weighed.
    public var shown: [Address]
    public var routes: [Address]
    public var drillDown: [Address]

    public init?(_ id: KPI.ID, catalog: KPICatalog, system: KPISystem, lang: Language) {
        guard let kpi = catalog[id] else { return nil }
        self.id = id.rawValue
        name = kpi.name(lang)
        formula = kpi.formulaText
        unit = kpi.unit.rawValue
        higherIsBetter = kpi.higherIsBetter
        roles = RepRole.allCases.filter(kpi.roles.contains).map(\.rawValue)
        category = kpi.category.rawValue
        seedTarget = kpi.seedTarget
        norm = kpi.norm.map { "\(Self.number($0.target)) / \($0.per.rawValue)" }
        var reading = Reading(catalog: catalog)
        reading.walk(kpi.formula, toDate: false)
        kpis = reading.kpis.map { KPIStep(id: $0.id.rawValue, name: $0.name(lang), formula: $0.formulaText) }
        measures = reading.measures.map { m, overPeriod, toDate in
            let feed = m.feed
            return MeasureStep(
                id: m.id, meaning: feed.meaning(lang), file: feed.kind.fileName,
                table: EventSchema.tableName(feed.kind), reads: feed.reads, owner: feed.owner, day: feed.day,
                overPeriod: overPeriod, toDate: toDate)
        }
        variables = reading.variables
        shown = Self.places(kpi, lang) + Self.scorecards(id, system, lang)
        let query = ["kpis": id.rawValue]
        routes = [
            Address(
                route: "GET " + Route.apiReports.path(query),
                what: lang.message("explain.route.api")),
            Address(
                route: "saleskpi report --kpis \(id)",
                what: lang.message("explain.route.cli")),
        ]
        drillDown = Self.lists(kpi.drillDown, lang)
    }

    /// The KPIs and measures under a formula, each once, in the order a reader meets them.
    private struct Reading {
        let catalog: KPICatalog
        var kpis: [KPIDefinition] = []
        var measures: [(measure: BaseMeasure, overPeriod: Bool, toDate: Bool)] = []
        var variables: [String] = []

        mutating func walk(_ f: Formula, toDate: Bool) {
            switch f {
            case .number: break
            case .name(let n): read(n, toDate: toDate)
            case .plan(let n): read(n, toDate: toDate)
            case .negate(let a), .previous(let a): walk(a, toDate: toDate)
            case .toDate(let a): walk(a, toDate: true)
            case .binary(_, let a, let b):
                walk(a, toDate: toDate)
                walk(b, toDate: toDate)
            }
        }

        private mutating func read(_ name: String, toDate: Bool) {
            if let m = BaseMeasure.byID[name] {
                if let i = measures.firstIndex(where: { $0.measure == m }) {
                    measures[i].overPeriod = measures[i].overPeriod || !toDate
                    measures[i].toDate = measures[i].toDate || toDate
                } else {
                    measures.append((m, !toDate, toDate))
                }
            } else if Formula.variables.contains(name) {
                if !variables.contains(name) { variables.append(name) }
            } else if let k = catalog[KPI.ID(name)], !kpis.contains(where: { $0.id == k.id }) {
                kpis.append(k)
                walk(k.formula, toDate: toDate)
            }
        }
    }

    private static func places(_ kpi: KPIDefinition, _ lang: Language) -> [Address] {
        kpi.places.sorted { ($0.key.rank, $0.value) < ($1.key.rank, $1.value) }.map { place, order in
            switch place {
            case .defaultReport:
                Address(
                    route: "saleskpi report, GET \(Route.apiReports)",
                    what: lang.message("explain.shown.default_report", ["order": .count(order)]))
            case .teamTable:
                Address(
                    route: "GET \(Route.dashboard)",
                    what: lang.message("explain.shown.team_table", ["order": .count(order)]))
            case .teamHeadline:
                Address(
                    route: "GET \(Route.dashboard)",
                    what: lang.message("explain.shown.team_headline", ["order": .count(order)]))
            case .callQuality:
                Address(
                    route: "GET \(Route.dashboard), GET \(Route.calls)",
                    what: lang.message("explain.shown.call_quality", ["order": .count(order)]))
            case .callQualityTrend:
                Address(
                    route: "GET \(Route.calls)",
                    what: lang.message("explain.shown.call_quality_trend"))
            case .weeklyResult(let role):
                Address(
                    route: "GET \(Route.dashboard)",
                    what: lang.message("explain.shown.weekly_result", ["role": .text(role.rawValue)]))
            case .weeklyActivity(let role):
                Address(
                    route: "GET \(Route.dashboard)",
                    what: lang.message("explain.shown.weekly_activity", ["role": .text(role.rawValue)]))
            case .benchQuery:
                Address(
                    route: "saleskpi bench --query-store FILE",
                    what: lang.message("explain.shown.bench_query", ["order": .count(order)]))
            }
        }
    }

    private static func scorecards(_ id: KPI.ID, _ system: KPISystem, _ lang: Language) -> [Address] {
        RepRole.allCases.compactMap { role in
            guard let item = system.roles[role]?.kpis.first(where: { $0.kpi == id }) else { return nil }
            let weight = number(item.weight)
            return Address(
                route: "GET \(Route.dashboard), GET \(Route.apiScorecards)",
                what: lang.message("explain.shown.scorecard", ["role": .text(role.rawValue), "weight": .text(weight)]))
        }
    }

    private static func lists(_ drill: DrillDown?, _ lang: Language) -> [Address] {
        let (page, api, query, what): (Route, Route, [String: String?], String)
        switch drill {
        case nil: return []
        case .deals(let set)?:
            (page, api, query) = (.deals, .apiDeals, ["set": set.rawValue])
            what = lang.message("explain.drill_down.deals", ["set": .text(set.rawValue)])
        case .activities(let type)?:
            (page, api, query) = (.activities, .apiActivities, ["type": type.rawValue])
            what = lang.message("explain.drill_down.activities", ["type": .text(type.rawValue)])
        }
        return [
            Address(route: "GET " + page.path(query), what: what + lang.message("explain.drill_down.page")),
            Address(route: "GET " + api.path(query), what: what + lang.message("explain.drill_down.api")),
        ]
    }

    static func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
}

extension KPIPath {
    /// The path as `saleskpi kpis --explain` prints it.
    public func text(_ lang: Language) -> String {
        let t = { (key: MessageKey) in lang.message(key) }
        let direction =
            higherIsBetter
            ? t("explain.direction.higher") : t("explain.direction.lower")
        let label = t("explain.label.formula")
        var out = ["\(id) — \(name)", "  \(label)  \(formula)"]
        var facts = [unit, direction, t("explain.label.roles") + " " + roles.joined(separator: " "), category]
        if let seedTarget { facts.append(t("explain.label.seed_target") + " " + seedTarget) }
        if let norm { facts.append(t("explain.label.norm") + " " + norm) }
        out.append("  \(pad("", label.count))  " + facts.joined(separator: " · "))
        func section(_ title: String, _ lines: [String]) {
            guard !lines.isEmpty else { return }
            out += ["", title] + lines
        }
        let width = (kpis.map(\.id) + measures.map(\.id)).map(\.count).max() ?? 0
        section(
            t("explain.section.kpis_it_reads"), kpis.map { "  \(pad($0.id, width))  \($0.formula)  (\($0.name))" })
        section(
            t("explain.section.base_measures"),
            measures.flatMap { m in
                let history =
                    !m.toDate
                    ? ""
                    : m.overPeriod
                        ? t("explain.measure.over_period_and_to_date")
                        : t("explain.measure.from_start")
                let reads =
                    m.reads.isEmpty ? "" : " · " + t("explain.label.reads") + " " + m.reads.joined(separator: ", ")
                return [
                    "  \(pad(m.id, width))  \(m.meaning)\(history)",
                    "  \(pad("", width))  \(m.file) → \(t("explain.label.table")) \(m.table)\(reads)",
                    "  \(pad("", width))  \(t("explain.label.rep")): \(m.owner) · \(t("explain.label.day")): \(m.day)",
                ]
            })
        section(t("explain.section.period_length"), variables.map { "  \($0)" })
        section(t("explain.section.shown"), Self.lines(shown))
        section(t("explain.section.routes"), Self.lines(routes))
        section(t("explain.section.drill_down"), Self.lines(drillDown))
        return out.joined(separator: "\n") + "\n"
    }

    private static func lines(_ addresses: [Address]) -> [String] {
        let width = addresses.map(\.route.count).max() ?? 0
        return addresses.map { "  \(pad($0.route, width))  \($0.what)" }
    }

    /// docs/kpis.md: every KPI's path and every base measure's source, in English.
    public static func document(catalog: KPICatalog, system: KPISystem) -> String {
        var out = [
            "# KPIs and base measures", "",
            "Generated from the registry (`KPICatalog+Standard.swift`, `BaseMeasure+Feed.swift`) by "
                + "`saleskpi kpis --docs > docs/kpis.md`; a test fails when it is out of step. "
                + "`saleskpi kpis --explain ID` prints one KPI's path, in Russian too.", "",
            "| id | name | formula | unit | better | roles | seed target |", "|---|---|---|---|---|---|---|",
        ]
        let paths = catalog.kpis.compactMap { KPIPath($0.id, catalog: catalog, system: system, lang: .en) }
        for p in paths {
            let cells = [
                "[`\(p.id)`](#\(p.id))", p.name, "`\(p.formula)`", p.unit, p.higherIsBetter ? "higher" : "lower",
                p.roles.joined(separator: " "), p.seedTarget ?? "",
            ]
            out.append("| " + cells.map(cell).joined(separator: " | ") + " |")
        }
        for p in paths {
            out += ["", "## \(p.id)", "", "```", p.text(.en).trimmingCharacters(in: .newlines), "```"]
        }
        out += [
            "", "## Base measures", "",
            "Each is counted for one rep on one day, so any period and slice is a sum of cells.", "",
            "| measure | meaning | file | table | reads | owner | day |", "|---|---|---|---|---|---|---|",
        ]
        for m in BaseMeasure.allCases {
            let f = m.feed
            let cells = [
                "`\(m.id)`", f.meaning.en, f.kind.fileName, EventSchema.tableName(f.kind),
                f.reads.joined(separator: ", "), f.owner, f.day,
            ]
            out.append("| " + cells.map(cell).joined(separator: " | ") + " |")
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}

private func pad(_ s: String, _ width: Int) -> String {
    s.padding(toLength: max(width, s.count), withPad: " ", startingAt: 0)
}

extension KPIDefinition.Place {
    /// The order places are listed in: reports first, then the dashboard's parts (by role), then the bench.
    var rank: Int {
        switch self {
        case .defaultReport: 0
        case .teamTable: 1
        case .teamHeadline: 2
        case .weeklyResult(let role): 10 + Self.roleRank(role)
        case .weeklyActivity(let role): 20 + Self.roleRank(role)
        case .callQuality: 30
        case .callQualityTrend: 31
        case .benchQuery: 40
        }
    }

    private static func roleRank(_ role: RepRole) -> Int { RepRole.allCases.firstIndex(of: role) ?? 0 }
}
