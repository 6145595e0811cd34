import GRDB
import SalesCore

/// The SQLite schema: one table per record kind, with the rules in constraints (NOT NULL, CHECK,
/// foreign keys, unique `(source, external_id)`), created by numbered migrations.
enum SQLiteSchema {
    static func migrator() -> DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("001-events") { db in
            for sql in v1 { try db.execute(sql: sql) }
        }
        m.registerMigration("002-accounts") { db in
            for sql in accounts { try db.execute(sql: sql) }
        }
        m.registerMigration("003-activity-lists") { db in
            // A dashboard's "calls behind this number" list reads one rep's activities in a period.
            try db.execute(sql: "CREATE INDEX activities_rep_at ON activities(rep_id, at)")
        }
        m.registerMigration("004-kpi-system-versions") { db in
            // The KPI system as edited on the admin page: every saved version, the latest in force.
            try db.execute(sql: """
                CREATE TABLE kpi_system_versions (
                    id INTEGER PRIMARY KEY,
                    yaml TEXT NOT NULL CHECK (yaml <> ''),
                    saved_at INTEGER NOT NULL,
                    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL)
                """)
        }
        m.registerMigration("005-forecast-ledger") { db in
            // Every forecast as it was made, to measure its error once its period is over.
            try db.execute(sql: """
                CREATE TABLE forecast_ledger (
                    id INTEGER PRIMARY KEY,
                    made_at INTEGER NOT NULL,
                    period_start INTEGER NOT NULL,
                    period_end INTEGER NOT NULL CHECK (period_end > period_start),
                    slice TEXT NOT NULL,
                    name TEXT NOT NULL,
                    method TEXT NOT NULL,
                    expected INTEGER NOT NULL,
                    p10 INTEGER NOT NULL,
                    p90 INTEGER NOT NULL CHECK (p90 >= p10),
                    plan INTEGER)
                """)
        }
        m.registerMigration("006-alerts-sent") { db in
            // Alerts sent, so that a scheduled run sends each one once.
            try db.execute(sql: "CREATE TABLE alerts_sent (key TEXT PRIMARY KEY, sent_at INTEGER NOT NULL)")
        }
        m.registerMigration("007-speech-analytics") { db in
            // What speech analytics measured in a call (NULL for a reviewer's evaluation)…
            for column in callColumns { try db.execute(sql: "ALTER TABLE evaluations ADD COLUMN \(column) INTEGER CHECK (\(column) >= 0)") }
            // …and the transcript and full analysis behind it, for the call page.
            try db.execute(sql: """
                CREATE TABLE call_transcripts (
                    evaluation_id INTEGER PRIMARY KEY REFERENCES evaluations(id),
                    file TEXT NOT NULL,
                    transcript TEXT NOT NULL,
                    analysis TEXT NOT NULL)
                """)
            try db.execute(sql: "CREATE INDEX evaluations_rep_at ON evaluations(rep_id, at)")
        }
        return m
    }

    /// The evaluation's speech-analytics columns, in `CallMeasures` order.
    static let callColumns = ["rep_talk_seconds", "client_talk_seconds", "questions", "open_questions", "script_stages_covered",
                              "script_stages_total", "next_step_agreed"]

    /// The common head of every table. `source` names the CRM or file an event came from.
    private static let head = """
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL CHECK (source <> ''),
        external_id TEXT NOT NULL CHECK (external_id <> ''),
        """
    private static func table(_ name: String, _ body: String) -> [String] {
        ["CREATE TABLE \(name) (\(head)\n\(body),\nUNIQUE (source, external_id))"]
    }
    /// `(c = 'a' OR c = 'b' …)` from an enum's cases. Not `c IN (…)`: SQLite evaluates a constant
    /// IN list through a temporary table on every insert, which halved the import rate.
    private static func oneOf<E: CaseIterable & RawRepresentable>(_ column: String, _: E.Type) -> String where E.RawValue == String {
        "(" + E.allCases.map { "\(column) = '\($0.rawValue)'" }.joined(separator: " OR ") + ")"
    }
    private static func nonNegative(_ c: String) -> String { "\(c) INTEGER NOT NULL DEFAULT 0 CHECK (\(c) >= 0)" }

    /// People who sign in, their sessions and API tokens, the audit log and replayed API requests.
    /// Secrets are stored only as hashes (bcrypt for passwords, SHA-256 for random tokens).
    static let accounts: [String] = [
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            login TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (login <> ''),
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role = 'admin' OR role = 'head' OR role = 'rep'),
            rep_external_id TEXT,
            language TEXT CHECK (language IS NULL OR language = 'ru' OR language = 'en'),
            password_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL)
        """,
        """
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            csrf TEXT NOT NULL,
            expires_at INTEGER NOT NULL)
        """,
        """
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL)
        """,
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL)
        """,
        """
        CREATE TABLE idempotency_keys (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            status INTEGER NOT NULL,
            body BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (user_id, key))
        """,
    ]

    static let v1: [String] =
        table("teams", "name TEXT NOT NULL")
        + table("reps", """
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK \(oneOf("role", RepRole.self)),
            team_id INTEGER REFERENCES teams(id),
            manager_id INTEGER REFERENCES reps(id),
            email TEXT
            """)
        + table("accounts", """
            name TEXT NOT NULL,
            industry TEXT, segment TEXT,
            is_key_account INTEGER NOT NULL DEFAULT 0 CHECK (is_key_account BETWEEN 0 AND 1),
            is_target_segment INTEGER NOT NULL DEFAULT 0 CHECK (is_target_segment BETWEEN 0 AND 1),
            acquisition_source TEXT,
            employees INTEGER CHECK (employees >= 0)
            """)
        + table("leads", """
            owner_id INTEGER NOT NULL REFERENCES reps(id),
            account_id INTEGER REFERENCES accounts(id),
            lead_source TEXT,
            created_at INTEGER NOT NULL,
            first_response_at INTEGER CHECK (first_response_at >= created_at),
            qualified_at INTEGER
            """)
        + table("deals", """
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            owner_id INTEGER NOT NULL REFERENCES reps(id),
            lead_id INTEGER REFERENCES leads(id),
            created_at INTEGER NOT NULL,
            \(nonNegative("amount")), \(nonNegative("cost_of_goods")), \(nonNegative("discounts")),
            \(nonNegative("marketing_bonuses")), \(nonNegative("logistics")), \(nonNegative("taxes")),
            kind TEXT NOT NULL CHECK \(oneOf("kind", DealKind.self)),
            deal_source TEXT, product TEXT
            """)
        + table("deal_stages", """
            deal_id INTEGER NOT NULL REFERENCES deals(id),
            stage TEXT NOT NULL CHECK \(oneOf("stage", DealStage.self)),
            changed_at INTEGER NOT NULL,
            amount INTEGER CHECK (amount >= 0),
            lost_reason TEXT,
            manager_fault INTEGER NOT NULL DEFAULT 0 CHECK (manager_fault BETWEEN 0 AND 1)
            """)
        + table("activities", """
            rep_id INTEGER NOT NULL REFERENCES reps(id),
            type TEXT NOT NULL CHECK \(oneOf("type", ActivityType.self)),
            at INTEGER NOT NULL,
            \(nonNegative("duration_seconds")),
            outcome TEXT,
            deal_id INTEGER REFERENCES deals(id),
            account_id INTEGER REFERENCES accounts(id)
            """)
        + table("invoices", """
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            rep_id INTEGER NOT NULL REFERENCES reps(id),
            deal_id INTEGER REFERENCES deals(id),
            issued_at INTEGER NOT NULL,
            due_at INTEGER NOT NULL CHECK (due_at >= issued_at),
            amount INTEGER NOT NULL CHECK (amount > 0)
            """)
        + table("payments", """
            invoice_id INTEGER NOT NULL REFERENCES invoices(id),
            paid_at INTEGER NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0)
            """)
        + table("surveys", """
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            rep_id INTEGER NOT NULL REFERENCES reps(id),
            at INTEGER NOT NULL,
            nps INTEGER CHECK (nps BETWEEN 0 AND 10),
            csat INTEGER CHECK (csat BETWEEN 1 AND 5),
            CHECK (nps IS NOT NULL OR csat IS NOT NULL)
            """)
        + table("evaluations", """
            rep_id INTEGER NOT NULL REFERENCES reps(id),
            at INTEGER NOT NULL,
            activity_id INTEGER REFERENCES activities(id),
            score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
            \(nonNegative("objections_raised")),
            \(nonNegative("objections_handled")),
            CHECK (objections_handled <= objections_raised)
            """)
        + table("reviews", """
            rep_id INTEGER NOT NULL REFERENCES reps(id),
            account_id INTEGER REFERENCES accounts(id),
            at INTEGER NOT NULL,
            rating INTEGER CHECK (rating BETWEEN 1 AND 5)
            """)
        + table("tasks", """
            rep_id INTEGER NOT NULL REFERENCES reps(id),
            due_at INTEGER NOT NULL,
            done_at INTEGER
            """)
        + table("expenses", """
            at INTEGER NOT NULL,
            category TEXT NOT NULL CHECK \(oneOf("category", ExpenseCategory.self)),
            amount INTEGER NOT NULL CHECK (amount >= 0),
            rep_id INTEGER REFERENCES reps(id)
            """)
        + table("plans", """
            scope TEXT NOT NULL CHECK \(oneOf("scope", PlanScope.self)),
            rep_id INTEGER REFERENCES reps(id),
            team_id INTEGER REFERENCES teams(id),
            kpi TEXT NOT NULL,
            period_start INTEGER NOT NULL,
            period_end INTEGER NOT NULL CHECK (period_end > period_start),
            target REAL NOT NULL,
            CHECK ((scope = 'rep') = (rep_id IS NOT NULL) AND (scope = 'team') = (team_id IS NOT NULL))
            """)
        + [
            // Indexes for foreign keys that replay and BI joins follow.
            "CREATE INDEX deal_stages_deal ON deal_stages(deal_id)",
            "CREATE INDEX payments_invoice ON payments(invoice_id)",
        ]

    static func tableName(_ kind: EventKind) -> String {
        switch kind {
        case .team: "teams"
        case .rep: "reps"
        case .account: "accounts"
        case .lead: "leads"
        case .deal: "deals"
        case .stageChange: "deal_stages"
        case .activity: "activities"
        case .invoice: "invoices"
        case .payment: "payments"
        case .survey: "surveys"
        case .evaluation: "evaluations"
        case .review: "reviews"
        case .task: "tasks"
        case .expense: "expenses"
        case .plan: "plans"
        }
    }

    /// The columns after `id, source, external_id`, in the order `values` and `decode` use.
    static func columns(_ kind: EventKind) -> [String] {
        switch kind {
        case .team: ["name"]
        case .rep: ["name", "role", "team_id", "manager_id", "email"]
        case .account: ["name", "industry", "segment", "is_key_account", "is_target_segment", "acquisition_source", "employees"]
        case .lead: ["owner_id", "account_id", "lead_source", "created_at", "first_response_at", "qualified_at"]
        case .deal: ["account_id", "owner_id", "lead_id", "created_at", "amount", "cost_of_goods", "discounts",
                     "marketing_bonuses", "logistics", "taxes", "kind", "deal_source", "product"]
        case .stageChange: ["deal_id", "stage", "changed_at", "amount", "lost_reason", "manager_fault"]
        case .activity: ["rep_id", "type", "at", "duration_seconds", "outcome", "deal_id", "account_id"]
        case .invoice: ["account_id", "rep_id", "deal_id", "issued_at", "due_at", "amount"]
        case .payment: ["invoice_id", "paid_at", "amount"]
        case .survey: ["account_id", "rep_id", "at", "nps", "csat"]
        case .evaluation: ["rep_id", "at", "activity_id", "score", "objections_raised", "objections_handled"] + callColumns
        case .review: ["rep_id", "account_id", "at", "rating"]
        case .task: ["rep_id", "due_at", "done_at"]
        case .expense: ["at", "category", "amount", "rep_id"]
        case .plan: ["scope", "rep_id", "team_id", "kpi", "period_start", "period_end", "target"]
        }
    }

    static func values(_ event: SalesEvent) -> [SQLValue] {
        typealias V = SQLValue
        switch event {
        case .team(let t): return [V(t.name)]
        case .rep(let r): return [V(r.name), V(r.role.rawValue), V(r.team?.id), V(r.manager?.id), V(r.email)]
        case .account(let a):
            return [V(a.name), V(a.industry), V(a.segment), V(a.isKeyAccount), V(a.isTargetSegment), V(a.source), V(a.employees)]
        case .lead(let l): return [V(l.owner.id), V(l.account?.id), V(l.source), V(l.createdAt), V(l.firstResponseAt), V(l.qualifiedAt)]
        case .deal(let d):
            return [V(d.account.id), V(d.owner.id), V(d.lead?.id), V(d.createdAt), V(d.amount), V(d.costOfGoods), V(d.discounts),
                    V(d.marketingBonuses), V(d.logistics), V(d.taxes), V(d.kind.rawValue), V(d.source), V(d.product)]
        case .stageChange(let c): return [V(c.deal.id), V(c.stage.rawValue), V(c.at), V(c.amount), V(c.lostReason), V(c.managerFault)]
        case .activity(let a):
            return [V(a.rep.id), V(a.type.rawValue), V(a.at), V(Int64(a.durationSeconds)), V(a.outcome), V(a.deal?.id), V(a.account?.id)]
        case .invoice(let i): return [V(i.account.id), V(i.rep.id), V(i.deal?.id), V(i.issuedAt), V(i.dueAt), V(i.amount)]
        case .payment(let p): return [V(p.invoice.id), V(p.paidAt), V(p.amount)]
        case .survey(let s): return [V(s.account.id), V(s.rep.id), V(s.at), V(s.nps), V(s.csat)]
        case .evaluation(let e):
            let c = e.call
            return [V(e.rep.id), V(e.at), V(e.activity?.id), V(e.score), V(e.objectionsRaised), V(e.objectionsHandled),
                    V(c?.repTalkSeconds), V(c?.clientTalkSeconds), V(c?.questions), V(c?.openQuestions), V(c?.stagesCovered),
                    V(c?.stagesTotal), V(c?.nextStepAgreed)]
        case .review(let r): return [V(r.rep.id), V(r.account?.id), V(r.at), V(r.rating)]
        case .task(let t): return [V(t.rep.id), V(t.dueAt), V(t.doneAt)]
        case .expense(let e): return [V(e.at), V(e.category.rawValue), V(e.amount), V(e.rep?.id)]
        case .plan(let p):
            return [V(p.scope.rawValue), V(p.scope == .rep ? p.owner?.id : nil), V(p.scope == .team ? p.owner?.id : nil),
                    V(p.kpi), V(Int64(p.period.start)), V(Int64(p.period.end)), V(p.target)]
        }
    }

    /// Rebuilds an event from `id, external_id, <columns>`. References carry store ids only:
    /// the engine needs nothing else, and skipping the look-ups keeps replay fast.
    static func decode(_ kind: EventKind, _ row: RawRow) -> SalesEvent {
        let ext = row.text(1)
        func ref(_ i: Int32) -> EntityRef { EntityRef("", id: row.int(i)) }
        func optRef(_ i: Int32) -> EntityRef? { row.optInt(i).map { EntityRef("", id: $0) } }
        var e: SalesEvent
        switch kind {
        case .team: e = .team(Team(externalID: ext, name: row.text(2)))
        case .rep:
            e = .rep(Rep(externalID: ext, name: row.text(2), role: RepRole(rawValue: row.text(3)) ?? .ae, team: optRef(4),
                         manager: optRef(5), email: row.optText(6)))
        case .account:
            var a = Account(externalID: ext, name: row.text(2))
            a.industry = row.optText(3); a.segment = row.optText(4); a.isKeyAccount = row.bool(5); a.isTargetSegment = row.bool(6)
            a.source = row.optText(7); a.employees = row.optSmall(8)
            e = .account(a)
        case .lead:
            var l = Lead(externalID: ext, owner: ref(2), createdAt: row.int(5))
            l.account = optRef(3); l.source = row.optText(4); l.firstResponseAt = row.optInt(6); l.qualifiedAt = row.optInt(7)
            e = .lead(l)
        case .deal:
            var d = Deal(externalID: ext, account: ref(2), owner: ref(3), createdAt: row.int(5), amount: row.int(6))
            d.lead = optRef(4); d.costOfGoods = row.int(7); d.discounts = row.int(8); d.marketingBonuses = row.int(9)
            d.logistics = row.int(10); d.taxes = row.int(11); d.kind = DealKind(rawValue: row.text(12)) ?? .new
            d.source = row.optText(13); d.product = row.optText(14)
            e = .deal(d)
        case .stageChange:
            var c = StageChange(externalID: ext, deal: ref(2), stage: DealStage(rawValue: row.text(3)) ?? .new, at: row.int(4))
            c.amount = row.optInt(5); c.lostReason = row.optText(6); c.managerFault = row.bool(7)
            e = .stageChange(c)
        case .activity:
            var a = Activity(externalID: ext, rep: ref(2), type: ActivityType(rawValue: row.text(3)) ?? .call, at: row.int(4))
            a.durationSeconds = Int32(truncatingIfNeeded: row.int(5)); a.outcome = row.optText(6); a.deal = optRef(7); a.account = optRef(8)
            e = .activity(a)
        case .invoice:
            var i = Invoice(externalID: ext, account: ref(2), rep: ref(3), issuedAt: row.int(5), dueAt: row.int(6), amount: row.int(7))
            i.deal = optRef(4)
            e = .invoice(i)
        case .payment: e = .payment(Payment(externalID: ext, invoice: ref(2), paidAt: row.int(3), amount: row.int(4)))
        case .survey:
            var s = Survey(externalID: ext, account: ref(2), rep: ref(3), at: row.int(4))
            s.nps = row.optSmall(5); s.csat = row.optSmall(6)
            e = .survey(s)
        case .evaluation:
            var v = Evaluation(externalID: ext, rep: ref(2), at: row.int(3), score: Int(row.int(5)),
                               objectionsRaised: Int(row.int(6)), objectionsHandled: Int(row.int(7)))
            v.activity = optRef(4)
            if row.optInt(8) != nil {
                v.call = CallMeasures(repTalkSeconds: Int(row.int(8)), clientTalkSeconds: Int(row.int(9)), questions: Int(row.int(10)),
                                      openQuestions: Int(row.int(11)), stagesCovered: Int(row.int(12)), stagesTotal: Int(row.int(13)),
                                      nextStepAgreed: row.bool(14))
            }
            e = .evaluation(v)
        case .review:
            var r = Review(externalID: ext, rep: ref(2), at: row.int(4))
            r.account = optRef(3); r.rating = row.optSmall(5)
            e = .review(r)
        case .task:
            var t = CRMTask(externalID: ext, rep: ref(2), dueAt: row.int(3))
            t.doneAt = row.optInt(4)
            e = .task(t)
        case .expense:
            var x = Expense(externalID: ext, at: row.int(2), category: ExpenseCategory(rawValue: row.text(3)) ?? .other, amount: row.int(4))
            x.rep = optRef(5)
            e = .expense(x)
        case .plan:
            let scope = PlanScope(rawValue: row.text(2)) ?? .company
            let owner = optRef(scope == .rep ? 3 : 4)
            e = .plan(Plan(externalID: ext, scope: scope, owner: scope == .company ? nil : owner, kpi: row.text(5),
                           period: Period(start: Day(row.int(6)), end: Day(row.int(7))), target: row.double(8)))
        }
        e.setID(row.int(0))
        return e
    }
}
