import SalesCore
import SalesImport
import SalesStorage

/// The lists behind the numbers — deals and activities of a slice in a period — as tables that the
/// pages show and the API serves as JSON, CSV and XLSX. Values are machine ids (`won`, `meeting_held`);
/// pages translate them with `term`.
struct DrillDownTables {
    let engine: SalesEngine
    let store: any EventStore
    let calendar: CompanyCalendar

    static let dealColumns = [
        "deal", "account", "owner", "product", "kind", "stage", "opened", "closed", "amount", "original_amount",
        "currency",
    ]
    static let activityColumns = ["at", "type", "rep", "account", "duration_min", "outcome", "activity"]

    /// The deals of `set`, latest first. `amount` is the won value of a won deal, otherwise the deal's amount, in
    /// the company currency; a deal in another currency shows its own amount and currency beside it.
    func deals(_ set: SalesEngine.DealSet, of slice: Slice, in period: Period) throws -> ReportTable {
        let states = engine.deals(set, of: slice, in: period)
            .sorted { ($0.closed ?? $0.opened, $0.id) > ($1.closed ?? $1.opened, $1.id) }
        let details = try store.dealDetails(ids: states.map(\.id))
        return ReportTable(
            columns: Self.dealColumns.map { .init($0) },
            rows: states.map { s in
                let d = details[s.id]
                return [
                    .text(d?.externalID ?? String(s.id)), .text(d?.account ?? ""),
                    .text(engine.reps[s.owner]?.name ?? ""),
                    .text(d?.product ?? ""), .text(d?.kind.rawValue ?? ""), .text(s.stage.rawValue),
                    .text("\(CivilDate(s.opened))"), .text(s.closed.map { "\(CivilDate($0))" } ?? ""),
                    .number(Double(s.wonAmount ?? d?.amount ?? 0) / 100, decimals: 2),
                    .number(d?.original.map { Double($0.amount) / 100 }, decimals: 2),
                    .text(d?.original?.currency ?? ""),
                ]
            })
    }

    /// The latest `limit` activities (of `type`, or all) and how many there are in all — the engine's count.
    func activities(_ type: ActivityType?, of slice: Slice, in period: Period, limit: Int) throws -> (
        table: ReportTable, total: Int
    ) {
        let reps = engine.members(of: slice)
        let measures = engine.measures(slice, in: period)
        let total = (type.map { [$0] } ?? ActivityType.allCases).reduce(0) {
            $0 + Int(measures[SalesEngine.measure(of: $1)])
        }
        let found = try store.activities(
            reps: reps, from: calendar.start(of: period.start), to: calendar.start(of: period.end), type: type,
            limit: limit)
        let table = ReportTable(
            columns: Self.activityColumns.map { .init($0) },
            rows: found.map { a in
                [
                    .text(calendar.localMinute(a.at)), .text(a.type.rawValue), .text(engine.reps[a.rep]?.name ?? ""),
                    .text(a.account ?? ""),
                    .number(
                        a.type == .call || a.durationSeconds > 0 ? Double(a.durationSeconds) / 60 : nil, decimals: 1),
                    .text(a.outcome ?? ""), .text(a.externalID),
                ]
            })
        return (table, total)
    }

    static let callColumns = [
        "at", "rep", "call", "score", "objections_handled", "script_pct", "next_step", "talk_pct", "questions",
        "evaluation",
    ]

    /// The latest `limit` calls analysed from transcripts, and how many the period holds (the engine's count).
    func calls(of slice: Slice, in period: Period, limit: Int) throws -> (table: ReportTable, total: Int) {
        let total = Int(engine.measures(slice, in: period)[.callsAnalyzed])
        let found = try store.analyzedCalls(
            reps: engine.members(of: slice), from: calendar.start(of: period.start), to: calendar.start(of: period.end),
            limit: limit)
        let table = ReportTable(
            columns: Self.callColumns.map { .init($0) },
            rows: found.map { a in
                let m = a.measures
                let talk = m.repTalkSeconds + m.clientTalkSeconds
                return [
                    .text(calendar.localMinute(a.at)), .text(engine.reps[a.rep]?.name ?? ""), .text(a.call),
                    .number(Double(a.score), decimals: 0),
                    .text("\(a.objectionsHandled)/\(a.objectionsRaised)"),
                    .number(
                        m.stagesTotal > 0 ? Double(m.stagesCovered) / Double(m.stagesTotal) * 100 : nil, decimals: 0),
                    .text(m.nextStepAgreed ? "yes" : "no"),
                    .number(talk > 0 ? Double(m.repTalkSeconds) / Double(talk) * 100 : nil, decimals: 0),
                    .number(Double(m.questions), decimals: 0), .number(Double(a.evaluationID), decimals: 0),
                ]
            })
        return (table, total)
    }

    /// A column's header in the user's language (`list.column.<id>`), the id itself for a column without one.
    static func header(_ column: String, _ lang: Language) -> String { headers[column]?(lang) ?? column }

    /// Built once: a list asks for a term per cell.
    private static let headers: [String: LocalizedText] = Dictionary(
        uniqueKeysWithValues: [
            "deal", "account", "owner", "product", "kind", "stage", "opened", "closed", "amount", "original_amount",
            "currency", "at", "type", "rep",
            "duration_min", "outcome", "activity", "call", "score", "objections_handled", "script_pct", "next_step",
            "talk_pct", "questions", "evaluation",
        ].map { ($0, LocalizedText("list.column.\($0)")) })

    /// A stage, deal kind or activity type stored in a cell by its code, in the reader's language.
    static func term(_ value: String, _ lang: Language) -> String {
        if let stage = DealStage(rawValue: value) { return stage.name(lang) }
        if let kind = DealKind(rawValue: value) { return kind.name(lang) }
        if value == "yes" || value == "no" { return lang.message(value == "yes" ? "value.yes" : "value.no") }
        return ActivityType(rawValue: value).map { $0.name(lang) } ?? value
    }

    static func dealSetName(_ set: SalesEngine.DealSet) -> LocalizedText {
        LocalizedText("list.deal_set.\(set.rawValue)")
    }
}
