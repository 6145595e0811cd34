import Foundation
import SalesCore
import SalesImport
import SalesStorage
import Testing

/// Every kind of bad input gets an error naming file, line and field, and leaves the store as it was.
@Suite struct BadInputTests {
    static let good: [String: String] = [
        "teams.csv": "external_id,name\nT1,Север\n",
        "reps.csv": "external_id,name,role,team_id\nR1,Анна Петрова,ae,T1\nR2,Иван Смирнов,sdr,T1\n",
        "accounts.csv": "external_id,name,key_account\nA1,\"ООО \"\"Ромашка\"\", Москва\",1\n",
        "deals.csv":
            "external_id,account_id,owner_id,created_at,amount,kind\nD1,A1,R1,2024-03-01,500000.00,new\n"
            + "D2,A1,R1,2024-03-02T10:00:00+03:00,120000.5,repeat\n",
        "deal_stages.csv": "external_id,deal_id,stage,changed_at,amount\nS1,D1,won,2024-03-20,480000\n",
    ]

    static func bundle(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        return dir
    }

    /// A store that already holds the good bundle, then the bad one's failure.
    static func failure(_ change: (inout [String: String]) -> Void, source: String = "crm") throws -> (
        ImportFailure, [EventKind: Int], [EventKind: Int]
    ) {
        let store = InMemoryEventStore()
        let importer = Importer(store: store, source: source, calendar: CompanyCalendar())
        _ = try importer.run(bundle: try bundle(good))
        let before = try store.count()
        // Re-sent good rows are duplicates; a new good row (D3, line 4) and the bad ones: the bad must stop it all.
        var files = good
        files["deals.csv"]! += "D3,A1,R2,2024-03-05,1000,new\n"
        change(&files)
        do {
            _ = try importer.run(bundle: try bundle(files))
            Issue.record("the import did not fail")
            return (ImportFailure(issues: []), before, try store.count())
        } catch let f as ImportFailure {
            return (f, before, try store.count())
        }
    }

    static func expectOne(_ f: ImportFailure, file: String, line: Int, field: String?, containing text: String) {
        #expect(f.issues.count == 1, "\(f.issues.map { $0.message(.en) })")
        guard let i = f.issues.first else { return }
        #expect(i.file == file && i.line == line && i.field == field, "\(i.message(.en))")
        #expect(i.message(.en).contains(text), "\(i.message(.en))")
        #expect(!i.problem.ru.isEmpty && i.problem.ru != i.problem.en)
    }

    @Test func goodBundleImports() throws {
        let store = InMemoryEventStore()
        let r = try Importer(store: store, source: "crm", calendar: CompanyCalendar()).run(
            bundle: try Self.bundle(Self.good))
        #expect(r.totalInserted == 1 + 2 + 1 + 2 + 1)
        var names: [String] = []
        var amounts: [Money] = []
        try store.replay {
            if case .account(let a) = $0 { names.append(a.name) }
            if case .deal(let d) = $0 { amounts.append(d.amount) }
        }
        #expect(names == ["ООО \"Ромашка\", Москва"])
        #expect(amounts == [500_000_00, 120_000_50])
    }

    @Test func truncatedFile() throws {
        let (f, before, after) = try Self.failure {
            $0["deals.csv"] = "external_id,account_id,owner_id,created_at,amount,kind\nD9,A1,R1,2024-03-01,50"
        }
        Self.expectOne(f, file: "deals.csv", line: 2, field: nil, containing: "the row has 5 fields, the header 6")
        #expect(before == after)
    }

    @Test func unterminatedQuote() throws {
        let (f, before, after) = try Self.failure { $0["accounts.csv"] = "external_id,name\nA9,\"ООО Обрыв\n" }
        Self.expectOne(f, file: "accounts.csv", line: 2, field: nil, containing: "never closed")
        #expect(before == after)
    }

