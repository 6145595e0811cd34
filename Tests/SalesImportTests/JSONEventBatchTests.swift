import Foundation
import SalesCore
import SalesImport
import Testing

/// The JSON of `POST /api/v1/events`, read by a reader of its own: escapes, numbers as written, and
/// clear refusals of anything else.
@Suite struct JSONEventBatchTests {
    let calendar = CompanyCalendar()

    func read(_ json: String) -> Result<[Importer.Item], ImportFailure> {
        JSONEventBatch.read(Data(json.utf8), calendar: calendar)
    }

    @Test func readsItemsWithEscapesAndNumbers() throws {
        let json = #"""
            { "source": "ignored", "events" : [
              {"event":"team","external_id":"T\"1\\","name":"Юг \u0026 \uD83D\uDE80 север\n"},
              {"event": "activity", "external_id": "a/1", "rep_id": "R1", "type": "call",
               "at": "2026-11-23T10:00:00+03:00", "duration_seconds": 240, "outcome": null, "deal_id": null}
            ] }
            """#
        let items = try read(json).get()
        #expect(items.count == 2)
        guard case .success(.team(let t)) = items[0].record, case .success(.activity(let a)) = items[1].record else {
            Issue.record("not read: \(items)")
            return
        }
        #expect(t.externalID == "T\"1\\" && t.name == "Юг & 🚀 север\n")
        #expect(a.externalID == "a/1" && a.durationSeconds == 240 && a.outcome == nil && a.type == .call)
        #expect(calendar.localMinute(a.at) == "2026-11-23 10:00")
    }

    @Test(arguments: [
        "", "[]", "{\"events\": {}}", "{\"events\": [{\"event\": {\"nested\": 1}}]}", "{\"events\": [] } x",
        "{\"other\": 1}", "{\"events\": [{\"event\": \"team\" \"external_id\": \"x\"}]}", "{\"events\": [\"text\"]}",
    ])
    func refusesWhatIsNotABatch(_ json: String) {
        guard case .failure(let f) = read(json) else {
            Issue.record("accepted: \(json)")
            return
        }
        #expect(f.issues.first?.message(.en).contains("not a JSON object") == true)
    }

    @Test func badItemsAreNamedByTheirPlace() throws {
        let items = try read(
            #"{"events": [{"event": "visit"}, {"event": "activity", "external_id": "x", "rep_id": "R1", "type": "#
                + #""call", "at": "yesterday"}]}"#
        ).get()
        guard case .failure(let first) = items[0].record, case .failure(let second) = items[1].record else {
            Issue.record("accepted")
            return
        }
        #expect(first.issues[0].file == "events[0]" && first.issues[0].field == "event")
        #expect(second.issues[0].file == "events[1]" && second.issues[0].field == "at")
    }
}
