import Foundation
import SalesCore

/// The Maven Analytics CRM export (`accounts.csv`, `products.csv`, `sales_teams.csv`,
/// `sales_pipeline.csv`): stages Prospecting → Engaging → Won/Lost, `engage_date` is the first
/// contact, `close_date` the close. Each manager becomes a head with a team of their agents.
///
/// Decisions the export leaves open, made here and documented in docs/data-format.md:
/// - product names are spelled differently across files (`GTXPro` vs `GTX Pro`): matched ignoring
///   spaces and case;
/// - a deal's amount is its product's list price; a won deal's revenue is its `close_value`;
/// - a deal with no account is booked on one account "(account not set)";
/// - a Prospecting deal has no date at all: it is recorded on the export's last date, so it counts
///   as open at the end of the data, and in no earlier period.
public struct MavenCRMPreset {
    public let dir: String
    public init(dir: String) { self.dir = dir }

    static let noAccount = "(account not set)"

    public func records(calendar: CompanyCalendar, emit: (Importer.Item) throws -> Void) throws {
        let format = ValueFormat(calendar: calendar)
        func rows(_ file: String) throws -> (header: [String: Int], rows: [CSVReader.Row]) {
            let url = URL(fileURLWithPath: dir).appendingPathComponent(file)
            guard let data = try? Data(contentsOf: url) else {
                throw ImportFailure(issues: [
                    ImportIssue(file: file, line: 0, LocalizedText("import.maven.missing_file", ["dir": "\(dir)"]))
                ])
            }
            var all: [CSVReader.Row] = []
            try CSVReader(data: data, delimiter: 0x2C).forEachRow {
                all.append($0)
                return true
            }
            guard let first = all.first else { return ([:], []) }
            let header = Dictionary(first.fields.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            return (header, Array(all.dropFirst()))
        }
        func field(_ r: CSVReader.Row, _ h: [String: Int], _ name: String) -> String {
            h[name].flatMap { $0 < r.fields.count ? r.fields[$0].trimmedSpaces : nil } ?? ""
        }
        func fail(_ file: String, _ line: Int, _ field: String, _ problem: LocalizedText) throws {
            try emit(
                (
                    file, line,
                    .failure(
                        ImportFailure(issues: [ImportIssue(file: file, line: line, field: field, problem)]
                        ))
                ))
        }
        let key = { (s: String) in s.lowercased().filter { !$0.isWhitespace } }

        let teams = try rows("sales_teams.csv")
        var managers: [String] = []
        for r in teams.rows {
            let m = field(r, teams.header, "manager")
            if !managers.contains(m) { managers.append(m) }
        }
        for m in managers {
            try emit(("sales_teams.csv", 0, .success(.team(Team(externalID: m, name: m)))))
            try emit(
                ("sales_teams.csv", 0, .success(.rep(Rep(externalID: m, name: m, role: .head, team: EntityRef(m))))))
        }
        for r in teams.rows {
            let agent = field(r, teams.header, "sales_agent")
            let m = field(r, teams.header, "manager")
            try emit(
                (
                    "sales_teams.csv", r.line,
                    .success(
                        .rep(Rep(externalID: agent, name: agent, role: .ae, team: EntityRef(m), manager: EntityRef(m))))
                ))
        }

        let accounts = try rows("accounts.csv")
        try emit(("accounts.csv", 0, .success(.account(Account(externalID: Self.noAccount, name: Self.noAccount)))))
        for r in accounts.rows {
            var a = Account(
                externalID: field(r, accounts.header, "account"), name: field(r, accounts.header, "account"))
            a.industry = field(r, accounts.header, "sector")
            a.employees = Int(field(r, accounts.header, "employees"))
            try emit(("accounts.csv", r.line, .success(.account(a))))
        }

        let products = try rows("products.csv")
        var price: [String: Money] = [:]
        var productName: [String: String] = [:]
        for r in products.rows {
            let name = field(r, products.header, "product")
            price[key(name)] = format.money(field(r, products.header, "sales_price"))
            productName[key(name)] = name
        }

        let pipeline = try rows("sales_pipeline.csv")
        let f = "sales_pipeline.csv"
        // The export's last date: undated Prospecting deals are known to exist then.
        var lastDate: Timestamp = 0
        for r in pipeline.rows {
            for c in ["engage_date", "close_date"] {
                if let t = format.timestamp(field(r, pipeline.header, c)) { lastDate = max(lastDate, t) }
            }
        }
        for r in pipeline.rows {
            let id = field(r, pipeline.header, "opportunity_id")
            let stage = field(r, pipeline.header, "deal_stage")
            let product = field(r, pipeline.header, "product")
            guard let listPrice = price[key(product)] else {
                try fail(f, r.line, "product", LocalizedText("import.maven.unknown_product", ["product": "\(product)"]))
                continue
            }
            let engageText = field(r, pipeline.header, "engage_date")
            let closeText = field(r, pipeline.header, "close_date")
            let engage = format.timestamp(engageText)
            let close = format.timestamp(closeText)
            if !engageText.isEmpty && engage == nil {
                try fail(
                    f, r.line, "engage_date", LocalizedText("import.maven.not_a_date", ["value": "\(engageText)"]))
                continue
            }
            if !closeText.isEmpty && close == nil {
                try fail(
                    f, r.line, "close_date", LocalizedText("import.maven.not_a_date", ["value": "\(closeText)"]))
                continue
            }
            let account = field(r, pipeline.header, "account")
            var deal = Deal(
                externalID: id, account: EntityRef(account.isEmpty ? Self.noAccount : account),
                owner: EntityRef(field(r, pipeline.header, "sales_agent")), createdAt: engage ?? lastDate,
                amount: listPrice)
            deal.product = productName[key(product)]
            try emit((f, r.line, .success(.deal(deal))))
            if let engage {
                try emit(
                    (
                        f, r.line,
                        .success(
                            .stageChange(
                                StageChange(
                                    externalID: id + ":contacted", deal: EntityRef(id), stage: .contacted, at: engage)))
                    ))
            }
            switch stage {
            case "Won", "Lost":
                guard let close else {
                    try fail(
                        f, r.line, "close_date",
                        LocalizedText("import.maven.deal_needs_close_date", ["stage": "\(stage)"]))
                    continue
                }
                var c = StageChange(
                    externalID: id + ":" + stage.lowercased(), deal: EntityRef(id),
                    stage: stage == "Won" ? .won : .lost, at: close)
                if stage == "Won" {
                    let valueText = field(r, pipeline.header, "close_value")
                    guard let v = format.money(valueText), v >= 0 else {
                        try fail(
                            f, r.line, "close_value",
                            LocalizedText("import.maven.not_an_amount", ["value": "\(valueText)"]))
                        continue
                    }
                    c.amount = v
                }
                try emit((f, r.line, .success(.stageChange(c))))
            case "Prospecting", "Engaging": break
            default:
                try fail(
                    f, r.line, "deal_stage", LocalizedText("import.maven.unknown_stage", ["stage": "\(stage)"]))
            }
        }
    }
}
