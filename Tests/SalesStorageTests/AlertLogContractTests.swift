import SalesCore
import SalesStorage
import Testing

/// Sent alerts: each key is sent once; marking it again changes nothing.
@Suite struct AlertLogContractTests {
    @Test(arguments: DatabaseKind.allCases)
    func anAlertIsSentOnce(_ kind: DatabaseKind) throws {
        let alerts = try EventStoreContractTests.makeDatabase(kind).alertLog
        #expect(try !alerts.wasSent(key: "a"))
        try alerts.markSent(key: "a", at: 1)
        try alerts.markSent(key: "a", at: 2)
        #expect(try alerts.wasSent(key: "a"))
        #expect(try !alerts.wasSent(key: "A"))
        #expect(try !alerts.wasSent(key: "b"))
    }
}
