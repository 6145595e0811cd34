import SalesCore
import SalesStorage
import Testing

/// CRM connections: saved once per CRM, their settings replaceable without losing the cursor; a run sets the
/// connection's status, and a failed one says why until the next good one.
@Suite struct ConnectionStoreContractTests {
    @Test(arguments: DatabaseKind.allCases)
    func aConnectionKeepsItsCursorAndRuns(_ kind: DatabaseKind) throws {
        let store = try EventStoreContractTests.makeDatabase(kind).connections
        #expect(try store.connections().isEmpty && store.connection(crm: "amocrm") == nil)
        #expect(throws: UnknownConnection(crm: "amocrm")) { try store.saveCursor(crm: "amocrm", cursor: "x") }
        try store.save(crm: "amocrm", settings: #"{"token":"1"}"#)
        try store.save(crm: "bitrix24", settings: "{}")
        try store.saveCursor(crm: "amocrm", cursor: #"{"leads":100}"#)
        try store.save(crm: "amocrm", settings: #"{"token":"2"}"#)
        let saved = try #require(try store.connection(crm: "amocrm"))
        #expect(saved.settings == #"{"token":"2"}"# && saved.cursor == #"{"leads":100}"# && saved.status == .never)
        #expect(try store.connections().map(\.crm) == ["amocrm", "bitrix24"])

        let failed = SyncRun(
            crm: "amocrm", startedAt: 10, finishedAt: 12, fetched: 5, stored: 3, changed: 1, requests: 4,
            status: .failed,
            message: "the token was refused")
        try store.record(failed)
        var c = try #require(try store.connection(crm: "amocrm"))
        #expect(c.status == .failed && c.lastError == "the token was refused" && c.lastSyncAt == 12)
        let ok = SyncRun(
            crm: "amocrm", startedAt: 20, finishedAt: 25, fetched: 7, stored: 7, changed: 0, requests: 9, status: .ok)
        try store.record(ok)
        c = try #require(try store.connection(crm: "amocrm"))
        #expect(c.status == .ok && c.lastError == nil && c.lastSyncAt == 25)
        #expect(try store.runs(crm: "amocrm", limit: 10) == [ok, failed])
        #expect(try store.runs(crm: "amocrm", limit: 1) == [ok] && store.runs(crm: "bitrix24", limit: 5).isEmpty)
        #expect(throws: UnknownConnection(crm: "hubspot")) {
            try store.record(
                SyncRun(
                    crm: "hubspot", startedAt: 1, finishedAt: 1, fetched: 0, stored: 0, changed: 0, requests: 0,
                    status: .ok))
        }
    }
}
