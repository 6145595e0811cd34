import Foundation
import SalesCore
import SalesSpeech
import SalesStorage

/// Transcripts for the demo company's recent calls: one call a workday per SDR, sales manager and
/// account manager over the last `days`, in Russian, by each person's own call quality (some follow the
/// script and answer objections, some talk over the client) — imported as any transcripts are.
public struct DemoTranscripts {
    public var days = 60
    public var seed: UInt64 = 1
    public init(days: Int = 60, seed: UInt64 = 1) {
        self.days = days
        self.seed = seed
    }

    static let clients = ["Игорь", "Ольга", "Сергей", "Марина", "Павел", "Елена"]

    /// Imports them through `CallImporter` (so into the KPIs) and returns how many calls were stored.
    @discardableResult
    public func importInto(_ store: EventStore, engine: SalesEngine, source: String, until end: Timestamp) throws -> Int
    {
        var inputs: [CallImporter.Input] = []
        let encoder = JSONEncoder()
        for rep in engine.repsByTeam where rep.role != .head {
            // A person's call quality, 0.15…0.95, the same on every run.
            var random = SplitMix(state: seed &* 0x9E37_79B9 &+ UInt64(rep.id))
            let quality = 0.15 + 0.8 * random.unit()
            let calls = try store.activities(
                reps: [rep.id], from: end - Timestamp(days) * 86_400, to: end, type: .call, limit: 100_000)
            var seen = Set<Day>()
            for call in calls.reversed()
            where call.durationSeconds >= 120 && seen.insert(engine.calendar.day(of: call.at)).inserted {
                var t = SyntheticCalls.scripted(
                    quality: quality, russian: true, seed: random.next(),
                    rep: rep.name.split(separator: " ").first.map(String.init) ?? rep.name,
                    client: Self.clients[random.int(0...(Self.clients.count - 1))])
                t.call = call.externalID
                inputs.append(.init(file: call.externalID + ".json", data: try encoder.encode(t)))
            }
        }
        return try CallImporter(store: store, source: source).run(inputs).stored.count
    }
}
