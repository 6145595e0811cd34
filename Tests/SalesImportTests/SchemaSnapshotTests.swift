import SalesCore
import SalesImport
import SalesStorage
import Testing

/// Pins what existing stores and bundles depend on, as it was before the record kinds' schemas moved to
/// `SalesStorage/Schema/Records/`: a store never reruns a migration it has applied, so a released
/// migration's text must not change; the columns fix bind and decode order; the CSV fields fix file headers.
/// A change is a new pin, written here with the reason: 010 added each amount's original currency; 011 let a
/// lead have no owner and counted record replacements (PostgreSQL's INSERT replaces a changed record itself); 012
/// kept the CRM connections; 013 kept each stage change's forecast category and expected close; 014 indexed the
/// activities on a deal (read at start-up); 015 kept reviewers' corrections of calls and the company's call models.
@Suite struct SchemaSnapshotTests {
    /// FNV-1a 64 of each migration's statements joined by "\n;\n" (the text itself is printed on a mismatch).
    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    static let migrations: [SQLDialect: [(id: String, statements: Int, digest: String)]] = [
        .sqlite: [
            ("001-events", 17, "bdcaa5857f825851"), ("002-accounts", 5, "4f5314b0d691710e"),
            ("003-activity-lists", 1, "fe7bdd18ac16e65f"), ("004-kpi-system-versions", 1, "af54c0274dff7145"),
            ("005-forecast-ledger", 1, "2072435d443f625b"), ("006-alerts-sent", 1, "d511028c337ba0a1"),
            ("007-speech-analytics", 9, "edadb87472e7db67"), ("009-account-controls", 3, "6173aaeb4bc21ec"),
            ("010-currencies", 6, "ec90f05a6966cfb8"), ("011-record-updates", 6, "e2f5bdd04912b850"),
            ("012-crm-connections", 3, "cca3f6b54b0d3d7"), ("013-forecast-categories", 2, "de0ffe99bda1222a"),
            ("014-activity-deals", 1, "74cd65ad97a7c88c"), ("015-call-reviews", 3, "342d7c007aa7deb1"),
        ],
        .postgres: [
            ("001-events", 33, "f65a20d985308d53"), ("002-accounts", 6, "e4c27c669e80068b"),
            ("003-activity-lists", 1, "fe7bdd18ac16e65f"), ("004-kpi-system-versions", 1, "34a53de8cdfca017"),
            ("005-forecast-ledger", 1, "5abe70e674ea0ec2"), ("006-alerts-sent", 1, "65761d0e0f643114"),
            ("007-speech-analytics", 9, "dfba01814e2f9d27"), ("008-bi-views", 7, "20b0d4c044ad164d"),
            ("009-account-controls", 3, "c6a9fa66bea92825"), ("010-currencies", 6, "c6ae7ed8cffbd3c9"),
            ("011-record-updates", 3, "9f1af17911b01294"), ("012-crm-connections", 3, "f61acc963d6ecb04"),
            ("013-forecast-categories", 2, "5722643eed49d88f"), ("014-activity-deals", 1, "74cd65ad97a7c88c"),
            ("015-call-reviews", 3, "299d860fca45064d"),
        ],
    ]

    @Test(arguments: [SQLDialect.sqlite, .postgres]) func migrationsAreUnchanged(_ dialect: SQLDialect) {
        let actual = EventSchema.migrations(dialect)
        let expected = Self.migrations[dialect] ?? []
        #expect(actual.map(\.id) == expected.map(\.id))
        for (migration, pinned) in zip(actual, expected) {
            let text = migration.statements.joined(separator: "\n;\n")
            #expect(migration.statements.count == pinned.statements, "\(migration.id)")
            #expect(Self.digest(text) == pinned.digest, "\(dialect) \(migration.id) changed:\n\(text)")
        }
    }

