import SalesCore
import SalesStorage
import Testing

@testable import SalesServer

/// The server's keys built from codes (the catalog's own test sees only keys written whole): every one exists.
@Suite struct MessageKeyTests {
    @Test func everyKeyBuiltFromAServerCodeExists() {
        let english = MessageCatalog.shared.entries[.en] ?? [:]
        var keys: [MessageKey] = UserRole.allCases.map { "page.user_role.\($0.rawValue)" }
        let columns = DrillDownTables.dealColumns + DrillDownTables.activityColumns + DrillDownTables.callColumns
        keys += columns.map { "list.column.\($0)" }
        for key in keys {
            #expect(english[key] != nil, "no message \(key)")
        }
    }
}
