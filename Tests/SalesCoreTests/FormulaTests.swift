import SalesCore
import Testing

@Suite struct FormulaTests {
    @Test func precedenceAndFunctions() throws {
        #expect(try Formula.parse("1 + 2 * 3") == .binary("+", .number(1), .binary("*", .number(2), .number(3))))
        #expect(try Formula.parse("(a - b) / c") == .binary("/", .binary("-", .name("a"), .name("b")), .name("c")))
        #expect(
            try Formula.parse("revenue / plan(revenue) × 100")
                == .binary("*", .binary("/", .name("revenue"), .plan("revenue")), .number(100)))
        #expect(try Formula.parse("prev(x)") == .previous(.name("x")))
        #expect(try Formula.parse("-todate(x)") == .negate(.toDate(.name("x"))))
    }

    @Test func errorsPointAtTheColumn() {
        #expect(throws: FormulaError.self) { try Formula.parse("revenue / ") }
        // Column 25: one past the 24th character.
        do { _ = try Formula.parse("revenue * (deals_won + 1") } catch { #expect(error.column == 25) }
        do { _ = try Formula.parse("revenue $ 2") } catch { #expect(error.column == 9) }
        do { _ = try Formula.parse("avg(revenue)") } catch {
            #expect(error.column == 1)
            #expect(error.message.ru.contains("avg"))
        }
        do { _ = try Formula.parse("plan(1 + 2)") } catch { #expect(error.column == 6) }
    }

    @Test func additivity() throws {
        #expect(try Formula.parse("a + b - c").isAdditive)
        #expect(try !Formula.parse("a / b").isAdditive)
        #expect(try !Formula.parse("todate(a)").isAdditive)
    }

    /// What builds up as a period runs, and so is judged on pace in it: sums, and sums scaled by a number or a plan.
    @Test func accumulation() throws {
        #expect(try Formula.parse("a + b").accumulates)
        #expect(try Formula.parse("revenue / plan(revenue) * 100").accumulates)
        #expect(try Formula.parse("100 * a").accumulates)
        #expect(try !Formula.parse("a / b * 100").accumulates)
        #expect(try !Formula.parse("100 / a").accumulates)
        #expect(try !Formula.parse("todate(a) / plan(a)").accumulates)
        let standard = KPICatalog.standard
        for id: KPI.ID in [.revenue, .planFulfillment, .newSQLs, .dealsWon] {
            #expect(standard[id]?.accumulates == true, "\(id)")
        }
        // Rates, averages, minutes and a stock better when lower do not.
        for id: KPI.ID in [.winRate, .avgDealSize, .leadResponseMinutes, .receivables, .receivablesShare, .nps] {
            #expect(standard[id]?.accumulates == false, "\(id)")
        }
    }

    @Test func customKPIsAreCheckedForUnknownNamesAndCycles() throws {
        var catalog = KPICatalog.standard
        try catalog.define(
            KPIDefinition(
                KPI.ID("big_share"), en: "B", ru: "Б", formula: "key_account_revenue / revenue * 100", unit: .percent,
                category: .financial, nature: .result, roles: [.ae]))
        #expect(catalog[KPI.ID("big_share")] != nil)
        #expect(throws: KPICatalog.CatalogError.unknownName(kpi: "bad", name: "revnue")) {
            try catalog.define(
                KPIDefinition(
                    KPI.ID("bad"), en: "", ru: "", formula: "revnue * 2", unit: .money, category: .financial,
                    nature: .result, roles: [])
            )
        }
        #expect(throws: KPICatalog.CatalogError.cycle(kpi: "loop")) {
            try catalog.define(
                KPIDefinition(
                    KPI.ID("loop"), en: "", ru: "", formula: "loop + 1", unit: .count, category: .extra,
                    nature: .result, roles: []))
        }
    }
}