    @Test func tablesAreUnchanged() {
        #expect(
            EventKind.allCases.map(EventSchema.tableName) == [
                "teams", "reps", "accounts", "leads", "deals", "deal_stages", "activities", "invoices", "payments",
                "surveys", "evaluations", "reviews", "tasks", "expenses", "plans",
            ])
    }

    @Test func columnsAreUnchanged() {
        let expected: [EventKind: [String]] = [
            .team: ["name"],
            .rep: ["name", "role", "team_id", "manager_id", "email"],
            .account: [
                "name", "industry", "segment", "is_key_account", "is_target_segment", "acquisition_source", "employees",
            ],
            .lead: ["owner_id", "account_id", "lead_source", "created_at", "first_response_at", "qualified_at"],
            .deal: [
                "account_id", "owner_id", "lead_id", "created_at", "amount", "cost_of_goods", "discounts",
                "marketing_bonuses", "logistics", "taxes", "kind", "deal_source", "product", "currency",
                "original_amount",
            ],
            .stageChange: [
                "deal_id", "stage", "changed_at", "amount", "lost_reason", "manager_fault", "forecast_category",
                "expected_close",
            ],
            .activity: ["rep_id", "type", "at", "duration_seconds", "outcome", "deal_id", "account_id"],
            .invoice: [
                "account_id", "rep_id", "deal_id", "issued_at", "due_at", "amount", "currency", "original_amount",
            ],
            .payment: ["invoice_id", "paid_at", "amount", "currency", "original_amount"],
            .survey: ["account_id", "rep_id", "at", "nps", "csat"],
            .evaluation: [
                "rep_id", "at", "activity_id", "score", "objections_raised", "objections_handled", "rep_talk_seconds",
                "client_talk_seconds", "questions", "open_questions", "script_stages_covered", "script_stages_total",
                "next_step_agreed",
            ],
            .review: ["rep_id", "account_id", "at", "rating"],
            .task: ["rep_id", "due_at", "done_at"],
            .expense: ["at", "category", "amount", "rep_id"],
            .plan: ["scope", "rep_id", "team_id", "kpi", "period_start", "period_end", "target"],
        ]
        for kind in EventKind.allCases {
            #expect(EventSchema.columns(kind) == expected[kind], "\(kind)")
        }
    }

    /// The CSV fields in file order; `?` marks an optional one.
    @Test func csvFieldsAreUnchanged() {
        let expected: [EventKind: [String]] = [
            .team: ["external_id", "name"],
            .rep: ["external_id", "name", "role", "team_id?", "manager_id?", "email?"],
            .account: [
                "external_id", "name", "industry?", "segment?", "key_account?", "target_segment?", "source?",
                "employees?",
            ],
            .lead: [
                "external_id", "owner_id?", "created_at", "account_id?", "source?", "first_response_at?",
                "qualified_at?",
            ],
            .deal: [
                "external_id", "account_id", "owner_id", "created_at", "amount", "cost_of_goods?", "discounts?",
                "marketing_bonuses?", "logistics?", "taxes?", "kind?", "source?", "product?", "currency?", "lead_id?",
                "amount_date?",
            ],
            .stageChange: [
                "external_id", "deal_id", "stage", "changed_at", "amount?", "lost_reason?", "manager_fault?",
                "forecast_category?", "expected_close?",
            ],
            .activity: [
                "external_id", "rep_id", "type", "at", "duration_seconds?", "outcome?", "deal_id?", "account_id?",
            ],
            .invoice: [
                "external_id", "account_id", "rep_id", "issued_at", "due_at", "amount", "deal_id?", "currency?",
            ],
            .payment: ["external_id", "invoice_id", "paid_at", "amount", "currency?"],
            .survey: ["external_id", "account_id", "rep_id", "at", "nps?", "csat?"],
            .evaluation: [
                "external_id", "rep_id", "at", "score", "objections_raised", "objections_handled", "activity_id?",
            ],
            .review: ["external_id", "rep_id", "at", "account_id?", "rating?"],
            .task: ["external_id", "rep_id", "due_at", "done_at?"],
            .expense: ["external_id", "at", "category", "amount", "rep_id?"],
            .plan: ["external_id", "scope", "kpi", "period_start", "period_end", "target", "owner_id?"],
        ]
        for kind in EventKind.allCases {
            let fields = CanonicalSchema.fields(kind).map { $0.name + ($0.required ? "" : "?") }
            #expect(fields == expected[kind], "\(kind)")
        }
    }

    /// The statements stores insert with, one and several rows at a time.
    @Test(arguments: [
        (
            SQLDialect.sqlite,
            [
                "d1cf51e815125218", "ef749202d7a250d4", "bf1112dcd5904e8f", "aba7616c83290f44", "93b43c9c1a4cee86",
                "58606d15c695f103", "92e86acc356e3ecb", "27689a76a7c61f41", "a4f30148a3373aa", "2e3c36bbe9acb4d1",
                "97967d1ff4facb59", "d29b34ac69d219fe", "c8578b5bc91d565a", "a911f2b3fe60c416", "ab54b44667eef17b",
            ]
        ),
        (
            SQLDialect.postgres,
            [
                "ceaaa9de794fd2d2", "dc71ccee8aa9cd5d", "178a4e26fe35b770", "e7cd2cf38683b86b", "d8be9a0e2df83bbb",
                "b7bd9b77f792a4a9", "121c9b623cb3f74b", "398318ae232876d7", "a9e750812dbd5998", "a66fd1a6ca7ca23d",
                "24464993c030fb01", "4e5174365e00b0c5", "83eab4d40a809d14", "e32e82f5f5ac29ed", "1fbe461a29467f5b",
            ]
        ),
    ])
    func insertsAreUnchanged(_ dialect: SQLDialect, _ digests: [String]) {
        #expect(EventKind.allCases.map { Self.digest(EventSchema.insert($0, dialect, rows: 2)) } == digests)
    }
}
