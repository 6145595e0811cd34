import Foundation
import SalesCore
import SalesImport
import SalesStorage
import Testing

@Suite struct MappingAndConfigTests {
    static func temp(_ name: String, _ data: Data) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("m-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    /// A Bitrix24-style export: Russian headers, `;`, Windows-1251, decimal commas, dd.MM.yyyy.
    @Test func mappedWindows1251Export() throws {
        let store = InMemoryEventStore()
        let base = Importer(store: store, source: "bitrix", calendar: CompanyCalendar())
        _ = try base.run(
            bundle: try BadInputTests.bundle([
                "reps.csv": "external_id,name,role\nИванов,Иван Иванов,ae\n",
                "accounts.csv": "external_id,name\nРомашка,ООО Ромашка\n",
            ]))
        let text =
            "ID;Компания;Ответственный;Дата создания;Сумма;Тип\n101;Ромашка;Иванов;05.03.2024;1 234 "
            + "567,89;Повторная\n102;Ромашка;Иванов;6.3.2024;500;Новая\n"
        let csv = try Self.temp(
            "сделки.csv",
            Data(
                text.unicodeScalars.map { s -> UInt8 in
                    let v = s.value
                    return v < 0x80 ? UInt8(v) : UInt8(v - 0x410 + 0xC0)  // А…я only in this text
                }))
        let mapping = try Self.temp(
            "deals.yaml",
            Data(
                """
                kind: deal
                delimiter: ";"
                encoding: windows-1251
                decimal: ","
                date_format: dd.MM.yyyy
                columns:
                  external_id: ID
                  account_id: Компания
                  owner_id: Ответственный
                  created_at: Дата создания
                  amount: Сумма
                  kind: Тип
                values:
                  kind: { Повторная: repeat, Новая: new }
                """.utf8))
        let r = try base.run(files: [ColumnMapping.load(mapping, file: csv)])
        #expect(r.inserted[.deal] == 2)
        var deals: [Deal] = []
        try store.replay { if case .deal(let d) = $0 { deals.append(d) } }
        #expect(deals.map(\.amount) == [123_456_789, 50_000])
        #expect(deals.map(\.kind) == [.repeat, .new])
        let cal = CompanyCalendar()
        #expect(
            deals.map { CivilDate(cal.day(of: $0.createdAt)) } == [
                CivilDate(year: 2024, month: 3, day: 5), CivilDate(year: 2024, month: 3, day: 6),
            ])
    }

    @Test func mappingErrorsNameTheLine() throws {
        let mapping = try Self.temp("bad.yaml", Data("kind: deal\ncolumns:\n  amout: Сумма\n".utf8))
        do {
            _ = try ColumnMapping.load(mapping, file: "x.csv")
            Issue.record("no error")
        } catch let e as ConfigError {
            #expect(e.line == 3)
            #expect(e.message(.en).contains("'amout' is not a field of deal"))
        }
    }

    @Test func defaultKPISystemFollowsTheSeeds() throws {
        let system = try KPISystemFile.standard()
        #expect(try KPISystemLinter().lint(system, catalog: system.catalog()).isEmpty)
        #expect(Set(system.roles.keys) == Set(RepRole.allCases))
        for card in system.roles.values { #expect((3...5).contains(card.kpis.count)) }
    }

    @Test func linterFindsEveryMistake() throws {
        let system = try KPISystemFile.parse(
            """
            roles:
              sdr:
                kpis:
                  - { kpi: calls, weight: 50 }
                  - { kpi: emails, weight: 30 }
                  - { kpi: meetings_booked, weight: 10 }
              ae:
                kpis:
                  - { kpi: calls, weight: 50 }
                  - { kpi: emails, weight: 30 }
                  - { kpi: meetings_booked, weight: 20 }
              am:
                kpis:
                  - { kpi: revenue, weight: 20 }
                  - { kpi: nps, weight: 20 }
                  - { kpi: csat, weight: 20 }
                  - { kpi: retention_rate, weight: 10 }
                  - { kpi: upsell_revenue, weight: 10 }
                  - { kpi: new_sqls, weight: 10 }
                  - { kpi: revenu, weight: 10 }
              head:
                kpis:
                  - { kpi: revenue, weight: 100 }
            """)
        let findings = KPISystemLinter().lint(system, catalog: try system.catalog())
        let ids = Set(findings.map { "\($0.role?.rawValue ?? "-"):\($0.id)" })
        #expect(
            ids == [
                "sdr:weights-sum", "sdr:no-quality-kpi", "sdr:activity-only", "ae:no-quality-kpi", "ae:activity-only",
                "ae:same-set", "ae:kpi-not-for-role", "am:too-many-kpis", "am:unknown-kpi", "am:kpi-not-for-role",
                "head:too-few-kpis", "head:no-quality-kpi",
            ])
        #expect(findings.first { $0.id == "unknown-kpi" }?.line == 20)
        #expect(findings.first { $0.id == "weights-sum" }?.message.en.contains("90 %") == true)
    }