    @Test func wrongDateFormat() throws {
        let (f, before, after) = try Self.failure { $0["deals.csv"]! += "D9,A1,R1,01.03.2024,100,new\n" }
        Self.expectOne(f, file: "deals.csv", line: 5, field: "created_at", containing: "'01.03.2024' is not a date")
        #expect(before == after)
    }

    @Test func missingRequiredColumn() throws {
        let (f, before, after) = try Self.failure { $0["reps.csv"] = "external_id,name,team_id\nR3,Без роли,T1\n" }
        Self.expectOne(f, file: "reps.csv", line: 1, field: "role", containing: "the required column 'role' is missing")
        #expect(before == after)
    }

    @Test func negativeAmount() throws {
        let (f, before, after) = try Self.failure { $0["deals.csv"]! += "D9,A1,R1,2024-03-01,-100,new\n" }
        Self.expectOne(f, file: "deals.csv", line: 5, field: "amount", containing: "must be zero or positive")
        #expect(before == after)
    }

    @Test func unknownRep() throws {
        let (f, before, after) = try Self.failure { $0["deals.csv"]! += "D9,A1,R404,2024-03-01,100,new\n" }
        Self.expectOne(f, file: "deals.csv", line: 5, field: "owner_id", containing: "'R404' is not a known rep")
        #expect(before == after)
    }

    @Test func duplicateExternalID() throws {
        let (f, before, after) = try Self.failure {
            $0["deals.csv"]! += "D7,A1,R1,2024-03-01,100,new\nD7,A1,R1,2024-03-02,200,new\n"
        }
        Self.expectOne(f, file: "deals.csv", line: 6, field: "external_id", containing: "'D7' repeats the id of line 5")
        #expect(before == after)
    }

    @Test func nonUTF8File() throws {
        let store = InMemoryEventStore()
        let importer = Importer(store: store, source: "crm", calendar: CompanyCalendar())
        let dir = try Self.bundle(Self.good)
        // "Север" in Windows-1251 in a file that claims to be canonical (UTF-8).
        try Data("external_id,name\nT1,Север\nT2,".utf8 + [0xD1, 0xE5, 0xE2, 0xE5, 0xF0] + Data("\n".utf8)).write(
            to: URL(fileURLWithPath: dir + "/teams.csv"))
        do {
            _ = try importer.run(bundle: dir)
            Issue.record("no error")
        } catch let f as ImportFailure {
            Self.expectOne(f, file: "teams.csv", line: 3, field: nil, containing: "not UTF-8")
            #expect(f.issues[0].message(.ru).contains("windows-1251"))
        }
        #expect(try store.count().values.reduce(0, +) == 0)
    }

    @Test func skipInvalidStoresTheGoodRowsAndListsTheBad() throws {
        let store = InMemoryEventStore()
        let importer = Importer(store: store, source: "crm", calendar: CompanyCalendar())
        importer.skipInvalid = true
        var files = Self.good
        files["deals.csv"]! += "D9,A1,R1,2024-13-01,100,new\nD10,A1,R1,2024-03-01,100,new\n"
        files["deal_stages.csv"]! += "S9,D9,won,2024-03-20,1\n"  // refers to the skipped deal
        let r = try importer.run(bundle: try Self.bundle(files))
        #expect(r.inserted[.deal] == 3)
        #expect(
            r.skipped.map { "\($0.file):\($0.line):\($0.field ?? "")" } == [
                "deals.csv:4:created_at", "deal_stages.csv:3:deal_id",
            ])
        #expect(try store.count()[.deal] == 3)
    }

    @Test func messagesInRussian() throws {
        let (f, _, _) = try Self.failure { $0["deals.csv"]! += "D9,A1,R1,2024-03-01,abc,new\n" }
        #expect(
            f.issues.first?.message(.ru)
                == "deals.csv:5: поле amount: «abc» — не сумма; ожидается число не более чем с 2 знаками после "
                + "запятой, например 1234.50"
        )
    }
}
