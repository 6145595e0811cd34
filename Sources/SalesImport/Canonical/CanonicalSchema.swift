import SalesCore
import SalesStorage

/// The canonical CSV bundle: one file per record kind, these columns (documented in
/// `docs/data-format.md`). Required columns must be present and filled.
public enum CanonicalSchema {
    public struct Field: Sendable {
        public var name: String
        public var required: Bool
        public init(_ name: String, _ required: Bool = false) {
            self.name = name
            self.required = required
        }
    }

    /// `external_id`, then the fields the kind's schema declares (`SalesStorage/Schema/Records/`), then for a
    /// deal the day whose rate converts its amount (`amount_date`, by default its creation).
    public static func fields(_ kind: EventKind) -> [Field] {
        [Field("external_id", true)] + EventSchema.schema(of: kind).csvFields.map { Field($0.name, $0.required) }
            + (kind == .deal ? [Field("amount_date")] : [])
    }

    /// The fields of an amount in another currency, which data in the company currency leaves out.
    public static let currencyFields: Set<String> = ["currency", "amount_date"]

    /// Builds the record of `kind` from one row; problems are collected in `row.issues`.
    static func build(_ kind: EventKind, _ row: inout RowReader) -> SalesEvent? {
        let id = row.text("external_id", required: true) ?? ""
        let event: SalesEvent
        switch kind {
        case .team:
            event = .team(Team(externalID: id, name: row.text("name", required: true) ?? ""))
        case .rep:
            let role: RepRole = row.choice("role", required: true) ?? .ae
            event = .rep(
                Rep(
                    externalID: id, name: row.text("name", required: true) ?? "", role: role,
                    team: row.ref("team_id"), manager: row.ref("manager_id"), email: row.text("email")))
        case .account:
            var a = Account(externalID: id, name: row.text("name", required: true) ?? "")
            a.industry = row.text("industry")
            a.segment = row.text("segment")
            a.isKeyAccount = row.bool("key_account")
            a.isTargetSegment = row.bool("target_segment")
            a.source = row.text("source")?.lowercased()
            a.employees = row.int("employees", 0...Int(Int32.max))
            event = .account(a)
        case .lead:
            var l = Lead(
                externalID: id, owner: row.ref("owner_id"), createdAt: row.time("created_at", required: true) ?? 0)
            l.account = row.ref("account_id")
            l.source = row.text("source")?.lowercased()
            l.firstResponseAt = row.time("first_response_at")
            l.qualifiedAt = row.time("qualified_at")
            if let r = l.firstResponseAt, r < l.createdAt {
                row.fail(
                    "first_response_at",
                    LocalizedText("import.response_before_creation"))
            }
            event = .lead(l)
        case .deal:
            var d = Deal(
                externalID: id, account: row.ref("account_id", required: true) ?? EntityRef(""),
                owner: row.ref("owner_id", required: true) ?? EntityRef(""),
                createdAt: row.time("created_at", required: true) ?? 0, amount: row.money("amount", required: true) ?? 0
            )
            d.costOfGoods = row.money("cost_of_goods") ?? 0
            d.discounts = row.money("discounts") ?? 0
            d.marketingBonuses = row.money("marketing_bonuses") ?? 0
            d.logistics = row.money("logistics") ?? 0
            d.taxes = row.money("taxes") ?? 0
            d.kind = row.choice("kind") ?? .new
            d.source = row.text("source")?.lowercased()
            d.product = row.text("product")
            d.lead = row.ref("lead_id")
            let day = row.day("amount_date") ?? row.format.calendar.day(of: d.createdAt)
            (d.amount, d.original) = row.converted(d.amount, on: day)
            event = .deal(d)
        case .stageChange:
            var c = StageChange(
                externalID: id, deal: row.ref("deal_id", required: true) ?? EntityRef(""),
                stage: row.choice("stage", required: true) ?? .new, at: row.time("changed_at", required: true) ?? 0)
            c.amount = row.money("amount")
            c.lostReason = row.text("lost_reason")
            c.managerFault = row.bool("manager_fault")
            c.forecastCategory = row.text("forecast_category")
            c.expectedClose = row.day("expected_close")
            event = .stageChange(c)
        case .activity:
            var a = Activity(
                externalID: id, rep: row.ref("rep_id", required: true) ?? EntityRef(""),
                type: row.choice("type", required: true) ?? .call, at: row.time("at", required: true) ?? 0)
            a.durationSeconds = Int32(row.int("duration_seconds", 0...86_400) ?? 0)
            a.outcome = row.text("outcome")
            a.deal = row.ref("deal_id")
            a.account = row.ref("account_id")
            event = .activity(a)
        case .invoice:
            var i = Invoice(
                externalID: id, account: row.ref("account_id", required: true) ?? EntityRef(""),
                rep: row.ref("rep_id", required: true) ?? EntityRef(""),
                issuedAt: row.time("issued_at", required: true) ?? 0,
                dueAt: row.time("due_at", required: true) ?? 0,
                amount: row.money("amount", required: true, positive: true) ?? 0)
            i.deal = row.ref("deal_id")
            (i.amount, i.original) = row.converted(i.amount, on: row.format.calendar.day(of: i.issuedAt))
            if i.dueAt < i.issuedAt {
                row.fail(
                    "due_at", LocalizedText("import.due_before_issue"))
            }
            event = .invoice(i)
        case .payment:
            var p = Payment(
                externalID: id, invoice: row.ref("invoice_id", required: true) ?? EntityRef(""),
                paidAt: row.time("paid_at", required: true) ?? 0,
                amount: row.money("amount", required: true, positive: true) ?? 0)
            (p.amount, p.original) = row.converted(p.amount, on: row.format.calendar.day(of: p.paidAt))
            event = .payment(p)
        case .survey:
            var s = Survey(
                externalID: id, account: row.ref("account_id", required: true) ?? EntityRef(""),
                rep: row.ref("rep_id", required: true) ?? EntityRef(""), at: row.time("at", required: true) ?? 0)
            s.nps = row.int("nps", 0...10)
            s.csat = row.int("csat", 1...5)
            if s.nps == nil && s.csat == nil && row.issues.isEmpty {
                row.fail(
                    "nps",
                    LocalizedText("import.survey_without_answer"))
            }
            event = .survey(s)
        case .evaluation:
            var e = Evaluation(
                externalID: id, rep: row.ref("rep_id", required: true) ?? EntityRef(""),
                at: row.time("at", required: true) ?? 0,
                score: row.int("score", 1...5, required: true) ?? 1,
                objectionsRaised: row.int("objections_raised", 0...10_000, required: true) ?? 0,
                objectionsHandled: row.int("objections_handled", 0...10_000, required: true) ?? 0)
            e.activity = row.ref("activity_id")
            if e.objectionsHandled > e.objectionsRaised {
                row.fail(
                    "objections_handled",
                    LocalizedText("import.more_handled_than_raised"))
            }
            event = .evaluation(e)
        case .review:
            var r = Review(
                externalID: id, rep: row.ref("rep_id", required: true) ?? EntityRef(""),
                at: row.time("at", required: true) ?? 0)
            r.account = row.ref("account_id")
            r.rating = row.int("rating", 1...5)
            event = .review(r)
        case .task:
            var t = CRMTask(
                externalID: id, rep: row.ref("rep_id", required: true) ?? EntityRef(""),
                dueAt: row.time("due_at", required: true) ?? 0)
            t.doneAt = row.time("done_at")
            event = .task(t)
        case .expense:
            var e = Expense(
                externalID: id, at: row.time("at", required: true) ?? 0,
                category: row.choice("category", required: true) ?? .other,
                amount: row.money("amount", required: true) ?? 0)
            e.rep = row.ref("rep_id")
            event = .expense(e)
        case .plan:
            let scope: PlanScope = row.choice("scope", required: true) ?? .company
            let start = row.day("period_start", required: true)
            let end = row.day("period_end", required: true)
            let owner = row.ref("owner_id", required: scope != .company)
            let target = row.number("target", required: true) ?? 0
            if let s = start, let e = end, e <= s {
                row.fail(
                    "period_end",
                    LocalizedText("import.period_end_before_start"))
            }
            guard let s = start, let e = end, e > s else { return nil }
            event = .plan(
                Plan(
                    externalID: id, scope: scope, owner: scope == .company ? nil : owner,
                    kpi: row.text("kpi", required: true) ?? "", period: Period(start: s, end: e), target: target))
        }
        return row.issues.isEmpty ? event : nil
    }
}