    @Test func customKPIWithABadFormulaPointsAtIt() throws {
        do {
            _ = try KPISystemFile.parse("custom_kpis:\n  - id: x\n    formula: revenue / (deals_won\n")
            Issue.record("no error")
        } catch let e as ConfigError {
            #expect(e.line == 3)
            #expect(e.message(.en).contains("column 21"))  // one past "revenue / (deals_won"
        }
    }

    @Test func theCountryNamesThePublicHolidays() throws {
        #expect(try KPISystemFile.standard().calendar.holidays == .russia)
        #expect(try KPISystemFile.parse("country: US\n").calendar.holidays == PublicHolidays(country: "US"))
        #expect(try KPISystemFile.parse("country: none\n").calendar.holidays == PublicHolidays.none)
        do {
            _ = try KPISystemFile.parse("currency: RUB\ncountry: Narnia\n")
            Issue.record("no error")
        } catch let e as ConfigError {
            #expect(e.line == 2)
            #expect(e.message(.en).contains("unknown country 'Narnia' for public holidays; use one of RU, US or none"))
            #expect(e.message(.ru).contains("неизвестная страна «Narnia»"))
        }
    }

    @Test func scorecardWeightsThresholdsAndBonus() throws {
        // One AE; plan 1 000 000, revenue 800 000 → 80 %; win rate 2 of 4 = 50 % against 40 % → 125 % capped at 120.
        let system = try KPISystemFile.parse(
            """
            roles:
              ae:
                kpis:
                  - { kpi: plan_fulfillment, weight: 50, target: 100, threshold: 50, cap: 150 }
                  - { kpi: win_rate, weight: 30, target: 40, cap: 120 }
                  - { kpi: nps, weight: 20, target: 50, threshold: 60 }
            bonus:
              - { from: 0, coefficient: 0 }
              - { from: 80, coefficient: 0.7 }
              - { from: 100, coefficient: 1 }
            """)
        let store = InMemoryEventStore()
        let t: Timestamp = 1_709_280_000
        let day: Timestamp = 86_400
        var events: [SalesEvent] = [
            .rep(Rep(externalID: "A", name: "A", role: .ae)), .account(Account(externalID: "c", name: "c")),
            .plan(
                Plan(
                    externalID: "p", scope: .rep, owner: EntityRef("A"), kpi: "revenue", period: .month(2024, 3),
                    target: 1_000_000)),
        ]
        for (i, won) in [true, true, false, false].enumerated() {
            events.append(
                .deal(
                    Deal(
                        externalID: "D\(i)", account: EntityRef("c"), owner: EntityRef("A"), createdAt: t,
                        amount: 400_000_00)))
            events.append(
                .stageChange(
                    StageChange(
                        externalID: "S\(i)", deal: EntityRef("D\(i)"), stage: won ? .won : .lost, at: t + day * 3)))
        }
        var survey = Survey(externalID: "s", account: EntityRef("c"), rep: EntityRef("A"), at: t)
        survey.nps = 6  // one detractor → NPS −100: below the 60 % threshold → 0
        events.append(.survey(survey))
        try store.append(events, source: "x")
        let engine = try store.makeEngine()
        let card = try #require(
            ScorecardBuilder(engine: engine, system: system, catalog: try system.catalog()).department(.month(2024, 3))
                .first)
        #expect(card.lines.map(\.fulfillment) == [80, 125, -200])
        #expect(card.lines.map(\.score) == [80, 120, 0])
        #expect(abs(card.index - (0.5 * 80 + 0.3 * 120 + 0.2 * 0)) < 1e-9)  // 76
        #expect(card.bonusCoefficient == 0)  // 76 < 80
    }
}
